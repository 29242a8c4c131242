/**
 * The caches in `.sqlscribe-cache/` (src/cache/): correctness, not speed. A cached run gives the bytes an
 * uncached run gives; an edited migration, another tool build, a corrupt or truncated cache file never give
 * stale output; impure migration files are never cached.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadMigrations, revisionOf } from '../../src/load/migrations.js';
import { loadConfig } from '../../src/load/config.js';
import { RevisionMap, planUpgrade } from '../../src/revision/index.js';
import { revisionInputs, VERSION, type Project } from '../../src/cli/project.js';
import { compileSql } from '../../src/commands/sql.js';
import { ModuleEvaluator, TRANSPILE_KEY, sha256 } from '../../src/load/modules.js';
import { MigrationCache, RACY_MS, exactJson, toolFingerprint } from '../../src/cache/migrations.js';
import { KEPT_PACKS } from '../../src/cache/steps.js';
import { KEPT_SCRIPTS } from '../../src/cache/scripts.js';
import type { Migration } from '../../src/ops/types.js';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';

// The default cache folder of a scratch project is its own .sqlscribe-cache/.
delete process.env.SQLSCRIBE_CACHE_DIR;

const TOOL = 'test-tool';

/** An evaluator that fails the test if anything is evaluated: proves a load was served from the cache. */
class NoEvaluator extends ModuleEvaluator {
  override evaluate(abs: string): unknown {
    throw new Error(`evaluated ${abs}, expected a cache hit`);
  }
}

function load(dir: string, evaluator: ModuleEvaluator, tool = TOOL): { migrations: Migration[]; dataKeys: (string | undefined)[] } {
  const cache = new MigrationCache(join(dir, '.cache'), [join(dir, 'migrations')], tool);
  const loaded = loadMigrations([join(dir, 'migrations')], dir, evaluator, cache);
  // The op lists of a cached migration are parsed on first use: use them, as a compile does.
  for (const l of loaded) void [l.migration.upgrade, l.migration.downgrade, l.migration.assumes];
  return { migrations: loaded.map((l) => l.migration), dataKeys: loaded.map((l) => l.dataKey) };
}

const TWO = () =>
  scratchProject({
    'migrations/a1_first.ts': migrationSource('a1a1', null, "upgrade: [op.createTable('t', [column('id', t.integer(), { primaryKey: true }), column('c', t.text())])]"),
    'migrations/b2_second.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.createIndex('ix_t_c', 't', ['c'])]"),
  });

function dataFile(dir: string, cacheDir = join(dir, '.cache')): string {
  const folder = join(cacheDir, 'data');
  const files = readdirSync(folder).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 1, `one data cache file in ${folder}`);
  return join(folder, files[0]!);
}

/**
 * Overwrites the body of a data cache file with spaces (same header and length): an op list read from it
 * after this fails its checksum, and the loader evaluates the migration's file instead.
 */
function blankBody(file: string): void {
  const bytes = readFileSync(file);
  const bodyAt = bytes.indexOf(10, bytes.indexOf(10) + 1) + 1;
  writeFileSync(file, Buffer.concat([bytes.subarray(0, bodyAt), Buffer.alloc(bytes.length - bodyAt, 0x20)]));
}

test('a warm load is served from the data cache: equal, frozen migrations, no file evaluated', () => {
  const dir = TWO();
  const cold = load(dir, new ModuleEvaluator(join(dir, '.cache')));
  assert.ok(cold.dataKeys.every((k) => typeof k === 'string' && /^[0-9a-f]{64}$/.test(k)), 'pure files get a data key');
  const warm = load(dir, new NoEvaluator());
  assert.deepEqual(warm.migrations, cold.migrations);
  assert.deepEqual(warm.dataKeys, cold.dataKeys);
  assert.ok(Object.isFrozen(warm.migrations[0]) && Object.isFrozen(warm.migrations[0]!.upgrade[0]), 'frozen as the builders freeze');
});

test('editing a migration invalidates its entry: the edited file is evaluated again, the other is not', () => {
  const dir = TWO();
  load(dir, new ModuleEvaluator());
  writeFileSync(join(dir, 'migrations/b2_second.ts'), migrationSource('b2b2', 'a1a1', "upgrade: [op.createIndex('ix_t_c_2', 't', ['c'])]"));
  const evaluated: string[] = [];
  class Spy extends ModuleEvaluator {
    override evaluate(abs: string, source: string, o?: { hash?: string; label?: string }): unknown {
      evaluated.push(abs);
      return super.evaluate(abs, source, o);
    }
  }
  const after = load(dir, new Spy());
  assert.deepEqual(evaluated, [join(dir, 'migrations/b2_second.ts')]);
  const ix = after.migrations[1]!.upgrade[0]!;
  assert.equal(ix.kind === 'createIndex' && ix.name, 'ix_t_c_2');
});

