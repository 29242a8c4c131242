/**
 * The Alembic-parity harness: compiles the same range of the same history with sqlscribe and with real
 * Alembic (offline, `--sql`), applies each script with `psql -X -v ON_ERROR_STOP=1 -f` to its own fresh
 * PostgreSQL database, and compares what the two databases hold afterwards.
 *
 * A history is a folder `test/fixtures/parity/<case>/` with `sqlscribe/` (TypeScript migrations) and
 * `alembic/` (a complete offline Alembic project) describing the same schema changes with the same
 * revision ids, graph and file names (see that folder's README.md).
 *
 * What "the same" means (`assertSameState`):
 * - the catalog (`catalog()` of test/support/postgres.ts: tables, columns, defaults, comments,
 *   constraints, indexes, enum types, sequences, schemas) without the version table;
 * - the rows of every table (columns with a volatile default such as `now()` left out);
 * - `SELECT version_num FROM alembic_version ORDER BY 1`, a missing table reading as no rows;
 * - the version table's own shape, whenever Alembic's database has one.
 * The one deliberate difference: Alembic 1.8 ends a `--sql` run that leaves no head with
 * `DROP TABLE alembic_version`; sqlscribe follows Alembic 1.19, which keeps the table (empty). So when
 * Alembic's database has no version table, sqlscribe's must have one, empty, of the shape Alembic
 * created earlier in the same sequence.
 * Two more known artefacts of Alembic 1.8 + SQLAlchemy 1.4 (doubled backslashes and tabs turned into
 * spaces inside string literals) can be mapped away per step (`ALEMBIC_LITERAL_ARTEFACTS`); only the
 * `literals` history needs that, and its test checks sqlscribe's side against the authored text.
 *
 * Policy: a test needs PostgreSQL and Alembic (`/usr/bin/python3 -m alembic`, installed on CI by
 * `.ci/run` with apt's python3-alembic). On CI (`CI` set, or SQLSCRIBE_REQUIRE_DB=1) a missing one is
 * a failure; locally the test is skipped with the reason.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type TestContext } from 'node:test';
import { databaseRequired, makeTempDir, onExit, removeDir, run, type RunResult } from '../support/common.js';
import { catalog, startPostgres, type CatalogSnapshot, type PgDb, type PgServer, type TableInfo } from '../support/postgres.js';

/** The repository root (this file runs as dist/test/parity/harness.js). */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'parity');
export const SQLSCRIBE_CLI = path.join(REPO, 'dist', 'src', 'cli.js');
/** The Python that runs Alembic (SQLSCRIBE_PYTHON overrides it, e.g. to check the missing-Alembic policy). */
export const PYTHON = process.env.SQLSCRIBE_PYTHON || '/usr/bin/python3';
export const VERSION_TABLE = 'public.alembic_version';

export type Command = 'upgrade' | 'downgrade';
export type Tool = 'sqlscribe' | 'alembic';

/** Scratch folder for the compiled scripts of this process (kept with SQLSCRIBE_KEEP_SQL=1). */
let scratch: string | undefined;
function scratchDir(): string {
  if (scratch === undefined) {
    const dir = makeTempDir('sqlscribe-parity-');
    scratch = dir;
    if (process.env.SQLSCRIBE_KEEP_SQL !== '1') onExit(() => removeDir(dir));
  }
  return scratch;
}

let scriptCounter = 0;
function scriptPath(tool: Tool, caseName: string, command: Command, range: string): string {
  scriptCounter += 1;
  const slug = `${caseName}-${command}-${range}`.replace(/[^A-Za-z0-9_.-]+/g, '_');
  return path.join(scratchDir(), `${String(scriptCounter).padStart(3, '0')}-${tool}-${slug}.sql`);
}

// ---------------------------------------------------------------------------------------------------
// Alembic

export interface AlembicInfo {
  readonly alembic: string;
  readonly sqlalchemy: string;
}

let alembicProbe: Promise<AlembicInfo> | undefined;

