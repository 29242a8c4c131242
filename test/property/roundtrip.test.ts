/**
 * Property (issue 3): random valid op lists on random schemas — upgrade, then the DERIVED downgrade, applied
 * to a real PostgreSQL, give back exactly the catalog we started from; upgrading again gives the same
 * catalog as the first time; downgrading to base leaves only the empty version table.
 *
 * Each case is two migration files in a scratch project (`arbitraries.ts`): revision 1 builds a random
 * schema, revision 2 changes it and has no `downgrade`. The CLI compiles, in process, `upgrade base:r1`,
 * `upgrade r1:r2`, `downgrade r2:r1` and `downgrade r2:base`; the scripts run in order in ONE `psql -X -v
 * ON_ERROR_STOP=1 -f` (a `\connect` between scripts, so each starts in a fresh session as with separate
 * runs), which also reads the catalog (`catalog()` of test/support/postgres.ts, same query) and the version
 * rows after each script. One psql per case instead of ten keeps 200 cases within about a minute.
 *
 * Runs: 200 on CI (`CI` set), 50 locally; SQLSCRIBE_PROPERTY_RUNS overrides. The seed is random and printed
 * (with the path) by fast-check on failure, and as a diagnostic always; replay with
 * SQLSCRIBE_PROPERTY_SEED=<seed> [SQLSCRIBE_PROPERTY_PATH=<path>]; SQLSCRIBE_PROPERTY_KEEP=1 keeps the failing
 * case's project and scripts (and does not shrink); SQLSCRIBE_PROPERTY_HUNT=<pattern>,... (or `all`) generates
 * the patterns of `AVOID` again. On CI the test fails when PostgreSQL cannot be had (`pgTest`).
 *
 * One relaxation, PostgreSQL's and not sqlscribe's: a dropped column comes back LAST (ADD COLUMN cannot
 * choose a position), so for a table from which revision 2 drops a column, S1 and the catalog after the
 * downgrade are compared without column positions. Everything else must be equal.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { catalog, pgTest, type CatalogSnapshot, type PgDb } from '../support/postgres.js';
import { scratchProject, sqlscribe } from '../support/cli.js';
import { GENERATED, GEN_KINDS, isOn, REV1, REV2, migrationFile, roundTripCase, type GenKind, type RoundTripCase } from './arbitraries.js';

const RUNS = Number(process.env.SQLSCRIBE_PROPERTY_RUNS) || (process.env.CI ? 200 : 50);
const SEED = process.env.SQLSCRIBE_PROPERTY_SEED ? Number(process.env.SQLSCRIBE_PROPERTY_SEED) : undefined;
const PATH = process.env.SQLSCRIBE_PROPERTY_PATH || undefined;

// -------------------------------------------------------------------------------------------------
// The switches follow the schema model

/**
 * For each kind that needs the earlier schema: a set-up, and a one-op migration of that kind (TypeScript
 * source, as a user writes it). Derivable = `sqlscribe downgrade <change>:<setup>` compiles.
 */
const PROBES: Partial<Record<GenKind, { setup: string[]; change: string }>> = (() => {
  const table = `op.createTable('t', [column('id', t.integer(), { primaryKey: true }), column('a', t.text()), column('e', t.enum(['x'], { name: 'mood' }))], { comment: 'c' })`;
  return {
    dropTable: { setup: [table], change: `op.dropTable('t')` },
    dropColumn: { setup: [table], change: `op.dropColumn('t', 'a')` },
    dropIndex: { setup: [table, `op.createIndex('ix', 't', ['a'])`], change: `op.dropIndex('ix', { table: 't' })` },
    dropConstraint: { setup: [table, `op.createUniqueConstraint('uq', 't', ['a'])`], change: `op.dropConstraint('uq', 't', { type: 'unique' })` },
    alterNullable: { setup: [table], change: `op.alterColumn('t', 'a', { nullable: false })` },
    alterType: { setup: [table], change: `op.alterColumn('t', 'a', { type: t.string(10) })` },
    alterTypeUsing: { setup: [table], change: `op.alterColumn('t', 'a', { type: t.integer(), using: sql('a::integer') })` },
    alterTypeOneWay: { setup: [table], change: `op.alterColumn('t', 'e', { type: t.text() })` },
    alterDefault: { setup: [table], change: `op.alterColumn('t', 'a', { serverDefault: 'x' })` },
    alterComment: { setup: [table], change: `op.alterColumn('t', 'a', { comment: 'x' })` },
    replaceTableComment: { setup: [table], change: `op.createTableComment('t', 'd')` },
    dropTableComment: { setup: [table], change: `op.dropTableComment('t')` },
    dropEnum: { setup: [`op.createEnum('level', ['x'])`], change: `op.dropEnum('level')` },
    dropSchema: { setup: [`op.createSchema('s')`], change: `op.dropSchema('s')` },
  };
})();

