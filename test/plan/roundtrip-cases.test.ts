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
