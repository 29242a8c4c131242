/**
 * The minimal counterexamples the property round trip (`test/property/roundtrip.test.ts`) found, one test
 * each, on a real PostgreSQL: revision 1 builds a schema, revision 2 changes it and has no `downgrade`.
 * `upgrade base:r1`, `upgrade r1:r2`, then the DERIVED `downgrade r2:r1`, each applied with
 * `psql -X -v ON_ERROR_STOP=1 -f`, must give back exactly the catalog after r1 (column positions aside for
 * a table a column was dropped from and restored to: ADD COLUMN cannot choose a position); upgrading again
 * must reach the catalog after r2 again. Where the derived SQL is the point, it is compared exactly.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog, pgTest, type CatalogSnapshot, type PgDb } from '../support/postgres.js';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';

const R1 = 'a1a1a1a1a1a1';
const R2 = 'b2b2b2b2b2b2';

/** A two-revision project: `rev1` and `rev2` are lists of op sources. */
function project(rev1: readonly string[], rev2: readonly string[]): string {
  return scratchProject({
    [`migrations/${R1}_setup.ts`]: migrationSource(R1, null, `upgrade: [\n    ${rev1.join(',\n    ')},\n  ]`),
    [`migrations/${R2}_change.ts`]: migrationSource(R2, R1, `upgrade: [\n    ${rev2.join(',\n    ')},\n  ]`),
  });
}

async function compiled(dir: string, command: 'upgrade' | 'downgrade', range: string): Promise<string> {
  const r = await sqlscribe(dir, command, range);
  assert.equal(r.code, 0, `sqlscribe ${command} ${range}: ${r.stderr}`);
  assert.equal(r.stderr, '');
  return r.stdout;
}