async function derivable(kind: GenKind): Promise<boolean> {
  const probe = PROBES[kind];
  if (!probe) return true;
  const dir = scratchProject({
    [`migrations/${REV1}_setup.ts`]: migrationFile(REV1, null, 'setup', probe.setup),
    [`migrations/${REV2}_probe.ts`]: migrationFile(REV2, REV1, `probe ${kind}`, [probe.change]),
  });
  try {
    return (await sqlscribe(dir, 'downgrade', `${REV2}:${REV1}`)).code === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every op kind whose downgrade sqlscribe derives is generated (switch it on in arbitraries.ts GENERATED)', async (t) => {
  const can = new Map<GenKind, boolean>();
  for (const k of GEN_KINDS) can.set(k, await derivable(k));
  const derivableButOff = GEN_KINDS.filter((k) => GENERATED[k] === false && can.get(k));
  const onButNotDerivable = GEN_KINDS.filter((k) => isOn(k) && !can.get(k));
  t.diagnostic(`generated: ${GEN_KINDS.filter(isOn).join(', ')}`);
  for (const k of GEN_KINDS.filter((x) => !isOn(x))) t.diagnostic(`not generated: ${k}${typeof GENERATED[k] === 'string' ? ` (${GENERATED[k]})` : ''}`);
  assert.deepEqual(derivableButOff, [], `derivable now, switch on in GENERATED: ${derivableButOff.join(', ')}`);
  assert.deepEqual(onButNotDerivable, [], `generated but sqlscribe cannot derive their downgrade: ${onButNotDerivable.join(', ')}`);
});

// -------------------------------------------------------------------------------------------------
// Applying a case

/** The one query `catalog()` runs, captured once so that our single psql session can run it too. */
let catalogQuery: string | undefined;
async function catalogSql(): Promise<string> {
  if (catalogQuery === undefined) {
    let captured: string | undefined;
    const recorder = {
      queryJson: async (q: string) => {
        assert.equal(captured, undefined, 'catalog() is expected to read everything in one query');
        captured = q;
        return [{}];
      },
    } as unknown as PgDb;
    await catalog(recorder);
    catalogQuery = captured!.trim().replace(/;\s*$/, '');
  }
  return catalogQuery;
}

/** `catalog()` of rows that our session read with its query. */
async function snapshotOf(rows: unknown[]): Promise<CatalogSnapshot> {
  const query = await catalogSql();
  const replay = {
    queryJson: async (q: string) => {
      assert.equal(q.trim().replace(/;\s*$/, ''), query);
      return rows;
    },
  } as unknown as PgDb;
  return catalog(replay);
}

interface Phase {
  readonly name: string;
  readonly script: string;
}

interface PhaseResult {
  readonly catalog: CatalogSnapshot;
  readonly versions: string[];
}

interface Applied {
  readonly results: PhaseResult[];
  /** Set when a script failed: which, and why. */
  readonly failure?: string;
}