/** The installed Alembic and SQLAlchemy versions; rejects with what is missing. */
export function probeAlembic(): Promise<AlembicInfo> {
  alembicProbe ??= (async () => {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found (install python3 and python3-alembic)`);
    const r = await run(PYTHON, ['-c', 'import json, alembic, sqlalchemy; print(json.dumps([alembic.__version__, sqlalchemy.__version__]))'], {
      env: alembicEnv(),
      timeoutMs: 60_000,
    });
    if (r.code !== 0) throw new Error(`${PYTHON} -m alembic is not usable (install python3-alembic): ${r.stderr.trim().split('\n').pop()}`);
    const [alembic, sqlalchemy] = JSON.parse(r.stdout) as [string, string];
    return { alembic, sqlalchemy };
  })();
  return alembicProbe;
}

function alembicEnv(): NodeJS.ProcessEnv {
  // PYTHONHASHSEED=0: Alembic builds the unmerge list of a merge-point downgrade from a set, so which
  // parent row is INSERTed and which UPDATEd depends on the hash seed; fix it for reproducible output.
  return { ...process.env, PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
}

/** True when Alembic 1.8 semantics apply (it drops the version table when a run leaves no head). */
export function alembicDropsVersionTable(info: AlembicInfo): boolean {
  const [major, minor] = info.alembic.split('.').map(Number) as [number, number];
  return major === 1 && minor < 19;
}

// ---------------------------------------------------------------------------------------------------
// Compiling

export interface Compiled {
  readonly tool: Tool;
  readonly file: string;
  readonly text: string;
}

const compileCache = new Map<string, Promise<Compiled>>();

function describeRun(cmd: string, args: readonly string[], r: RunResult): string {
  return `${cmd} ${args.join(' ')} exited with ${r.code}\n--- stderr ---\n${r.stderr.trim()}\n--- stdout (head) ---\n${r.stdout.slice(0, 2000)}`;
}

/** `alembic -c <case>/alembic/alembic.ini <command> <range> --sql`, as a script file. */
export function compileAlembic(caseName: string, command: Command, range: string): Promise<Compiled> {
  const key = `alembic|${caseName}|${command}|${range}`;
  let p = compileCache.get(key);
  if (!p) {
    p = (async () => {
      const ini = path.join(FIXTURES, caseName, 'alembic', 'alembic.ini');
      const args = ['-m', 'alembic', '-c', ini, command, range, '--sql'];
      const r = await run(PYTHON, args, { cwd: scratchDir(), env: alembicEnv(), timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`Alembic could not compile ${caseName} ${command} ${range}:\n${describeRun(PYTHON, args, r)}`);
      const file = scriptPath('alembic', caseName, command, range);
      writeFileSync(file, r.stdout);
      return { tool: 'alembic' as const, file, text: r.stdout };
    })();
    compileCache.set(key, p);
  }
  return p;
}

/**
 * `node dist/src/cli.js <command> <range> --migrations <case>/sqlscribe -o FILE`, run from a scratch folder;
 * `guard: false` adds `--no-guard`.
 */
export function compileSqlscribe(caseName: string, command: Command, range: string, guard = true): Promise<Compiled> {
  const key = `sqlscribe|${caseName}|${command}|${range}|${guard}`;
  let p = compileCache.get(key);
  if (!p) {
    p = (async () => {
      if (!existsSync(SQLSCRIBE_CLI)) throw new Error(`${SQLSCRIBE_CLI} not found: build first (npx tsc -p .)`);
      const file = scriptPath('sqlscribe', caseName, command, range);
      const args = [SQLSCRIBE_CLI, command, range, '--migrations', path.join(FIXTURES, caseName, 'sqlscribe'), '-o', file, ...(guard ? [] : ['--no-guard'])];
      // cwd: a scratch folder, so the transpile cache and any config lookup stay out of the repository.
      const r = await run(process.execPath, args, { cwd: scratchDir(), timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`sqlscribe could not compile ${caseName} ${command} ${range}:\n${describeRun('node', args, r)}`);
      if (!existsSync(file)) throw new Error(`sqlscribe exited 0 but wrote no ${file}`);
      return { tool: 'sqlscribe' as const, file, text: readFileSync(file, 'utf8') };
    })();
    compileCache.set(key, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------------
// Database state

/** What a migration run leaves in a database, in a form two databases can be compared by. */
export interface DbState {
  /** The catalog, without the version table. */
  readonly catalog: CatalogSnapshot;
  /** The version table as the catalog reads it, or null when there is none. */
  readonly versionTable: TableInfo | null;
  /** `SELECT version_num FROM alembic_version ORDER BY 1` ([] when the table is missing). */
  readonly versions: string[];
  /** Per table (`schema.name`): its rows, each a JSON array of the stable columns' text, sorted. */
  readonly data: Record<string, { columns: string[]; rows: string[] }>;
}

const VOLATILE_DEFAULT = /\b(now\(\)|CURRENT_(DATE|TIME|TIMESTAMP)|LOCALTIME|LOCALTIMESTAMP|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|random\(\)|gen_random_uuid|uuid_generate)/i;

export const qi = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Reads the state of `db` (see {@link DbState}). */
export async function readState(db: PgDb): Promise<DbState> {
  const snap = await catalog(db);
  const { [VERSION_TABLE]: versionTable, ...tables } = snap.tables;
  const versions = versionTable
    ? (await db.query('SELECT version_num FROM public.alembic_version ORDER BY 1')).map((r) => r[0] as string)
    : [];
  const data: DbState['data'] = {};
  for (const [key, table] of Object.entries(tables)) {
    if (table.kind !== 'table') continue;
    const columns = Object.values(table.columns)
      .sort((a, b) => a.position - b.position)
      .filter((c) => !(c.default && VOLATILE_DEFAULT.test(c.default)))
      .map((c) => c.name);
    const list = columns.length ? columns.map(qi).join(', ') : 'count(*)';
    const rows = await db.query(`SELECT ${list} FROM ${qi(table.schema)}.${qi(table.name)}`);
    data[key] = { columns, rows: rows.map((r) => JSON.stringify(r)).sort() };
  }
  return { catalog: { ...snap, tables }, versionTable: versionTable ?? null, versions, data };
}

function withContext(context: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof Error) {
      // The reporter prints `stack`, which already holds the message: put the context in both.
      err.message = `${context}\n${err.message}`;
      if (err.stack) err.stack = `${context}\n${err.stack}`;
    }
    throw err;
  }
}

/**
 * Asserts that sqlscribe's database holds what Alembic's holds (see the file comment for the rules).
 * @param knownVersionTable the version table Alembic created earlier in the sequence, to check the one
 *   sqlscribe keeps when Alembic 1.8 has dropped its own.
 */
export function assertSameState(context: string, ours: DbState, theirs: DbState, knownVersionTable?: TableInfo | null): void {
  withContext(`${context}\n=> the catalog (without alembic_version) differs — actual: sqlscribe, expected: Alembic`, () =>
    assert.deepStrictEqual(ours.catalog, theirs.catalog),
  );
  withContext(`${context}\n=> table rows differ — actual: sqlscribe, expected: Alembic`, () => assert.deepStrictEqual(ours.data, theirs.data));
  withContext(`${context}\n=> alembic_version rows differ — actual: sqlscribe, expected: Alembic`, () =>
    assert.deepStrictEqual(ours.versions, theirs.versions),
  );
  if (theirs.versionTable) {
    withContext(`${context}\n=> the version table's shape differs — actual: sqlscribe, expected: Alembic`, () =>
      assert.deepStrictEqual(ours.versionTable, theirs.versionTable),
    );
  } else {
    // Alembic 1.8 dropped it (a run that left no head); sqlscribe keeps it, empty, as Alembic 1.19 does.
    assert.ok(ours.versionTable, `${context}: sqlscribe's database has no alembic_version table; a downgrade to base must leave it in place (empty)`);
    assert.deepStrictEqual(ours.versions, [], `${context}: sqlscribe's alembic_version must be empty`);
    if (knownVersionTable) {
      withContext(`${context}: the kept version table's shape differs from the one Alembic created`, () =>
        assert.deepStrictEqual(ours.versionTable, knownVersionTable),
      );
    }
  }
}