test('a warm load reads the body only for the op lists it uses, and never from a file rewritten since its index was read', async () => {
  const dir = TWO();
  // Recorded stats (not racily clean): the warm load below has nothing to write, so it keeps the file's body unread.
  await new Promise((r) => setTimeout(r, RACY_MS + 200));
  const cold = load(dir, new ModuleEvaluator(join(dir, '.cache')));
  const evaluated: string[] = [];
  class Spy extends ModuleEvaluator {
    override evaluate(abs: string, source: string, o?: { hash?: string; label?: string }): unknown {
      evaluated.push(abs);
      return super.evaluate(abs, source, o);
    }
  }
  const cache = new MigrationCache(join(dir, '.cache'), [join(dir, 'migrations')], TOOL);
  const loaded = loadMigrations([join(dir, 'migrations')], dir, new Spy(), cache);
  assert.deepEqual(loaded.map((l) => l.input?.revision), ['a1a1', 'b2b2'], 'the revision fields come from the index');
  assert.deepEqual(evaluated, []);
  // The body changes on disk after the index was read (same header and length, other bytes): not used.
  blankBody(dataFile(dir));
  assert.deepEqual(loaded.map((l) => l.migration), cold.migrations, 'the values are right');
  assert.deepEqual(evaluated, [join(dir, 'migrations/a1_first.ts'), join(dir, 'migrations/b2_second.ts')], 'evaluated, not read from the changed body');
  // Rewritten by another tool build: the values of a run that had read the old index are still right.
  const again = loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator(), new MigrationCache(join(dir, '.cache'), [join(dir, 'migrations')], TOOL));
  load(dir, new ModuleEvaluator(), 'build-2');
  assert.deepEqual(again.map((l) => l.migration), cold.migrations);
});

test('files outside the working folder keep absolute paths in the index, and a warm load from there is served from the cache', async () => {
  const dir = TWO();
  const cwd = join(dir, 'elsewhere');
  mkdirSync(cwd);
  await new Promise((r) => setTimeout(r, RACY_MS + 200));
  const loadFrom = (evaluator: ModuleEvaluator) => {
    const loaded = loadMigrations([join(dir, 'migrations')], cwd, evaluator, new MigrationCache(join(dir, '.cache'), [join(dir, 'migrations')], TOOL));
    return loaded.map((l) => [l.file, l.migration.revision, l.migration.upgrade.length]);
  };
  const cold = loadFrom(new ModuleEvaluator());
  const index = JSON.parse(readFileSync(dataFile(dir), 'utf8').split('\n')[1]!) as { files: [string, string, string][] };
  assert.deepEqual(index.files.map((r) => r[0]), [join(dir, 'migrations/a1_first.ts'), join(dir, 'migrations/b2_second.ts')]);
  assert.deepEqual(loadFrom(new NoEvaluator()), cold);
  assert.deepEqual(cold.map((r) => r[0]), ['../migrations/a1_first.ts', '../migrations/b2_second.ts']);
});

test('a cache file written by another tool build is not used', () => {
  const dir = TWO();
  load(dir, new ModuleEvaluator(), 'build-1');
  assert.throws(() => load(dir, new NoEvaluator(), 'build-2'), /expected a cache hit/);
});

test('a corrupt, truncated or tampered data cache file is ignored and rewritten', () => {
  const dir = TWO();
  const good = load(dir, new ModuleEvaluator());
  const file = dataFile(dir);
  const text = readFileSync(file, 'utf8');
  const nl = text.indexOf('\n');
  const variants: Record<string, string> = {
    garbage: 'not json at all \u0000\u0001',
    truncated: text.slice(0, Math.floor(text.length / 2)),
    'wrong length': text.slice(0, nl + 1) + text.slice(nl + 1).replace('"a1a1"', '"a1a1" '),
    'entry not a migration': text.slice(0, nl + 1) + text.slice(nl + 1).replace('"kind":"migration"', '"kind":"migratio_"'),
    'unknown op kind': text.slice(0, nl + 1) + text.slice(nl + 1).replace('"kind":"createIndex"', '"kind":"createIndeX"'),
    'header only': text.slice(0, nl),
  };
  for (const [what, bad] of Object.entries(variants)) {
    writeFileSync(file, bad);
    assert.throws(() => load(dir, new NoEvaluator()), /expected a cache hit/, `${what}: the corrupt entry must not be used`);
    const again = load(dir, new ModuleEvaluator());
    assert.deepEqual(again.migrations, good.migrations, `${what}: evaluated again`);
    assert.deepEqual(load(dir, new NoEvaluator()).migrations, good.migrations, `${what}: rewritten`);
  }
});