/** Runs the phases' scripts in one psql, reading catalog and version rows after each. */
async function applyPhases(db: PgDb, dir: string, phases: readonly Phase[]): Promise<Applied> {
  const query = await catalogSql();
  const lines: string[] = ['\\set QUIET on', '\\pset format unaligned', '\\pset tuples_only on', '\\pset pager off'];
  const ranges: { phase: Phase; from: number; to: number }[] = [];
  /** One entry per line of the file, so that psql's line numbers index `lines`. */
  const push = (...texts: string[]): void => {
    for (const text of texts) lines.push(...text.split('\n'));
  };
  phases.forEach((phase, i) => {
    const from = lines.length + 1;
    push(phase.script.replace(/\n$/, ''));
    ranges.push({ phase, from, to: lines.length });
    push(
      '\\connect',
      `\\o '${join(dir, `${i}.catalog.json`)}'`,
      `SELECT coalesce(json_agg(sqlscribe_q__), '[]'::json) FROM (${query}) sqlscribe_q__;`,
      `\\o '${join(dir, `${i}.versions.json`)}'`,
      "SELECT coalesce(json_agg(version_num ORDER BY version_num), '[]'::json) FROM alembic_version;",
      '\\o',
    );
  });
  const file = join(dir, 'all.sql');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const run = await db.psqlFile(file);
  const results: PhaseResult[] = [];
  for (let i = 0; i < phases.length; i += 1) {
    const cat = join(dir, `${i}.catalog.json`);
    const ver = join(dir, `${i}.versions.json`);
    if (!existsSync(ver) || readFileSync(ver, 'utf8').trim() === '') break;
    results.push({ catalog: await snapshotOf(JSON.parse(readFileSync(cat, 'utf8')) as unknown[]), versions: JSON.parse(readFileSync(ver, 'utf8')) as string[] });
  }
  if (run.code === 0 && results.length === phases.length) return { results };
  const at = Number(/:(\d+): (?:ERROR|FATAL)/.exec(run.stderr)?.[1] ?? NaN);
  const range = ranges.find((r) => at >= r.from && at <= r.to);
  const excerpt = range ? lines.slice(Math.max(range.from - 1, at - 6), at + 2).join('\n') : '';
  const phase = range?.phase.name ?? ranges[results.length]?.phase.name ?? '(reading the catalog)';
  return {
    results,
    failure: `psql failed (exit ${run.code}) in "${phase}":\n${run.stderr.trim()}\n--- around line ${at} of the script:\n${excerpt}\n--- whole "${phase}" script:\n${range?.phase.script ?? ''}`,
  };
}