/** Asserts that a database holds nothing but an (empty) version table: no table, enum type or sequence. */
export function assertEmptyAtBase(context: string, state: DbState, { versionTable }: { versionTable: 'kept' | 'dropped' | 'either' }): void {
  assert.deepStrictEqual(Object.keys(state.catalog.tables), [], `${context}: tables remain after a downgrade to base`);
  assert.deepStrictEqual(state.catalog.enums, {}, `${context}: enum types remain after a downgrade to base`);
  assert.deepStrictEqual(state.catalog.sequences, {}, `${context}: sequences remain after a downgrade to base`);
  assert.deepStrictEqual(state.catalog.schemas, ['public'], `${context}: schemas remain after a downgrade to base`);
  assert.deepStrictEqual(state.versions, [], `${context}: alembic_version rows remain after a downgrade to base`);
  if (versionTable === 'kept') assert.ok(state.versionTable, `${context}: alembic_version must remain (empty) after a downgrade to base`);
  if (versionTable === 'dropped') assert.equal(state.versionTable, null, `${context}: Alembic 1.8 drops alembic_version at base`);
}

// ---------------------------------------------------------------------------------------------------
// A pair of databases

export interface StepResult {
  readonly sqlscribe: DbState;
  readonly alembic: DbState;
  readonly scripts: { readonly sqlscribe: Compiled; readonly alembic: Compiled };
}

