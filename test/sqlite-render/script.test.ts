/**
 * The SQLite script layout through the CLI: `PRAGMA foreign_keys=OFF` before the first `BEGIN` and
 * `PRAGMA foreign_keys=ON` after the last `COMMIT` only when a table is rebuilt (also with
 * `--transaction-per-migration`); no `DROP TYPE` for an enum column; the same input gives the same bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';

const dir = scratchProject({
  'migrations/cccc0001_a.ts': migrationSource('cccc0001', null, "upgrade: [op.createTable('t', [column('id', t.integer(), { primaryKey: true }), column('mood', t.enum(['a', 'b'], { name: 'mood' }))])]"),
  'migrations/cccc0002_b.ts': migrationSource('cccc0002', 'cccc0001', "upgrade: [op.createCheckConstraint('ck_t_id', 't', sql`id > 0`)]"),
  'migrations/cccc0003_c.ts': migrationSource('cccc0003', 'cccc0002', "upgrade: [op.dropColumn('t', 'mood')]"),
});

const bodyLines = (sql: string): string[] => sql.split('\n').filter((l) => l !== '' && !l.startsWith('-- '));

test('no rebuild: no PRAGMA; the enum column needs no type and none is dropped', async () => {
  const r = await sqlscribe(dir, 'upgrade', 'cccc0001', '--dialect', 'sqlite');
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /PRAGMA|TYPE/);
  assert.deepEqual(bodyLines(r.stdout).slice(0, 3), ['.bail on', 'BEGIN;', 'SAVEPOINT sqlscribe_guard;']);
  const down = await sqlscribe(dir, 'downgrade', 'cccc0001:base', '--dialect', 'sqlite');
  assert.equal(down.code, 0, down.stderr);
  assert.doesNotMatch(down.stdout, /TYPE/);
});

test('a rebuild: PRAGMA foreign_keys=OFF before the first BEGIN, =ON after the last COMMIT, also per migration', async () => {
  for (const extra of [[], ['--transaction-per-migration']]) {
    const r = await sqlscribe(dir, 'upgrade', 'head', '--dialect', 'sqlite', ...extra);
    assert.equal(r.code, 0, r.stderr);
    const lines = bodyLines(r.stdout);
    // The guard's savepoint opens the first transaction when each migration has its own.
    assert.deepEqual(lines.slice(0, 3), ['.bail on', 'PRAGMA foreign_keys=OFF;', extra.length > 0 ? 'SAVEPOINT sqlscribe_guard;' : 'BEGIN;']);
    assert.deepEqual(lines.slice(-2), ['COMMIT;', 'PRAGMA foreign_keys=ON;']);
    assert.equal(lines.filter((l) => l.startsWith('PRAGMA')).length, 2);
    assert.equal(lines.filter((l) => l === 'BEGIN;').length, extra.length > 0 ? 3 : 1);
    const again = await sqlscribe(dir, 'upgrade', 'head', '--dialect', 'sqlite', ...extra);
    assert.equal(again.stdout, r.stdout, 'deterministic');
  }
});