/** Up to 25 differences between two JSON values, as `path: expected X, got Y`. */
function differences(expected: unknown, actual: unknown, path = '', out: string[] = []): string[] {
  if (out.length >= 25) return out;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(expected) && isObject(actual)) {
    for (const k of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) differences(expected[k], actual[k], `${path}.${k}`, out);
  } else if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    out.push(`${path || '(root)'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
  return out;
}

/** The catalog without column positions of the tables whose column order may change (see the header). */
function withoutPositions(snapshot: CatalogSnapshot, tables: readonly string[]): unknown {
  const copy = JSON.parse(JSON.stringify(snapshot)) as { tables: Record<string, { columns: Record<string, { position?: number }> }> };
  for (const key of tables) for (const c of Object.values(copy.tables[key]?.columns ?? {})) delete c.position;
  return copy;
}

function sameCatalog(what: string, expected: unknown, actual: unknown, script: string): void {
  const diff = differences(expected, actual);
  if (diff.length > 0) throw new Error(`${what}:\n  ${diff.join('\n  ')}\n--- the script:\n${script}`);
}

async function compile(dir: string, command: 'upgrade' | 'downgrade', range: string): Promise<string> {
  const r = await sqlscribe(dir, command, range);
  if (r.code !== 0) throw new Error(`sqlscribe ${command} ${range} failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** One case, on a database that holds at most an empty alembic_version; leaves it so when the property holds. */
async function roundTrip(db: PgDb, c: RoundTripCase): Promise<CatalogSnapshot> {
  const dir = scratchProject(c.files);
  const work = mkdtempSync(join(tmpdir(), 'sqlscribe-property-'));
  try {
    const phases: Phase[] = [
      { name: `upgrade base:${REV1}`, script: await compile(dir, 'upgrade', `base:${REV1}`) },
      { name: `upgrade ${REV1}:${REV2}`, script: await compile(dir, 'upgrade', `${REV1}:${REV2}`) },
      { name: `downgrade ${REV2}:${REV1} (derived)`, script: await compile(dir, 'downgrade', `${REV2}:${REV1}`) },
      { name: `upgrade ${REV1}:${REV2} again`, script: await compile(dir, 'upgrade', `${REV1}:${REV2}`) },
      { name: `downgrade ${REV2}:base`, script: await compile(dir, 'downgrade', `${REV2}:base`) },
    ];
    const { results, failure } = await applyPhases(db, work, phases);
    const [s1, s2, back, again, base] = results;
    // Compare what we have before reporting a failed script: a wrong catalog usually explains it.
    if (s1) assert.deepEqual(s1.versions, [REV1], 'version rows after upgrade base:r1');
    if (s2) assert.deepEqual(s2.versions, [REV2], 'version rows after upgrade r1:r2');
    if (s1 && back) {
      assert.deepEqual(back.versions, [REV1], 'version rows after the derived downgrade');
      sameCatalog('the derived downgrade r2:r1 did not restore the catalog S1 (expected = S1)', withoutPositions(s1.catalog, c.reordered), withoutPositions(back.catalog, c.reordered), phases[2]!.script);
    }
    if (s2 && again) {
      assert.deepEqual(again.versions, [REV2], 'version rows after upgrading again');
      sameCatalog('upgrading r1:r2 again did not reach the catalog S2 (expected = S2)', s2.catalog, again.catalog, phases[3]!.script);
    }
    if (failure) throw new Error(failure);
    assert.deepEqual(base!.versions, [], 'version rows after downgrade r2:base');
    const left = base!.catalog;
    assert.deepEqual(
      { schemas: left.schemas, tables: Object.keys(left.tables), enums: left.enums, sequences: left.sequences, extensions: left.extensions },
      { schemas: ['public'], tables: ['public.alembic_version'], enums: {}, sequences: {}, extensions: [] },
      'downgrade r2:base must leave only the empty alembic_version',
    );
    return left;
  } catch (err) {
    if (process.env.SQLSCRIBE_PROPERTY_KEEP === '1') (err as Error).message += `\n(kept: project ${dir}, scripts ${work})`;
    throw err;
  } finally {
    if (process.env.SQLSCRIBE_PROPERTY_KEEP !== '1') {
      rmSync(dir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  }
}

// -------------------------------------------------------------------------------------------------
// The property

pgTest('property: upgrade, derived downgrade, upgrade again on PostgreSQL round-trip the catalog exactly', { timeout: 60 * 60_000 }, async (t, first) => {
  const seed = SEED ?? (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
  t.diagnostic(`${RUNS} runs, seed ${seed}${PATH ? `, path ${PATH}` : ''} (replay: SQLSCRIBE_PROPERTY_SEED=${seed})`);
  t.diagnostic(`op kinds generated in revision 2: ${GEN_KINDS.filter(isOn).join(', ')}`);
  let db = first;
  let dirty = false; // a failed case leaves things behind: the next one gets a fresh database
  let checkedSnapshots = false;
  let cases = 0;
  const started = Date.now();
  try {
    await fc.assert(
      fc.asyncProperty(roundTripCase(), async (c) => {
        if (dirty) {
          const old = db;
          db = await db.server.createDatabase();
          if (old !== first) await old.drop().catch(() => undefined);
        }
        dirty = true;
        cases += 1;
        const left = await roundTrip(db, c);
        if (!checkedSnapshots) {
          // Our one-session reading of the catalog is `catalog()`'s own: check it once against the real thing.
          assert.deepEqual(await catalog(db), left, 'the catalog read in the psql session differs from catalog(db)');
          checkedSnapshots = true;
        }
        dirty = false;
      }),
      {
        numRuns: RUNS,
        seed,
        includeErrorInReport: true,
        ...(PATH ? { path: PATH } : {}),
        // Keeping files is for looking at one case: no shrinking, so only that case's files stay.
        ...(process.env.SQLSCRIBE_PROPERTY_KEEP === '1' ? { endOnFailure: true } : {}),
      },
    );
  } finally {
    t.diagnostic(`${cases} cases (with shrinking) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (db !== first) await db.drop().catch(() => undefined);
  }
});