/** Two fresh databases that receive the same sequence of ranges: one from sqlscribe, one from Alembic. */
export class ParityPair {
  /** The version table Alembic's database last had (to check the one sqlscribe keeps at base). */
  #alembicVersionTable: TableInfo | null = null;
  readonly history: string[] = [];

  constructor(
    readonly caseName: string,
    readonly ours: PgDb,
    readonly theirs: PgDb,
    readonly info: AlembicInfo,
  ) {}

  /**
   * Compiles `command range` with both tools, applies each script to its database with psql, and
   * asserts both succeed and leave the same state. Returns both states. `guard: false` compiles sqlscribe's
   * script with `--no-guard`: for a range that starts at one of several heads, as Alembic's offline mode
   * writes it, which sqlscribe's version guard refuses (it expects exactly the start's rows).
   */
  async step(command: Command, range: string, options: { undoAlembicLiteralArtefacts?: boolean; guard?: boolean } = {}): Promise<StepResult> {
    this.history.push(`${command} ${range}`);
    const context = `[${this.caseName}] after ${this.history.join(' ; ')}`;
    const [s, a] = await Promise.all([compileSqlscribe(this.caseName, command, range, options.guard ?? true), compileAlembic(this.caseName, command, range)]);
    const [rs, ra] = await Promise.all([this.ours.psqlFile(s.file), this.theirs.psqlFile(a.file)]);
    assert.equal(ra.code, 0, `${context}: Alembic's script failed under psql (${a.file}):\n${ra.stderr.trim()}`);
    assert.equal(rs.code, 0, `${context}: sqlscribe's script failed under psql (${s.file}):\n${rs.stderr.trim()}\n--- script ---\n${s.text}`);
    const [ours, theirs] = await Promise.all([readState(this.ours), readState(this.theirs)]);
    const where = `${context}\n  sqlscribe: ${s.file}\n  alembic:   ${a.file}`;
    if (options.undoAlembicLiteralArtefacts) {
      assertSameState(
        `${where}\n  (compared with Alembic's doubled backslashes and sqlscribe's tabs mapped: see ALEMBIC_LITERAL_ARTEFACTS)`,
        mapStrings(ours, ALEMBIC_LITERAL_ARTEFACTS.sqlscribe),
        mapStrings(theirs, ALEMBIC_LITERAL_ARTEFACTS.alembic),
        this.#alembicVersionTable,
      );
    } else {
      assertSameState(where, ours, theirs, this.#alembicVersionTable);
    }
    if (theirs.versionTable) this.#alembicVersionTable = theirs.versionTable;
    return { sqlscribe: ours, alembic: theirs, scripts: { sqlscribe: s, alembic: a } };
  }

  /**
   * A range only sqlscribe can compile (Alembic's offline mode takes one starting revision, so e.g.
   * `downgrade heads:base` from two heads has no Alembic equivalent): compiles and applies it to
   * sqlscribe's database only, and returns that database's state. The pair's databases differ after it.
   */
  async sqlscribeOnly(command: Command, range: string): Promise<DbState> {
    this.history.push(`${command} ${range} (sqlscribe only)`);
    const context = `[${this.caseName}] after ${this.history.join(' ; ')}`;
    const s = await compileSqlscribe(this.caseName, command, range);
    const r = await this.ours.psqlFile(s.file);
    assert.equal(r.code, 0, `${context}: sqlscribe's script failed under psql (${s.file}):\n${r.stderr.trim()}\n--- script ---\n${s.text}`);
    return readState(this.ours);
  }

  /** The version table Alembic's database had last (null before any step). */
  get alembicVersionTable(): TableInfo | null {
    return this.#alembicVersionTable;
  }

  /** Checks what a downgrade to base must leave on both sides. */
  assertBase(result: StepResult): void {
    const context = `[${this.caseName}] after ${this.history.join(' ; ')}`;
    assertEmptyAtBase(`${context} (sqlscribe)`, result.sqlscribe, { versionTable: 'kept' });
    assertEmptyAtBase(`${context} (Alembic ${this.info.alembic})`, result.alembic, {
      versionTable: alembicDropsVersionTable(this.info) ? 'dropped' : 'kept',
    });
  }
}

/** What a parity test body gets. */
export interface ParityContext {
  readonly t: TestContext;
  readonly info: AlembicInfo;
  readonly server: PgServer;
  /** A new pair of fresh databases for history `caseName` (dropped after the test). */
  pair(caseName?: string): Promise<ParityPair>;
}

async function requireTool<T>(t: TestContext, what: string, start: () => Promise<T>): Promise<T | undefined> {
  try {
    return await start();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (databaseRequired()) throw new Error(`${what} is required here (CI is set) but is not available:\n${msg}`, { cause: e });
    t.skip(`${what} not available (set CI=1 to make this a failure): ${msg.split('\n')[0]}`);
    return undefined;
  }
}

/**
 * Declares a parity test on history `caseName`. Fails on CI / skips locally when PostgreSQL or Alembic
 * is missing. Databases are dropped afterwards unless SQLSCRIBE_KEEP_DB=1.
 */
export function parityTest(name: string, caseName: string, fn: (ctx: ParityContext, pair: ParityPair) => Promise<void>): void {
  test(name, { timeout: 600_000 }, async (t) => {
    const info = await requireTool(t, 'Alembic', probeAlembic);
    if (!info) return;
    const server = await requireTool(t, 'PostgreSQL', startPostgres);
    if (!server) return;
    t.diagnostic(`Alembic ${info.alembic}, SQLAlchemy ${info.sqlalchemy}, PostgreSQL ${server.versionNum}`);
    const dbs: PgDb[] = [];
    const pair = async (c = caseName): Promise<ParityPair> => {
      const ours = await server.createDatabase();
      dbs.push(ours);
      const theirs = await server.createDatabase();
      dbs.push(theirs);
      return new ParityPair(c, ours, theirs, info);
    };
    try {
      await fn({ t, info, server, pair }, await pair());
    } finally {
      if (process.env.SQLSCRIBE_KEEP_DB === '1') t.diagnostic(`kept databases ${dbs.map((d) => d.name).join(', ')}`);
      else await Promise.all(dbs.map((d) => d.drop().catch(() => undefined)));
    }
  });
}

/** Applies `fn` to every string in a state: catalog strings, and each value of each row. */
export function mapStrings(state: DbState, fn: (s: string) => string): DbState {
  const deep = (v: unknown): unknown => {
    if (typeof v === 'string') return fn(v);
    if (Array.isArray(v)) return v.map(deep);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [fn(k), deep(x)]));
    return v;
  };
  const data: DbState['data'] = {};
  for (const [table, d] of Object.entries(state.data)) {
    data[fn(table)] = {
      columns: d.columns.map(fn),
      rows: d.rows.map((r) => JSON.stringify((JSON.parse(r) as (string | null)[]).map((x) => (x === null ? null : fn(x))))).sort(),
    };
  }
  return {
    catalog: deep(state.catalog) as CatalogSnapshot,
    versionTable: deep(state.versionTable) as TableInfo | null,
    versions: state.versions.map(fn),
    data,
  };
}