test('the stat fast path: a same-size edit, a new file and a removed file are all seen after the stats were recorded', async () => {
  const dir = TWO();
  // Files changed less than RACY_MS ago are not recorded (their timestamps could be shared by a later change).
  await new Promise((r) => setTimeout(r, RACY_MS + 200));
  load(dir, new ModuleEvaluator());
  const index = JSON.parse(readFileSync(dataFile(dir), 'utf8').split('\n')[1]!) as { files: [string, string, string][]; dirs: Record<string, string> | null };
  assert.deepEqual(index.files.map((r) => r[0]), ['migrations/a1_first.ts', 'migrations/b2_second.ts'], 'the files in order, relative to the working folder');
  assert.ok(index.files.every((r) => r[1] !== '' && r[2] !== ''), 'both files recorded by stat');
  assert.deepEqual(Object.keys(index.dirs ?? {}), [join(dir, 'migrations')], 'the listing is recorded');
  // What the next run gets without listing or reading: the listing, and each file's hash by its stat.
  const probe = new MigrationCache(join(dir, '.cache'), [join(dir, 'migrations')], TOOL);
  const a1 = join(dir, 'migrations/a1_first.ts');
  assert.deepEqual(probe.listing(dir, (p) => statSync(p, { bigint: true })), index.files.map((r) => join(dir, r[0])));
  assert.equal(probe.hashOf(a1, statSync(a1, { bigint: true })), sha256(readFileSync(a1)));
  const evaluated: string[] = [];
  class Spy extends ModuleEvaluator {
    override evaluate(abs: string, source: string, o?: { hash?: string; label?: string }): unknown {
      evaluated.push(abs);
      return super.evaluate(abs, source, o);
    }
  }
  // Same size, other bytes.
  const b2 = join(dir, 'migrations/b2_second.ts');
  const before = readFileSync(b2, 'utf8');
  writeFileSync(b2, before.replace("'ix_t_c'", "'ix_t_d'"));
  assert.equal(readFileSync(b2).length, Buffer.byteLength(before));
  let now = load(dir, new Spy());
  assert.deepEqual(evaluated, [b2]);
  const ix = now.migrations[1]!.upgrade[0]!;
  assert.equal(ix.kind === 'createIndex' && ix.name, 'ix_t_d');
  // A new file and a removed one: the folder changed, so it is listed again.
  writeFileSync(join(dir, 'migrations/c3_third.ts'), migrationSource('c3c3', 'b2b2', "upgrade: [op.dropIndex('ix_t_d')]"));
  now = load(dir, new ModuleEvaluator());
  assert.deepEqual(now.migrations.map((m) => m.revision), ['a1a1', 'b2b2', 'c3c3']);
  rmSync(join(dir, 'migrations/c3_third.ts'));
  now = load(dir, new ModuleEvaluator());
  assert.deepEqual(now.migrations.map((m) => m.revision), ['a1a1', 'b2b2']);
});

test('impure files are not cached: a helper import, process.env, Date; their migrations get no data key', () => {
  const dir = scratchProject({
    'migrations/_cols.ts': "import { column, t } from 'sqlscribe';\nexport const id = () => column('id', t.integer(), { primaryKey: true });\n",
    'migrations/a1.ts': "import { migration, op } from 'sqlscribe';\nimport { id } from './_cols.js';\nexport default migration({ revision: 'a1a1', down: null, message: 'm', upgrade: [op.createTable('t', [id()])] });\n",
    'migrations/b2.ts': "import { migration } from 'sqlscribe';\nexport default migration({ revision: 'b2b2', down: 'a1a1', message: process.env.SQLSCRIBE_TEST_MESSAGE ?? 'unset', upgrade: [] });\n",
    'migrations/c3.ts': "import { migration } from 'sqlscribe';\nexport default migration({ revision: 'c3c3', down: 'b2b2', message: String(Date.now() > 0), upgrade: [] });\n",
    'migrations/d4.ts': "import { migration } from 'sqlscribe';\nexport default migration({ revision: 'd4d4', down: 'c3c3', message: 'process Date Math in a string are fine', upgrade: [] });\n",
  });
  process.env.SQLSCRIBE_TEST_MESSAGE = 'first';
  const first = load(dir, new ModuleEvaluator());
  assert.deepEqual(first.dataKeys.map((k) => k !== undefined), [false, false, false, true]);
  process.env.SQLSCRIBE_TEST_MESSAGE = 'second';
  const second = load(dir, new ModuleEvaluator());
  assert.equal(second.migrations[1]!.message, 'second');
  delete process.env.SQLSCRIBE_TEST_MESSAGE;
});

test('exactJson: only values JSON gives back unchanged', () => {
  const shared = { a: 1 };
  for (const [v, ok] of [
    [{ a: [1, 'x', true, null, { b: 2 }] }, true],
    [{ a: undefined }, false],
    [{ a: -0 }, false],
    [{ a: NaN }, false],
    [{ a: () => 1 }, false],
    [{ a: new Date(0) }, false],
    [[shared, shared], false],
    [[1, , 3], false], // eslint-disable-line no-sparse-arrays
    [Object.create(null), true],
  ] as const) {
    assert.equal(exactJson(v), ok, JSON.stringify(v) ?? String(v));
  }
});

// ---- The compiled-step cache, through the CLI ----

const CACHE = (dir: string) => join(dir, '.sqlscribe-cache');

