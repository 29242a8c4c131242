/**
 * The script options of issue 5 for SQLite, MySQL and MariaDB, each choice checked: `--history-table`
 * (the portable audit table) applies on sqlite3 and on MariaDB and gets one row per step with
 * `applied_at` filled by its default; `--idempotent` is refused with an error naming the dialect (their
 * clients cannot skip a step); session settings are refused naming the dialect; no progress lines (a
 * passing script prints nothing — asserted in guard.test.ts of both folders).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';
import { mariadbTest } from '../support/mariadb.js';
import { sqliteTest } from '../support/sqlite.js';
import { assertParses } from '../support/sqlparse.js';

const dir = scratchProject({
  'migrations/a1_one.ts': migrationSource('a1', null, "upgrade: [op.createTable('one', [column('id', t.integer(), { primaryKey: true })])]"),
  'migrations/a2_two.ts': migrationSource('a2', 'a1', "upgrade: [op.addColumn('one', column('name', t.string(20)))]"),
});

const DIALECTS = ['sqlite', 'mysql', 'mariadb'] as const;

test('--idempotent is refused for sqlite, mysql and mariadb, naming the dialect; nothing is written', async () => {
  for (const d of DIALECTS) {
    const r = await sqlscribe(dir, 'upgrade', 'head', '--dialect', d, '--idempotent');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const client = d === 'sqlite' ? 'sqlite3' : d;
    assert.match(r.stderr, new RegExp(`--idempotent is not available for the ${d} dialect: its client \\(${client}\\) cannot skip a step the version table shows applied`));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('session settings are refused for sqlite, mysql and mariadb, naming the dialect', async () => {
  for (const d of DIALECTS) {
    const r = await sqlscribe(dir, 'upgrade', 'head', '--dialect', d, '--lock-timeout', '5s');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`session settings \\(lockTimeout, statementTimeout, autocommitStatementTimeout, searchPath, role\\) are PostgreSQL's; the ${d} dialect has none`));
  }
});

sqliteTest('--history-table on sqlite3: created if missing, one row per step, applied_at by its default', async (_t, db) => {
  for (const range of ['a1', 'a1:a2']) {
    const r = await sqlscribe(dir, 'upgrade', range, '--dialect', 'sqlite', '--history-table');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^CREATE TABLE IF NOT EXISTS sqlscribe_history \(\n    revision VARCHAR\(255\) NOT NULL,\n    direction VARCHAR\(16\) NOT NULL,\n    script_sha256 CHAR\(64\) NOT NULL,\n    sqlscribe_version VARCHAR\(32\) NOT NULL,\n    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL\n\);$/m);
    assertParses(r.stdout, 'sqlite');
    const applied = await db.applyScript(r.stdout);
    assert.equal(applied.code, 0, applied.stderr);
  }
  const rows = await db.query("SELECT revision, direction, length(script_sha256), applied_at IS NOT NULL AND applied_at LIKE '____-__-__ __:__:__' FROM sqlscribe_history ORDER BY rowid");
  assert.deepEqual(rows, [
    ['a1', 'upgrade', '64', '1'],
    ['a2', 'upgrade', '64', '1'],
  ]);
});

for (const flavour of ['mysql', 'mariadb'] as const) {
  mariadbTest(`--history-table on MariaDB (${flavour} output): one row per step, applied_at by its default`, async (_t, db) => {
    for (const range of ['a1', 'a1:a2']) {
      const r = await sqlscribe(dir, 'upgrade', range, '--dialect', flavour, '--history-table');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^CREATE TABLE IF NOT EXISTS `sqlscribe_history` \(/m);
      // After the guard: no DDL before it (no transactional DDL to undo it).
      assert.ok(r.stdout.indexOf('CREATE TABLE IF NOT EXISTS `sqlscribe_history`') > r.stdout.lastIndexOf('sqlscribe_guard'));
      const applied = await db.applyScript(r.stdout);
      assert.equal(applied.code, 0, applied.stderr);
    }
    const rows = await db.query('SELECT revision, direction, LENGTH(script_sha256), applied_at IS NOT NULL FROM sqlscribe_history ORDER BY applied_at, revision');
    assert.deepEqual(rows, [
      ['a1', 'upgrade', '64', '1'],
      ['a2', 'upgrade', '64', '1'],
    ]);
  });
}
