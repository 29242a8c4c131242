/**
 * The SQLite version guard on the real engine (`sqlite3 -bail`): a script starting at a later revision
 * applied to a database at an earlier one stops before any change — exit non-zero, the expected rows in
 * the error, what was found printed on stdout — and leaves the catalog and the version rows as they were;
 * from base, a database without a version table passes; the right revision applies. Every script is also
 * read by node-sql-parser.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../support/common.js';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';
import { sqliteCatalog, sqliteTest, type SqliteDb } from '../support/sqlite.js';
import { assertParses } from '../support/sqlparse.js';

const dir = scratchProject({
  'migrations/a1_one.ts': migrationSource('a1', null, "upgrade: [op.createTable('one', [column('id', t.integer(), { primaryKey: true })])]"),
  'migrations/a2_two.ts': migrationSource('a2', 'a1', "upgrade: [op.createTable('two', [column('id', t.integer(), { primaryKey: true })])]"),
  'migrations/a3_three.ts': migrationSource('a3', 'a2', "upgrade: [op.createTable('three', [column('id', t.integer(), { primaryKey: true })])]"),
});

async function script(...argv: string[]): Promise<string> {
  const r = await sqlscribe(dir, ...argv, '--dialect', 'sqlite');
  assert.equal(r.code, 0, r.stderr);
  assertParses(r.stdout, 'sqlite');
  return r.stdout;
}

const versions = async (db: SqliteDb) => (await db.query('SELECT version_num FROM alembic_version ORDER BY 1')).map((r) => r[0]);

sqliteTest('from base: no version table passes; a later start is refused with nothing changed; the right start applies', async (_t, db) => {
  // From base on a database without a version table.
  let r = await db.applyScript(await script('upgrade', 'a1'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await versions(db), ['a1']);
  const before = await sqliteCatalog(db.file);

  // A script that starts at a2, on a database at a1.
  r = await db.applyScript(await script('upgrade', 'a2:head'));
  assert.notEqual(r.code, 0);
  assert.equal(
    r.stdout.trim(),
    'sqlscribe version guard: this script (upgrade a2:head) expects alembic_version holding exactly [a2]; the database has [a1].',
  );
  assert.match(
    r.stderr,
    /sqlscribe version guard: this script \(upgrade a2:head\) expects alembic_version holding exactly \[a2\]; the database has other rows \(printed above\)\. Nothing was changed\./,
  );
  assert.deepEqual(await sqliteCatalog(db.file), before);
  assert.deepEqual(await versions(db), ['a1']);

  // A script from base on a database that has a revision.
  r = await db.applyScript(await script('upgrade', 'head'));
  assert.notEqual(r.code, 0);
  assert.equal(r.stdout.trim(), 'sqlscribe version guard: this script (upgrade base:head) expects alembic_version absent or empty; the database has [a1].');
  assert.deepEqual(await sqliteCatalog(db.file), before);

  // The right start.
  r = await db.applyScript(await script('upgrade', 'a1:head'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '', 'a passing guard prints nothing');
  assert.deepEqual(await versions(db), ['a3']);
  assert.deepEqual(Object.keys((await sqliteCatalog(db.file)).tables).sort(), ['alembic_version', 'one', 'three', 'two']);
});

sqliteTest('a non-base start on a database without a version table is refused, and creates no version table', async (_t, db) => {
  await db.applyScript('CREATE TABLE keep (id INTEGER);');
  for (const extra of [[], ['--transaction-per-migration']]) {
    const r = await db.applyScript(await script('upgrade', 'a1:head', ...extra));
    assert.notEqual(r.code, 0);
    assert.equal(r.stdout.trim(), 'sqlscribe version guard: this script (upgrade a1:head) expects alembic_version holding exactly [a1]; the database has no version table.');
    assert.deepEqual(Object.keys((await sqliteCatalog(db.file)).tables), ['keep']);
  }
});

sqliteTest('plain sqlite3 without -bail still stops at the guard: the script sets .bail on', async (_t, db) => {
  await db.applyScript(await script('upgrade', 'a1'));
  const before = await sqliteCatalog(db.file);
  const sql = await script('upgrade', 'a2:head');
  assert.equal(sql.split('\n').find((l) => l !== '' && !l.startsWith('-- ')), '.bail on');
  const dir2 = mkdtempSync(join(tmpdir(), 'sqlscribe-guard-'));
  const plain = async (text: string) => {
    writeFileSync(join(dir2, 'up.sql'), text);
    return run('sqlite3', [db.file], { stdinFile: join(dir2, 'up.sql') });
  };
  let r = await plain(sql);
  assert.notEqual(r.code, 0);
  assert.deepEqual(await sqliteCatalog(db.file), before);
  // The control: with .bail off, sqlite3 goes on after the failed guard and runs the steps.
  r = await plain(sql.replace(/^\.bail on$/m, '.bail off'));
  assert.ok((await sqliteCatalog(db.file)).tables.three, 'without .bail on the steps would run');
});

sqliteTest('an empty version table (a downgrade to base) counts as base', async (_t, db) => {
  await db.applyScript(await script('upgrade', 'a1'));
  let r = await db.applyScript(await script('downgrade', 'a1:base'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await versions(db), []);
  r = await db.applyScript(await script('upgrade', 'head'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await versions(db), ['a3']);
});
