/**
 * The example history in migrations/, compiled by the CLI and applied to a real PostgreSQL with
 * `psql -X -v ON_ERROR_STOP=1 -f`, as the DBA will: the catalog read back must be the intended schema
 * (test/fixtures/example/expected-schema.json), downgrade to base must leave no table, upgrading again
 * must work, and applying one revision at a time must give the same catalog as one range.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog, pgTest, type PgDb } from '../support/postgres.js';
import { sqlscribe } from '../support/cli.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = join(REPO, 'test/fixtures/example');
const work = mkdtempSync(join(tmpdir(), 'sqlscribe-example-'));

/** Compiles `command range` for the example history and applies it; fails the test on any error. */
async function apply(db: PgDb, command: 'upgrade' | 'downgrade', range: string): Promise<string> {
  const file = join(work, `${db.name}-${command}-${range.replace(/[^a-z0-9]+/gi, '_')}.sql`);
  const compiled = await sqlscribe(REPO, command, range, '-o', file);
  assert.equal(compiled.code, 0, `sqlscribe ${command} ${range}: ${compiled.stderr}`);
  const applied = await db.psqlFile(file);
  assert.equal(applied.code, 0, `psql -f ${file}:\n${applied.stderr}`);
  return readFileSync(file, 'utf8');
}

/** The public schema as test/fixtures/example/catalog.sql reads it. */
async function schemaDocument(db: PgDb): Promise<unknown> {
  const [[text]] = (await db.query(readFileSync(join(FIXTURES, 'catalog.sql'), 'utf8').replace(/;\s*$/, ''))) as [[string]];
  return JSON.parse(text);
}

async function versionRows(db: PgDb): Promise<string[]> {
  return (await db.query('SELECT version_num FROM alembic_version ORDER BY 1')).map((r) => r[0]!);
}

async function tables(db: PgDb): Promise<string[]> {
  return (await db.query("SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")).map((r) => r[0]!);
}

const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected-schema.json'), 'utf8')) as Record<string, unknown>;
const { $comment: _c, dialect: _d, head: _h, ...expectedDocument } = expected;

pgTest('upgrade base:head builds the intended schema, table by table', async (_t, db) => {
  await apply(db, 'upgrade', 'base:head');
  const actual = (await schemaDocument(db)) as { tables: Record<string, unknown> } & Record<string, unknown>;
  const want = expectedDocument as { tables: Record<string, unknown> } & Record<string, unknown>;
  assert.deepEqual(Object.keys(actual.tables).sort(), Object.keys(want.tables).sort());
  for (const name of Object.keys(want.tables)) assert.deepEqual(actual.tables[name], want.tables[name], `table ${name}`);
  assert.deepEqual(actual, want);
  assert.deepEqual(await versionRows(db), ['0d8c359bb4f1']);
});

pgTest('downgrade head:base leaves no table but an empty version table, no type, no sequence; upgrading again works', async (_t, db) => {
  await apply(db, 'upgrade', 'base:head');
  const first = await catalog(db);
  await apply(db, 'downgrade', 'head:base');
  assert.deepEqual(await tables(db), ['public.alembic_version']);
  assert.deepEqual(await versionRows(db), []);
  const after = await catalog(db);
  assert.deepEqual(after.enums, {});
  assert.deepEqual(after.sequences, {});
  // The version table stays, empty, as Alembic 1.19 leaves it; the base script creates it only if missing.
  await apply(db, 'upgrade', 'base:head');
  assert.deepEqual(await catalog(db), first);
});

pgTest('one revision at a time gives the same catalog and version rows as one range', async (_t, db) => {
  await apply(db, 'upgrade', 'base:c6e23e92af16');
  await apply(db, 'upgrade', 'c6e23e92af16:8f6e0f2be8d2');
  await apply(db, 'upgrade', '8f6e0f2be8d2:7b4f50a1e0e0');
  // A sibling target: only the missing revision runs, and it gets a row of its own (a second head).
  await apply(db, 'upgrade', '7b4f50a1e0e0:2a6d94c6cc2b');
  assert.deepEqual(await versionRows(db), ['2a6d94c6cc2b', '7b4f50a1e0e0']);
  await apply(db, 'upgrade', '2a6d94c6cc2b,7b4f50a1e0e0:7c6ac304c575');
  assert.deepEqual(await versionRows(db), ['7c6ac304c575']);
  await apply(db, 'upgrade', '7c6ac304c575:0d8c359bb4f1');
  const stepwise = await catalog(db);
  const other = await db.server.createDatabase();
  try {
    await apply(other, 'upgrade', 'base:head');
    assert.deepEqual(stepwise, await catalog(other));
    assert.deepEqual(await versionRows(db), await versionRows(other));
  } finally {
    await other.drop();
  }
});

pgTest('downgrading through the merge point one step at a time restores each earlier catalog', async (_t, db) => {
  const snapshots: Record<string, unknown> = {};
  for (const [range, at] of [
    ['base:8f6e0f2be8d2', '8f6e0f2be8d2'],
    ['8f6e0f2be8d2:2a6d94c6cc2b,7b4f50a1e0e0', 'merge parents'],
  ] as const) {
    await apply(db, 'upgrade', range);
    snapshots[at] = await catalog(db);
  }
  await apply(db, 'upgrade', '2a6d94c6cc2b,7b4f50a1e0e0:head');
  await apply(db, 'downgrade', 'head:7c6ac304c575');
  await apply(db, 'downgrade', '7c6ac304c575:2a6d94c6cc2b,7b4f50a1e0e0');
  assert.deepEqual(await versionRows(db), ['2a6d94c6cc2b', '7b4f50a1e0e0']);
  assert.deepEqual(await catalog(db), snapshots['merge parents']);
  await apply(db, 'downgrade', '2a6d94c6cc2b,7b4f50a1e0e0:8f6e0f2be8d2');
  assert.deepEqual(await versionRows(db), ['8f6e0f2be8d2']);
  assert.deepEqual(await catalog(db), snapshots['8f6e0f2be8d2']);
});

writeFileSync(join(work, 'README'), 'scripts compiled by test/pg/example.test.ts\n');