/** Runs the CLI and returns stdout, failing on a non-zero exit. */
async function run(dir: string, ...argv: string[]): Promise<string> {
  const r = await sqlscribe(dir, ...argv);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/**
 * {@link run} for the step cache's tests: the script cache (which answers a command run again on the same
 * inputs before any step is looked up) is emptied first, so that every run goes through the step cache.
 */
async function ok(dir: string, ...argv: string[]): Promise<string> {
  rmSync(join(CACHE(dir), 'scripts'), { recursive: true, force: true });
  return run(dir, ...argv);
}

/** The output of a run with no cache at all (the folder deleted before and after). */
async function uncached(dir: string, ...argv: string[]): Promise<string> {
  rmSync(CACHE(dir), { recursive: true, force: true });
  const out = await ok(dir, ...argv);
  rmSync(CACHE(dir), { recursive: true, force: true });
  return out;
}

const THREE = () =>
  scratchProject({
    'migrations/a1.ts': migrationSource('a1a1', null, "upgrade: [op.createTable('t', [column('id', t.integer(), { primaryKey: true }), column('c', t.text())])]"),
    'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.addColumn('t', column('d', t.integer()))]"),
    'migrations/c3.ts': migrationSource('c3c3', 'b2b2', "upgrade: [op.createIndex('ix_t_c', 't', ['c']), op.dropColumn('t', 'd')]"),
  });

test('step cache: cached runs give the uncached bytes, for upgrade, head-1:head and a derived downgrade', async () => {
  const dir = THREE();
  for (const argv of [['upgrade', 'head'], ['upgrade', 'head-1:head'], ['downgrade', 'head:base'], ['upgrade', 'a1a1:b2b2']]) {
    const expected = await uncached(dir, ...argv);
    assert.equal(await ok(dir, ...argv), expected, `${argv.join(' ')}: cold`);
    assert.ok(readdirSync(join(CACHE(dir), 'steps')).length > 0, 'steps were stored');
    assert.equal(await ok(dir, ...argv), expected, `${argv.join(' ')}: warm`);
  }
  // head-1:head after base:head (and the other way round) shares the last step: still the same bytes.
  const last = await uncached(dir, 'upgrade', 'head-1:head');
  await ok(dir, 'upgrade', 'head');
  assert.equal(await ok(dir, 'upgrade', 'head-1:head'), last);
});

test('step cache: editing an earlier migration invalidates the later steps (the model changed)', async () => {
  const dir = THREE();
  await ok(dir, 'upgrade', 'head');
  await ok(dir, 'upgrade', 'head-1:head');
  // c3's ops now meet a table without column "c": the cached c3 step must not be served.
  writeFileSync(join(dir, 'migrations/a1.ts'), migrationSource('a1a1', null, "upgrade: [op.createTable('t', [column('id', t.integer(), { primaryKey: true }), column('e', t.text())])]"));
  for (const range of ['head', 'head-1:head']) {
    const r = await sqlscribe(dir, 'upgrade', range);
    assert.equal(r.code, 1, `${range}: ${r.stdout}`);
    assert.match(r.stderr, /^sqlscribe: error: migrations\/c3\.ts \(revision c3c3, upgrade op 1 createIndex\): .*column "c" of table "t" does not exist/);
  }
  // A fix gives what an uncached run gives.
  writeFileSync(join(dir, 'migrations/c3.ts'), migrationSource('c3c3', 'b2b2', "upgrade: [op.createIndex('ix_t_e', 't', ['e']), op.dropColumn('t', 'd')]"));
  const expected = await uncached(dir, 'upgrade', 'head');
  await ok(dir, 'upgrade', 'head');
  assert.equal(await ok(dir, 'upgrade', 'head'), expected);
});

test('step cache: a different template override or naming convention is another key', async () => {
  const dir = THREE();
  const plain = await ok(dir, 'upgrade', 'head');
  mkdirSync(join(dir, 'tpl', 'postgresql'), { recursive: true });
  const original = readFileSync(new URL('../../../templates/postgresql/createIndex.sql.hbs', import.meta.url), 'utf8');
  writeFileSync(join(dir, 'tpl', 'postgresql', 'createIndex.sql.hbs'), `/* team */ ${original}`);
  const custom = await uncached(dir, 'upgrade', 'head', '--templates', 'tpl');
  assert.match(custom, /\/\* team \*\/ CREATE INDEX/);
  await ok(dir, 'upgrade', 'head');
  assert.equal(await ok(dir, 'upgrade', 'head', '--templates', 'tpl'), custom, 'the override is not served the built-in step');
  assert.equal(await ok(dir, 'upgrade', 'head'), plain);
  writeFileSync(join(dir, 'sqlscribe.config.json'), JSON.stringify({ namingConvention: { ix: 'ix_%(column_0_label)s' } }));
  const named = await uncached(dir, 'upgrade', 'head');
  assert.equal(await ok(dir, 'upgrade', 'head'), named);
});

test('step cache: a corrupt step entry is ignored; a failing compile stores nothing', async () => {
  const dir = THREE();
  const expected = await uncached(dir, 'upgrade', 'head');
  await ok(dir, 'upgrade', 'head');
  const steps = join(CACHE(dir), 'steps');
  for (const f of readdirSync(steps)) writeFileSync(join(steps, f), '{"statements":[{"sql":42}],"findings":[]}');
  assert.equal(await ok(dir, 'upgrade', 'head'), expected);
  for (const f of readdirSync(steps)) writeFileSync(join(steps, f), '{"statem');
  assert.equal(await ok(dir, 'upgrade', 'head'), expected);

  const bad = scratchProject({
    'migrations/a1.ts': migrationSource('a1a1', null, "upgrade: [op.createTable('t', [column('id', t.integer(), { primaryKey: true })])]"),
    'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.dropColumn('t', 'nope')]"),
  });
  const r = await sqlscribe(bad, 'upgrade', 'head');
  assert.equal(r.code, 1);
  assert.equal(existsSync(join(CACHE(bad), 'steps')), false, 'no step of a failed compile is stored');
});

test('step cache: --idempotent is another key; lint findings and file checksums come back warm', async () => {
  const dir = THREE();
  const plain = await uncached(dir, 'upgrade', 'head-1:head');
  const idem = await uncached(dir, 'upgrade', 'head-1:head', '--idempotent');
  assert.notEqual(idem, plain);
  assert.match(plain, /^-- Lint findings \(\d+;/m, 'c3 has findings (its index is not built concurrently)');
  assert.match(plain, /^--\s+migrations\/c3\.ts sha256 [0-9a-f]{64}$/m);
  await ok(dir, 'upgrade', 'head-1:head');
  assert.equal(await ok(dir, 'upgrade', 'head-1:head', '--idempotent'), idem, 'the plain step is not served to --idempotent');
  assert.equal(await ok(dir, 'upgrade', 'head-1:head', '--idempotent'), idem);
  assert.equal(await ok(dir, 'upgrade', 'head-1:head'), plain, 'nor the idempotent one to a plain run');
});

test('step cache: a SQLite table rebuild keeps its layout warm (the step is still marked rebuilt)', async () => {
  const dir = scratchProject({
    'migrations/a1.ts': migrationSource('a1a1', null, "upgrade: [op.createTable('t', [column('id', t.integer(), { primaryKey: true }), column('c', t.text())])]"),
    'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.alterColumn('t', 'c', { nullable: false })]"),
  });
  for (const range of ['head', 'head-1:head']) {
    const expected = await uncached(dir, 'upgrade', range, '--dialect', 'sqlite', '--no-guard');
    assert.match(expected, /^PRAGMA foreign_keys=OFF;$/m, 'the uncached script rebuilds the table');
    await ok(dir, 'upgrade', range, '--dialect', 'sqlite', '--no-guard');
    assert.equal(await ok(dir, 'upgrade', range, '--dialect', 'sqlite', '--no-guard'), expected, `${range}: warm`);
  }
});

test('step cache: --split gives the uncached files and manifest warm', async () => {
  const dir = THREE();
  const read = (): Record<string, string> => Object.fromEntries(readdirSync(join(dir, 'split')).sort().map((f) => [f, readFileSync(join(dir, 'split', f), 'utf8')]));
  rmSync(CACHE(dir), { recursive: true, force: true });
  await ok(dir, 'upgrade', 'head', '--split', '-o', 'split');
  const expected = read();
  rmSync(CACHE(dir), { recursive: true, force: true });
  assert.equal(Object.keys(expected).length, 4);
  await ok(dir, 'upgrade', 'head', '--split', '-o', 'split');
  assert.equal(readdirSync(join(CACHE(dir), 'steps')).filter((f) => f.startsWith('pack-')).length, 1, 'the steps were stored, in one pack');
  await ok(dir, 'upgrade', 'head', '--split', '-o', 'split');
  assert.deepEqual(read(), expected);
});

test('step cache: a plan of several steps is stored as one pack, read whole; a pack with a malformed entry is not served and is rewritten', async () => {
  const dir = THREE();
  const expected = await uncached(dir, 'upgrade', 'head');
  await ok(dir, 'upgrade', 'head');
  const steps = join(CACHE(dir), 'steps');
  const packs = () => readdirSync(steps).filter((f) => f.startsWith('pack-'));
  assert.deepEqual(readdirSync(steps), packs(), 'one file for the plan: its pack, no file per step');
  assert.equal(packs().length, 1);
  const pack = join(steps, packs()[0]!);
  const lines = readFileSync(pack, 'utf8').split('\n');
  const keys = (JSON.parse(lines[0]!) as { keys: string[] }).keys;
  assert.equal(keys.length, 3);
  assert.equal(lines.length, 5, 'the keys, one line per entry, a final newline');
  // A warm run reads the steps from it (the marked statement comes back).
  const entry = JSON.parse(lines[3]!) as { statements: { sql?: string }[] };
  entry.statements[0]!.sql = 'SELECT 1 /* from the pack */';
  writeFileSync(pack, [lines[0], lines[1], lines[2], JSON.stringify(entry), ''].join('\n'));
  assert.match(await ok(dir, 'upgrade', 'head'), /^SELECT 1 \/\* from the pack \*\/;$/m);
  // A malformed entry: that step compiles again, the bytes are the uncached ones, and the pack is written
  // again whole.
  writeFileSync(pack, [lines[0], lines[1], lines[2], '{"statements":[{"sql":42}],"findings":[]}', ''].join('\n'));
  assert.equal(await ok(dir, 'upgrade', 'head'), expected);
  assert.equal(readFileSync(pack, 'utf8'), lines.join('\n'));
});

test('step cache: another plan finds its steps in the last pack (head-1:head after base:head, base:head after a new revision)', async () => {
  const dir = THREE();
  const last = await uncached(dir, 'upgrade', 'head-1:head');
  await ok(dir, 'upgrade', 'head');
  const steps = join(CACHE(dir), 'steps');
  const [pack] = readdirSync(steps);
  const lines = readFileSync(join(steps, pack!), 'utf8').split('\n');
  // Mark c3's entry in the base:head pack: head-1:head (one step, no pack of its own) is served from it.
  const entry = JSON.parse(lines[3]!) as { statements: { sql?: string }[] };
  entry.statements[0]!.sql = 'SELECT 3 /* from the base:head pack */';
  writeFileSync(join(steps, pack!), [lines[0], lines[1], lines[2], JSON.stringify(entry), ''].join('\n'));
  assert.match(await ok(dir, 'upgrade', 'head-1:head'), /^SELECT 3 \/\* from the base:head pack \*\/;$/m);
  assert.ok(readdirSync(steps).some((f) => !f.startsWith('pack-')), 'the one-step plan stored its step in its own file');
  writeFileSync(join(steps, pack!), lines.join('\n'));
  rmSync(join(steps, readdirSync(steps).find((f) => !f.startsWith('pack-'))!));
  assert.equal(await ok(dir, 'upgrade', 'head-1:head'), last);
  // A new revision: base:head is a new plan; its first three steps come from the old pack (marked), only
  // the new one compiles, and the new plan's pack holds all four.
  writeFileSync(join(steps, pack!), [lines[0], lines[1], lines[2], JSON.stringify(entry), ''].join('\n'));
  for (const f of readdirSync(steps)) if (!f.startsWith('pack-')) rmSync(join(steps, f));
  writeFileSync(join(dir, 'migrations/d4.ts'), migrationSource('d4d4', 'c3c3', "upgrade: [op.addColumn('t', column('f', t.text()))]"));
  const four = await ok(dir, 'upgrade', 'head');
  assert.match(four, /^SELECT 3 \/\* from the base:head pack \*\/;$/m);
  assert.match(four, /^ALTER TABLE t ADD COLUMN f TEXT;$/m);
  const packs = readdirSync(steps).filter((f) => f.startsWith('pack-') && f !== pack);
  assert.equal(packs.length, 1);
  assert.equal((JSON.parse(readFileSync(join(steps, packs[0]!), 'utf8').split('\n')[0]!) as { keys: string[] }).keys.length, 4);
});

test('step cache: a compile replays the model only up to its last uncached step, and reads no op list when every step is cached', async () => {
  const dir = THREE();
  await ok(dir, 'upgrade', 'head');
  await ok(dir, 'upgrade', 'head-1:head');
  const config = loadConfig(dir);
  const evaluated: string[] = [];
  class Spy extends ModuleEvaluator {
    override evaluate(abs: string, source: string, o?: { hash?: string; label?: string; deferCache?: boolean }): unknown {
      evaluated.push(relative(dir, abs));
      return super.evaluate(abs, source, o);
    }
  }
  /** Compiles `range` as the CLI does, from the caches; returns the files whose op lists it read. */
  const compile = (range: string): string[] => {
    const migrations = loadMigrations(config.migrations, dir, new Spy(config.cacheDir), new MigrationCache(config.cacheDir, config.migrations, toolFingerprint(VERSION, TRANSPILE_KEY)));
    // Any op list read from now on is evaluated from its file (and so recorded).
    blankBody(dataFile(dir, config.cacheDir));
    evaluated.length = 0;
    const map = RevisionMap.build(revisionInputs(migrations));
    const project: Project = { cwd: dir, config, migrations, map, byRevision: new Map(migrations.map((lm) => [revisionOf(lm), lm])) };
    compileSql(project, 'upgrade', range, planUpgrade(map, range), {});
    return [...evaluated];
  };
  assert.deepEqual(compile('base:head'), [], 'every step cached: no op list read, nothing replayed');
  assert.deepEqual(compile('head-1:head'), [], 'the step of c3 cached: a1 and b2 are not replayed');
  // a1's entry in the base:head pack made unusable: a1 compiles, b2 and c3 (cached, after the last miss) do
  // not need the model, so nothing is replayed or read for them.
  const steps = join(config.cacheDir!, 'steps');
  const pack = join(steps, readdirSync(steps).find((f) => f.startsWith('pack-'))!);
  const lines = readFileSync(pack, 'utf8').split('\n');
  writeFileSync(pack, [lines[0], '{}', ...lines.slice(2)].join('\n'));
  assert.deepEqual(compile('base:head'), ['migrations/a1.ts']);
  // c3's own step gone (and its entry in the pack): a1 and b2 are replayed before it, then c3 compiles.
  rmSync(steps, { recursive: true });
  assert.deepEqual(compile('head-1:head'), ['migrations/a1.ts', 'migrations/b2.ts', 'migrations/c3.ts']);
});

test('step cache: packs are pruned to the last ones written', async () => {
  const dir = THREE();
  const packs = () => readdirSync(join(CACHE(dir), 'steps')).filter((f) => f.startsWith('pack-'));
  const written = new Set<string>();
  for (const argv of [['upgrade', 'head'], ['upgrade', 'a1a1:head'], ['upgrade', 'base:b2b2'], ['downgrade', 'head:base'], ['downgrade', 'head:a1a1'], ['upgrade', 'head', '--idempotent']]) {
    await ok(dir, ...argv);
    for (const p of packs()) written.add(p);
  }
  assert.ok(written.size > KEPT_PACKS, `more plans (${written.size}) than packs kept`);
  assert.equal(packs().length, KEPT_PACKS);
  // A pruned plan compiles again, to the same bytes.
  assert.equal(await ok(dir, 'upgrade', 'head'), await uncached(dir, 'upgrade', 'head'));
});

// ---- The script cache, through the CLI ----

const scripts = (dir: string): string[] => (existsSync(join(CACHE(dir), 'scripts')) ? readdirSync(join(CACHE(dir), 'scripts')).sort() : []);

/** Replaces the text of the stored scripts (all, or those named): a run that prints it was answered by the script cache. */
function markScripts(dir: string, text: string, only?: readonly string[]): void {
  for (const f of only ?? scripts(dir)) {
    const file = join(CACHE(dir), 'scripts', f);
    const entry = readFileSync(file, 'utf8');
    const first = entry.slice(0, entry.indexOf('\n'));
    assert.match(first, /^-- sqlscribe script cache [0-9a-f]{64} file$/);
    writeFileSync(file, `${first}\n${text}`);
  }
}

test('script cache: the same command on the same inputs is answered from it, byte for byte, also with -o', async () => {
  const dir = THREE();
  const expected = await uncached(dir, 'upgrade', 'head');
  assert.equal(await run(dir, 'upgrade', 'head'), expected);
  assert.equal(scripts(dir).length, 1, 'one script stored');
  assert.match(scripts(dir)[0]!, /^[0-9a-f]{64}\.sql$/);
  assert.equal(await run(dir, 'upgrade', 'head'), expected, 'warm: the same bytes');
  // Served from the entry, not compiled: a marked entry comes back as it is.
  markScripts(dir, 'SELECT 1; -- from the script cache\n');
  assert.equal(await run(dir, 'upgrade', 'head'), 'SELECT 1; -- from the script cache\n');
  // -o is another command line (the script names its file): compiled, stored, then served and written.
  await uncached(dir, 'upgrade', 'head', '-o', 'up.sql');
  const written = readFileSync(join(dir, 'up.sql'), 'utf8');
  assert.match(written, /^-- Reproduce with: sqlscribe upgrade head -o up\.sql$/m);
  rmSync(join(dir, 'up.sql'));
  await run(dir, 'upgrade', 'head', '-o', 'up.sql');
  assert.equal(readFileSync(join(dir, 'up.sql'), 'utf8'), written);
  assert.equal(scripts(dir).length, 1);
  markScripts(dir, 'SELECT 2; -- from the script cache\n');
  await run(dir, 'upgrade', 'head', '-o', 'up.sql');
  assert.equal(readFileSync(join(dir, 'up.sql'), 'utf8'), 'SELECT 2; -- from the script cache\n');
});

test('script cache: an edited, added or removed migration, other options, a template override or the config are other keys', async () => {
  const dir = THREE();
  await run(dir, 'upgrade', 'head');
  markScripts(dir, 'STALE\n');
  const fresh = async (...argv: string[]) => {
    const expected = await uncachedKeeping(dir, ...argv);
    assert.equal(await run(dir, ...argv), expected, argv.join(' '));
  };
  // Each change below gives the uncached bytes, never the marked entry.
  await fresh('upgrade', 'head', '--no-guard');
  await fresh('upgrade', 'b2b2');
  await fresh('downgrade', 'head:base');
  writeFileSync(join(dir, 'migrations/b2.ts'), migrationSource('b2b2', 'a1a1', "upgrade: [op.addColumn('t', column('d', t.bigInteger()))]"));
  await fresh('upgrade', 'head');
  const before = scripts(dir);
  writeFileSync(join(dir, 'migrations/d4.ts'), migrationSource('d4d4', 'c3c3', "upgrade: [op.addColumn('t', column('f', t.text()))]"));
  await fresh('upgrade', 'head');
  // Removing d4 again returns to the inputs just before it, whose stored script is right for them; the
  // script of the history with d4 (marked) is not served.
  markScripts(dir, 'STALE\n', scripts(dir).filter((f) => !before.includes(f)));
  rmSync(join(dir, 'migrations/d4.ts'));
  await fresh('upgrade', 'head');
  markScripts(dir, 'STALE\n');
  mkdirSync(join(dir, 'tpl', 'postgresql'), { recursive: true });
  writeFileSync(join(dir, 'tpl', 'postgresql', 'createIndex.sql.hbs'), '/* team */ CREATE INDEX {{name}} ON {{table}} ({{columns}})');
  await fresh('upgrade', 'head', '--templates', 'tpl');
  markScripts(dir, 'STALE\n');
  writeFileSync(join(dir, 'tpl', 'postgresql', 'createIndex.sql.hbs'), '/* team, v2 */ CREATE INDEX {{name}} ON {{table}} ({{columns}})');
  await fresh('upgrade', 'head', '--templates', 'tpl');
  markScripts(dir, 'STALE\n');
  writeFileSync(join(dir, 'sqlscribe.config.json'), JSON.stringify({ versionTable: 'schema_version' }));
  await fresh('upgrade', 'head');
});

/** The output of a run without the cache, leaving the cache folder as it was. */
async function uncachedKeeping(dir: string, ...argv: string[]): Promise<string> {
  const saved = `${CACHE(dir)}.saved`;
  rmSync(saved, { recursive: true, force: true });
  if (existsSync(CACHE(dir))) renameSync(CACHE(dir), saved);
  try {
    const out = await run(dir, ...argv);
    rmSync(CACHE(dir), { recursive: true, force: true });
    return out;
  } finally {
    if (existsSync(saved)) renameSync(saved, CACHE(dir));
  }
}

test('script cache: nothing is stored for impure migrations, for --date without a value, or for a failing compile', async () => {
  const impure = scratchProject({
    'migrations/a1.ts': migrationSource('a1a1', null, "upgrade: [op.createTable(process.env.SQLSCRIBE_TEST_TABLE ?? 't', [column('id', t.integer(), { primaryKey: true })])]"),
  });
  await run(impure, 'upgrade', 'head');
  assert.deepEqual(scripts(impure), [], 'a migration reading process.env may differ next time');
  const dir = THREE();
  const dated = await run(dir, 'upgrade', 'head', '--date');
  assert.match(dated, /^-- Date: \d{4}-\d\d-\d\dT/m);
  assert.deepEqual(scripts(dir), [], '--date takes the clock');
  await run(dir, 'upgrade', 'head', '--date', '2026-01-01');
  assert.equal(scripts(dir).length, 1, 'a given --date is an input like any other');
  const bad = scratchProject({
    'migrations/a1.ts': migrationSource('a1a1', null, "upgrade: [op.createTable('t', [column('id', t.integer(), { primaryKey: true })])]"),
    'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.dropColumn('t', 'nope')]"),
  });
  for (let i = 0; i < 2; i++) {
    const r = await sqlscribe(bad, 'upgrade', 'head');
    assert.equal(r.code, 1, 'fails every time: no output is remembered for it');
  }
  assert.deepEqual(scripts(bad), []);
});

test('script cache: a corrupt or foreign entry is ignored and written again; entries are pruned to the last ones written', async () => {
  const dir = THREE();
  const expected = await uncached(dir, 'upgrade', 'head');
  await run(dir, 'upgrade', 'head');
  const [name] = scripts(dir);
  const file = join(CACHE(dir), 'scripts', name!);
  const key = name!.replace(/\.sql$/, '');
  for (const junk of ['', '-- sqlscribe script cache', `-- sqlscribe script cache ${'f'.repeat(64)} file\nFOREIGN\n`, `-- sqlscribe script cache ${key} split\n{"files":`, `-- sqlscribe script cache ${key} other\nX`]) {
    writeFileSync(file, junk);
    assert.equal(await run(dir, 'upgrade', 'head'), expected);
    assert.equal(readFileSync(file, 'utf8'), `-- sqlscribe script cache ${key} file\n${expected}`, 'rewritten');
  }
  for (const argv of [['upgrade', 'b2b2'], ['upgrade', 'a1a1'], ['downgrade', 'head:base'], ['downgrade', 'head:a1a1'], ['stamp', 'head']]) await run(dir, ...argv);
  assert.equal(scripts(dir).length, KEPT_SCRIPTS);
  assert.equal(await run(dir, 'upgrade', 'head'), expected);
});

test('script cache: --split -o DIR is served too: the same files and manifest', async () => {
  const dir = THREE();
  const read = (): Record<string, string> => Object.fromEntries(readdirSync(join(dir, 'split')).sort().map((f) => [f, readFileSync(join(dir, 'split', f), 'utf8')]));
  await uncached(dir, 'upgrade', 'head', '--split', '-o', 'split');
  const expected = read();
  rmSync(join(dir, 'split'), { recursive: true });
  await run(dir, 'upgrade', 'head', '--split', '-o', 'split');
  assert.deepEqual(read(), expected);
  const [name] = scripts(dir);
  assert.match(readFileSync(join(CACHE(dir), 'scripts', name!), 'utf8'), /^-- sqlscribe script cache [0-9a-f]{64} split\n\{"files":/);
  // Served: the steps are gone, and the files come back the same.
  rmSync(join(CACHE(dir), 'steps'), { recursive: true });
  rmSync(join(dir, 'split'), { recursive: true });
  await run(dir, 'upgrade', 'head', '--split', '-o', 'split');
  assert.deepEqual(read(), expected);
  assert.equal(existsSync(join(CACHE(dir), 'steps')), false, 'nothing was compiled');
});