/**
 * Two known artefacts of Alembic 1.8 + SQLAlchemy 1.4 offline output for PostgreSQL, undone so that
 * everything else can still be compared: string literals get their backslashes doubled (the dialect
 * assumes backslash escapes when it cannot ask the server; with the default
 * standard_conforming_strings=on the database then stores two backslashes), and every tab in the
 * compiled SQL, inside literals too, becomes four spaces (alembic/ddl/impl.py `_exec`). sqlscribe
 * stores what was written; the comparison maps Alembic's `\\` back to `\` and sqlscribe's tabs to four
 * spaces. Use only on histories whose raw SQL holds no double backslash.
 */
export const ALEMBIC_LITERAL_ARTEFACTS = {
  alembic: (s: string): string => s.replaceAll('\\\\', '\\'),
  sqlscribe: (s: string): string => s.replaceAll('\t', '    '),
};

/** Asserts two states of the same tool (e.g. chained ranges vs one range) are identical. */
export function assertSameToolState(context: string, actual: DbState, expected: DbState): void {
  withContext(`${context}: catalog differs`, () => assert.deepStrictEqual(actual.catalog, expected.catalog));
  withContext(`${context}: rows differ`, () => assert.deepStrictEqual(actual.data, expected.data));
  withContext(`${context}: alembic_version rows differ`, () => assert.deepStrictEqual(actual.versions, expected.versions));
  withContext(`${context}: version table differs`, () => assert.deepStrictEqual(actual.versionTable, expected.versionTable));
}
