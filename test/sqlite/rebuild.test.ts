/**
 * The table rebuild's own guards, on a real SQLite through the CLI: a foreign-key violation that the
 * rebuild would leave (PRAGMA foreign_key_check finds it) stops `sqlite3 -bail` before COMMIT and
 * nothing is changed; a table with a trigger (made by raw SQL, unknown to the schema model) is not
 * rebuilt, since the DROP would lose the trigger silently; one rebuild serves consecutive ops.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteTest } from '../support/sqlite.js';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';
import { schemaOf } from './history.js';
import { assertParses } from '../support/sqlparse.js';

function project(upgrade2: string): string {
  return scratchProject({
    'migrations/aaaa0001_a.ts': migrationSource(
      'aaaa0001',
      null,
      "upgrade: [op.createTable('parent', [column('id', t.integer(), { primaryKey: true }), column('code', t.string(10), { nullable: false })]), op.createTable('child', [column('id', t.integer(), { primaryKey: true }), column('parent_id', t.integer()), column('qty', t.integer())])]",
    ),
    'migrations/aaaa0002_b.ts': migrationSource('aaaa0002', 'aaaa0001', `upgrade: [${upgrade2}]`),
  });
}

async function compileTo(dir: string, range: string): Promise<string> {
  const r = await sqlscribe(dir, 'upgrade', range, '--dialect', 'sqlite', '-o', 'out.sql');
  assert.equal(r.code, 0, r.stderr);
  const sql = readFileSync(join(dir, 'out.sql'), 'utf8');
  assertParses(sql, 'sqlite');
  return join(dir, 'out.sql');
}

sqliteTest('a foreign key that existing rows violate stops the rebuild before COMMIT; the database is unchanged', async (_t, db) => {
  const dir = project("op.createForeignKey('fk_child_parent', 'child', 'parent', ['parent_id'], ['id'], { onDelete: 'CASCADE' })");
  let r = await db.apply(await compileTo(dir, 'aaaa0001'));
  assert.equal(r.code, 0, r.stderr);
  r = await db.applyScript("INSERT INTO parent VALUES (1, 'a');\nINSERT INTO child VALUES (1, 1, 5), (2, 42, 7);\n");
  assert.equal(r.code, 0, r.stderr);
  const before = await schemaOf(db);
  r = await db.apply(await compileTo(dir, 'aaaa0001:aaaa0002'));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /CHECK constraint failed: rebuilding table child breaks foreign keys/);
  assert.deepEqual(await schemaOf(db), before, 'the failed script changed nothing');
  assert.deepEqual(await db.query('SELECT version_num FROM alembic_version'), [['aaaa0001']]);
  assert.deepEqual(await db.query('SELECT id, parent_id FROM child ORDER BY id'), [['1', '1'], ['2', '42']]);
  // Without the orphan row the same script applies, and the new foreign key is there.
  r = await db.applyScript('DELETE FROM child WHERE id = 2;');
  assert.equal(r.code, 0, r.stderr);
  r = await db.apply(join(dir, 'out.sql'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await schemaOf(db)).child?.foreignKeys, ['parent_id -> parent(id) ON DELETE CASCADE ON UPDATE NO ACTION']);
});

sqliteTest('a table with a trigger is not rebuilt: the script stops, naming the table', async (_t, db) => {
  const dir = project("op.createCheckConstraint('ck_child_qty', 'child', sql`qty > 0`)");
  let r = await db.apply(await compileTo(dir, 'aaaa0001'));
  assert.equal(r.code, 0, r.stderr);
  r = await db.applyScript('CREATE TRIGGER child_audit AFTER INSERT ON child BEGIN SELECT 1; END;');
  assert.equal(r.code, 0, r.stderr);
  r = await db.apply(await compileTo(dir, 'aaaa0001:aaaa0002'));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /CHECK constraint failed: table child has triggers, which a rebuild would drop/);
  assert.deepEqual(await db.query("SELECT name FROM sqlite_master WHERE type = 'trigger'"), [['child_audit']]);
});

sqliteTest('consecutive ops on one table share one rebuild; a type change copies with CAST; rows survive', async (_t, db) => {
  const dir = project(
    "op.alterColumn('child', 'qty', { type: t.string(10), nullable: false, serverDefault: '0' }), op.alterColumn('child', 'parent_id', { newName: 'owner_id' }), op.createUniqueConstraint('uq_child_owner', 'child', ['owner_id']), op.addColumn('parent', column('note', t.text()))",
  );
  let r = await db.apply(await compileTo(dir, 'aaaa0001'));
  assert.equal(r.code, 0, r.stderr);
  r = await db.applyScript("INSERT INTO parent VALUES (1, 'a');\nINSERT INTO child VALUES (1, 1, 5), (2, 1, 7);\n");
  assert.equal(r.code, 0, r.stderr);
  const file = await compileTo(dir, 'aaaa0001:aaaa0002');
  const sql = readFileSync(file, 'utf8');
  assert.equal(sql.match(/CREATE TABLE _alembic_tmp_child/g)?.length, 1, 'one rebuild of child');
  assert.match(sql, /INSERT INTO _alembic_tmp_child \(id, owner_id, qty\) SELECT id, parent_id AS owner_id, CAST\(qty AS VARCHAR\(10\)\) AS qty FROM child;/);
  assert.match(sql, /ALTER TABLE parent ADD COLUMN note TEXT;/);
  r = await db.apply(file);
  // Two children of parent 1: the new unique constraint on owner_id refuses them.
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /UNIQUE constraint failed: _alembic_tmp_child\.owner_id/);
  r = await db.applyScript('UPDATE child SET parent_id = NULL WHERE id = 2;');
  assert.equal(r.code, 0, r.stderr);
  r = await db.apply(file);
  assert.equal(r.code, 0, r.stderr);
  const schema = await schemaOf(db);
  assert.deepEqual(schema.child?.columns, { id: 'INTEGER NOT NULL PK 1', owner_id: 'INTEGER', qty: "VARCHAR(10) NOT NULL DEFAULT '0'" });
  assert.deepEqual(await db.query('SELECT id, owner_id, qty, typeof(qty) FROM child ORDER BY id'), [['1', '1', '5', 'text'], ['2', null, '7', 'text']]);
});

sqliteTest('unnamed constraints: dropped by their internal name with a rebuild, re-created by the derived downgrade under that name', async (_t, db) => {
  const dir = scratchProject({
    'migrations/bbbb0001_a.ts': migrationSource(
      'bbbb0001',
      null,
      "upgrade: [op.createTable('item', [column('id', t.integer(), { primaryKey: true }), column('code', t.string(10), { unique: true }), column('qty', t.integer()), check(sql`qty >= 0`)])]",
    ),
    'migrations/bbbb0002_b.ts': migrationSource('bbbb0002', 'bbbb0001', "upgrade: [op.dropConstraint('item_code_key', 'item'), op.dropConstraint('item_qty_check', 'item', { type: 'check' }), op.addColumn('item', column('sku', t.string(20), { unique: true }))]"),
  });
  const up = await sqlscribe(dir, 'upgrade', 'head', '--dialect', 'sqlite', '-o', 'up.sql');
  assert.equal(up.code, 0, up.stderr);
  const upSql = readFileSync(join(dir, 'up.sql'), 'utf8');
  assert.doesNotMatch(upSql, /item_code_key|item_qty_check|item_sku_key/, 'internal names are never rendered');
  let r = await db.apply(join(dir, 'up.sql'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await schemaOf(db)).item?.indexes, { sqlite_autoindex_item_1: 'UNIQUE u (sku)' });
  r = await db.applyScript("INSERT INTO item (id, code, qty) VALUES (1, 'a', -1), (2, 'a', -2);");
  assert.equal(r.code, 0, `the dropped unique and check no longer apply: ${r.stderr}`);
  r = await db.applyScript('DELETE FROM item;');
  assert.equal(r.code, 0, r.stderr);
  const down = await sqlscribe(dir, 'downgrade', 'head:bbbb0001', '--dialect', 'sqlite', '-o', 'down.sql');
  assert.equal(down.code, 0, down.stderr);
  const downSql = readFileSync(join(dir, 'down.sql'), 'utf8');
  assertParses(downSql, 'sqlite');
  assert.equal(downSql.match(/CREATE TABLE _alembic_tmp_item/g)?.length, 1, 'the derived downgrade is one rebuild');
  // The derived downgrade re-creates them with op.create*Constraint and the model's name, which is then written out.
  assert.match(downSql, /\n    CONSTRAINT item_qty_check CHECK \(qty >= 0\),\n    CONSTRAINT item_code_key UNIQUE \(code\)\n\)/);
  r = await db.apply(join(dir, 'down.sql'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys((await schemaOf(db)).item?.columns ?? {}), ['id', 'code', 'qty']);
  r = await db.applyScript("INSERT INTO item (id, code, qty) VALUES (1, 'a', -1);");
  assert.match(r.stderr, /CHECK constraint failed: item_qty_check/);
  r = await db.applyScript("INSERT INTO item (id, code, qty) VALUES (1, 'a', 1), (2, 'a', 2);");
  assert.match(r.stderr, /UNIQUE constraint failed: item\.code/);
});