async function applied(db: PgDb, script: string, what: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sqlscribe-rt-'));
  try {
    const file = join(dir, 'script.sql');
    writeFileSync(file, script);
    const r = await db.psqlFile(file);
    assert.equal(r.code, 0, `psql (${what}):\n${r.stderr}\n--- script:\n${script}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The catalog without the column positions of `tables` (`schema.table`). */
function positionless(c: CatalogSnapshot, tables: readonly string[]): unknown {
  const copy = JSON.parse(JSON.stringify(c)) as { tables: Record<string, { columns: Record<string, { position?: number }> }> };
  for (const k of tables) for (const col of Object.values(copy.tables[k]?.columns ?? {})) delete col.position;
  return copy;
}

/**
 * Upgrade to r1, to r2, derived downgrade to r1, upgrade to r2 again; asserts both catalogs come back.
 * @returns the derived downgrade script, its step's statements only (from the `-- Running` line to the
 *   version-table UPDATE, exclusive).
 */
async function roundTrip(db: PgDb, rev1: readonly string[], rev2: readonly string[], reordered: readonly string[] = []): Promise<string> {
  const dir = project(rev1, rev2);
  try {
    await applied(db, await compiled(dir, 'upgrade', `base:${R1}`), 'upgrade r1');
    const s1 = await catalog(db);
    await applied(db, await compiled(dir, 'upgrade', `${R1}:${R2}`), 'upgrade r2');
    const s2 = await catalog(db);
    const down = await compiled(dir, 'downgrade', `${R2}:${R1}`);
    await applied(db, down, 'derived downgrade');
    assert.deepEqual(positionless(await catalog(db), reordered), positionless(s1, reordered), `the derived downgrade restores the catalog:\n${down}`);
    await applied(db, await compiled(dir, 'upgrade', `${R1}:${R2}`), 'upgrade r2 again');
    assert.deepEqual(await catalog(db), s2, 'upgrading again reaches the same catalog');
    const body = down.split('\n');
    const from = body.findIndex((l) => l.startsWith('-- Running downgrade'));
    const to = body.findIndex((l, i) => i > from && l.startsWith('UPDATE alembic_version'));
    return body
      .slice(from + 1, to)
      .filter((l) => l.trim() !== '' && !l.startsWith('-- Revision'))
      .join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

pgTest('dropLastColumn: dropping the only column, then the table, derives CREATE TABLE with no columns, then ADD COLUMN', async (_t, db) => {
  const down = await roundTrip(db, [`op.createTable('users', [column('id', t.integer())])`], [`op.dropColumn('users', 'id')`, `op.dropTable('users')`]);
  assert.equal(
    down,
    [
      '-- WARNING: table users is restored empty: its rows are not restored',
      '-- WARNING: users.id is restored empty: its data is not restored',
      'CREATE TABLE users (',
      ');',
      'ALTER TABLE users ADD COLUMN id INTEGER;',
    ].join('\n'),
  );
});

pgTest('implicitEnumAfterDropEnum: the type made on first use is dropped before the explicit one it replaced is re-created', async (_t, db) => {
  const down = await roundTrip(
    db,
    [`op.createEnum('where', ['ok'])`, `op.createTable('users', [column('id', t.integer())])`],
    [`op.dropEnum('where')`, `op.addColumn('users', column('name', t.enum(['ok'], { name: 'where' })))`],
  );
  assert.equal(
    down,
    [
      'ALTER TABLE users DROP COLUMN name;',
      'DROP TYPE "where";',
      'CREATE TYPE "where" AS ENUM (\'ok\');',
    ].join('\n'),
  );
});

pgTest('typeChangeOfCollatedColumn: the reverse type change gives the column its collation back', async (_t, db) => {
  const down = await roundTrip(db, [`op.createTable('users', [column('name', t.string(50), { collation: 'C' })])`], [`op.alterColumn('users', 'name', { type: t.text() })`]);
  assert.equal(down, 'ALTER TABLE users ALTER COLUMN name TYPE VARCHAR(50) COLLATE "C";');
});

pgTest('typeChangeOfCollatedColumn: after a type change the model knows the column has its type default collation', async (_t, db) => {
  // The dropped column is restored as it was just before: TEXT with the default collation, not "C".
  const down = await roundTrip(
    db,
    [`op.createTable('users', [column('id', t.integer()), column('name', t.string(50), { collation: 'C' })])`],
    [`op.alterColumn('users', 'name', { type: t.text() })`, `op.dropColumn('users', 'name')`],
    ['public.users'],
  );
  assert.equal(
    down,
    [
      '-- WARNING: users.name is restored empty: its data is not restored',
      'ALTER TABLE users ADD COLUMN name TEXT;',
      'ALTER TABLE users ALTER COLUMN name TYPE VARCHAR(50) COLLATE "C";',
    ].join('\n'),
  );
});

pgTest('reuseRenamedColumnName: a check follows its renamed column; a new column under the old name is another column', async (_t, db) => {
  const setup = [`op.createTable('users', [column('desc', t.integer())])`, `op.createCheckConstraint('ck_2', 'users', sql\`"desc" IS NOT NULL\`)`];
  const down = await roundTrip(db, setup, [`op.alterColumn('users', 'desc', { newName: 'name' })`, `op.addColumn('users', column('desc', t.integer()))`]);
  assert.equal(down, ['ALTER TABLE users DROP COLUMN "desc";', 'ALTER TABLE users RENAME name TO "desc";'].join('\n'));
});

pgTest('reuseRenamedColumnName: in an upgrade, dropping the new column of the old name leaves the check, which stays droppable', async (_t, db) => {
  const setup = [`op.createTable('users', [column('desc', t.integer())])`, `op.createCheckConstraint('ck_2', 'users', sql\`"desc" IS NOT NULL\`)`];
  const down = await roundTrip(db, setup, [
    `op.alterColumn('users', 'desc', { newName: 'name' })`,
    `op.addColumn('users', column('desc', t.integer()))`,
    `op.dropColumn('users', 'desc')`,
    `op.dropConstraint('ck_2', 'users')`,
  ]);
  assert.equal(
    down,
    [
      '-- WARNING: users.desc is restored empty: its data is not restored',
      // Re-created as PostgreSQL holds it: about the column now called "name".
      'ALTER TABLE users ADD CONSTRAINT ck_2 CHECK (name IS NOT NULL);',
      'ALTER TABLE users ADD COLUMN "desc" INTEGER;',
      'ALTER TABLE users DROP COLUMN "desc";',
      'ALTER TABLE users RENAME name TO "desc";',
    ].join('\n'),
  );
});

pgTest('dropRenamedColumnNamedInRawSql: dropping a renamed column restores the check PostgreSQL dropped with it', async (_t, db) => {
  const setup = [`op.createTable('users', [column('id', t.integer())])`, `op.createCheckConstraint('ck_2', 'users', sql\`"id" IS NOT NULL\`)`];
  const down = await roundTrip(db, setup, [`op.alterColumn('users', 'id', { newName: 'name' })`, `op.dropColumn('users', 'name')`], ['public.users']);
  assert.equal(
    down,
    [
      '-- WARNING: users.name is restored empty: its data is not restored',
      'ALTER TABLE users ADD COLUMN name INTEGER;',
      'ALTER TABLE users ADD CONSTRAINT ck_2 CHECK (name IS NOT NULL);',
      'ALTER TABLE users RENAME name TO id;',
    ].join('\n'),
  );
});

pgTest('dropRenamedColumnNamedInRawSql: an index expression and WHERE on a renamed column come back with it', async (_t, db) => {
  const setup = [
    `op.createTable('users', [column('id', t.integer()), column('email', t.text())])`,
    `op.createIndex('ix_lower', 'users', [sql\`lower(email)\`], { where: sql\`email <> ''\` })`,
  ];
  await roundTrip(db, setup, [`op.alterColumn('users', 'email', { newName: 'Mail' })`, `op.dropColumn('users', 'Mail')`], ['public.users']);
});

pgTest('rawSqlAfterColumnRename: a check and an index written before a column rename are re-created after it (dropConstraint, dropIndex, dropTable)', async (_t, db) => {
  const setup = [
    `op.createTable('users', [column('id', t.integer()), column('n', t.integer())])`,
    `op.createCheckConstraint('ck_2', 'users', sql\`"id" IS NOT NULL AND n > 0\`)`,
    `op.createIndex('ix_abs', 'users', [sql\`abs(id)\`])`,
    `op.createTable('other', [column('id', t.integer()), check(sql\`id > 0\`, { name: 'ck_o' })])`,
    `op.createIndex('ix_o', 'other', ['id'], { where: sql\`id > 1\` })`,
  ];
  const down = await roundTrip(db, setup, [
    `op.alterColumn('users', 'id', { newName: 'from' })`,
    `op.dropConstraint('ck_2', 'users', { type: 'check' })`,
    `op.dropIndex('ix_abs', { table: 'users' })`,
    `op.alterColumn('other', 'id', { newName: 'Key' })`,
    `op.dropTable('other')`,
  ]);
  assert.equal(
    down,
    [
      '-- WARNING: table other is restored empty: its rows are not restored',
      'CREATE TABLE other (',
      '    "Key" INTEGER,',
      '    CONSTRAINT ck_o CHECK ("Key" > 0)',
      ');',
      'CREATE INDEX ix_o ON other ("Key") WHERE "Key" > 1;',
      'ALTER TABLE other RENAME "Key" TO id;',
      'CREATE INDEX ix_abs ON users ((abs("from")));',
      'ALTER TABLE users ADD CONSTRAINT ck_2 CHECK ("from" IS NOT NULL AND n > 0);',
      'ALTER TABLE users RENAME "from" TO id;',
    ].join('\n'),
  );
});

pgTest('serialSequenceAfterRename: dropTable after renameTable restores the sequence under its earlier name', async (_t, db) => {
  const down = await roundTrip(db, [`op.createTable('users', [column('id', t.integer(), { primaryKey: true })])`], [`op.renameTable('users', 'order')`, `op.dropTable('order')`]);
  assert.equal(
    down,
    [
      '-- WARNING: table order is restored empty: its rows are not restored',
      'CREATE SEQUENCE users_id_seq AS INTEGER;',
      'CREATE TABLE "order" (',
      "    id INTEGER DEFAULT nextval('users_id_seq'::regclass) NOT NULL,",
      '    CONSTRAINT users_pkey PRIMARY KEY (id)',
      ');',
      'ALTER SEQUENCE users_id_seq OWNED BY "order".id;',
      'ALTER TABLE "order" RENAME TO users;',
    ].join('\n'),
  );
});

pgTest('serialSequenceAfterRename: dropColumn after renameTable restores the key and the sequence under their earlier names', async (_t, db) => {
  const down = await roundTrip(
    db,
    [`op.createTable('users', [column('id', t.integer(), { primaryKey: true }), column('name', t.integer())])`],
    [`op.renameTable('users', 'order')`, `op.dropColumn('order', 'id')`],
    ['public.users'],
  );
  assert.equal(
    down,
    [
      '-- WARNING: order.id is restored empty: its data is not restored',
      'CREATE SEQUENCE users_id_seq AS INTEGER;',
      `ALTER TABLE "order" ADD COLUMN id INTEGER DEFAULT nextval('users_id_seq'::regclass) NOT NULL;`,
      'ALTER SEQUENCE users_id_seq OWNED BY "order".id;',
      'ALTER TABLE "order" ADD CONSTRAINT users_pkey PRIMARY KEY (id);',
      'ALTER TABLE "order" RENAME TO users;',
    ].join('\n'),
  );
});

pgTest('serialSequenceAfterRename: an identity column after renameTable gets its sequence name back (SEQUENCE NAME)', async (_t, db) => {
  await roundTrip(db, [`op.createTable('users', [column('id', t.bigInteger(), { identity: { always: true } }), column('n', t.integer())], { schema: 'public' })`], [`op.renameTable('users', 'people')`, `op.dropColumn('people', 'id')`, `op.dropTable('people')`], ['public.users']);
});

pgTest('serialColumnOffItsKey: a SERIAL column whose key was named otherwise, or dropped, comes back with its sequence', async (_t, db) => {
  await roundTrip(db, [`op.createTable('users', [column('id', t.integer()), primaryKey(['id'], { name: 'pk_1' })])`], [`op.dropColumn('users', 'id')`], ['public.users']);
});

pgTest('serialColumnOffItsKey: dropTable of a SERIAL column no longer in a primary key', async (_t, db) => {
  await roundTrip(
    db,
    [`op.createTable('users', [column('id', t.integer(), { primaryKey: true }), column('big', t.bigInteger(), { primaryKey: false })])`],
    [`op.dropConstraint('users_pkey', 'users', { type: 'primary' })`, `op.dropTable('users')`],
  );
});
