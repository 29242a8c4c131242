/**
 * Real PostgreSQL for tests: a server (the one `.ci/run` started, or a private one for this test
 * process), fresh databases on it, `psql` exactly as a DBA runs it, and a catalog read-back.
 *
 * The one obvious way to use it in a test:
 *
 *   import { pgTest, catalog } from '../support/postgres.js';
 *   pgTest('creates users', async (t, db) => {
 *     const r = await db.psqlScript('CREATE TABLE users (id int PRIMARY KEY);');
 *     assert.equal(r.code, 0, r.stderr);
 *     const snap = await catalog(db);
 *     assert.equal(snap.tables['public.users']?.columns.id?.type, 'integer');
 *   });
 *
 * Policy: on CI (`CI` set) a test that needs PostgreSQL fails when no server can be had; locally it
 * is skipped with the reason.
 */
import { chownSync, readFileSync, appendFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import test, { type TestContext } from 'node:test';
import {
  type RunResult,
  type EngineTestOptions,
  clientEnv,
  findExecutable,
  isRoot,
  killAndWait,
  killAndWaitSync,
  makeTempDir,
  onExit,
  removeDir,
  requireEngine,
  run,
  runOk,
  shq,
  startWatchdog,
  systemUser,
} from './common.js';

export type { RunResult } from './common.js';

/** One row of a query result: each value in PostgreSQL's text form, SQL NULL as `null`. */
export type Row = (string | null)[];

export interface PgServer {
  /** The unix socket directory (what `psql -h` gets). */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** True for a server this process started (and will stop); false for `.ci/run`'s. */
  readonly private: boolean;
  /** `server_version_num`, e.g. 150018. */
  readonly versionNum: number;
  /** A new, empty database with a unique name (from template0). */
  createDatabase(): Promise<PgDb>;
  /** Stops a private server and removes its directory; does nothing for an external one. */
  stop(): Promise<void>;
}

export interface PgDb {
  readonly name: string;
  readonly server: PgServer;
  /** A libpq URI for this database (`postgresql://postgres@/name?host=/tmp/...&port=5432`). */
  readonly uri: string;
  /**
   * Runs exactly `psql -X -v ON_ERROR_STOP=1 -h <socketdir> -p <port> -U postgres -d <db> -f <path>`.
   * Never throws for a failing script: look at `code` (0 ok, 3 = a statement failed with
   * ON_ERROR_STOP, 1/2 = psql could not run the file or connect).
   */
  psqlFile(file: string): Promise<RunResult>;
  /** Writes `sql` to a temp file and runs `psqlFile` on it. */
  psqlScript(sql: string): Promise<RunResult>;
  /**
   * Runs one row-returning query (SELECT / VALUES / TABLE / WITH ... SELECT, no trailing `;`) and
   * gives its rows in order, each value in its text form (as psql shows it) or `null` for NULL.
   * Exact for any value (separators, quotes, newlines). Throws on an SQL error.
   */
  query(sql: string): Promise<Row[]>;
  /** Runs a query and gives its rows as JSON objects (`row_to_json`): numbers, booleans, arrays typed. */
  queryJson<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Runs statements with psql (ON_ERROR_STOP) and throws on failure. For test set-up. */
  exec(sql: string): Promise<void>;
  /** Drops the database (WITH (FORCE)). */
  drop(): Promise<void>;
}

const PG_VERSION = 15;
const ENV = clientEnv({ PGCLIENTENCODING: 'UTF8' });

/** Where initdb, pg_ctl and postgres are. */
function pgBinDir(): string | undefined {
  const fixed = `/usr/lib/postgresql/${PG_VERSION}/bin`;
  if (findExecutable(path.join(fixed, 'initdb'))) return fixed;
  const r = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = r.status === 0 ? r.stdout.trim() : '';
  if (dir && findExecutable(path.join(dir, 'initdb'))) return dir;
  return undefined;
}

function psqlBin(): string {
  return findExecutable('psql', `/usr/lib/postgresql/${PG_VERSION}/bin/psql`) ?? 'psql';
}

// ---------------------------------------------------------------------------------------------------
// Server

let serverPromise: Promise<PgServer> | undefined;

/**
 * The PostgreSQL server for this test process (memoised: every call gives the same one, and a
 * failure to start is remembered too). Uses `.ci/run`'s server when SQLSCRIBE_PG_SOCKET_DIR is set
 * (port SQLSCRIBE_PG_PORT, default 5432); otherwise starts a private PostgreSQL 15 that is stopped
 * and removed when the process exits. Rejects with a message saying what is missing.
 */
export function startPostgres(): Promise<PgServer> {
  serverPromise ??= (async () => {
    const dir = process.env.SQLSCRIBE_PG_SOCKET_DIR;
    const server = dir
      ? await externalServer(dir, Number(process.env.SQLSCRIBE_PG_PORT || 5432))
      : await privateServer();
    return server;
  })();
  return serverPromise;
}

async function versionOf(host: string, port: number): Promise<number> {
  const r = await run(
    psqlBin(),
    ['-X', '-A', '-t', '-h', host, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', 'SHOW server_version_num'],
    { env: ENV, timeoutMs: 30_000 },
  );
  if (r.code !== 0) {
    throw new Error(`cannot connect to PostgreSQL at ${host}:${port} as postgres: ${r.stderr.trim()}`);
  }
  return Number(r.stdout.trim());
}

async function externalServer(host: string, port: number): Promise<PgServer> {
  const versionNum = await versionOf(host, port).catch((e: Error) => {
    throw new Error(`SQLSCRIBE_PG_SOCKET_DIR=${host} is set but ${e.message}`);
  });
  return makeServer({ host, port, private: false, versionNum, stop: async () => undefined });
}

async function privateServer(): Promise<PgServer> {
  const bin = pgBinDir();
  if (!bin) {
    throw new Error(
      `PostgreSQL ${PG_VERSION} server binaries not found (no /usr/lib/postgresql/${PG_VERSION}/bin/initdb, ` +
        'nor initdb in `pg_config --bindir`); install the `postgresql` package, or run `.ci/run`',
    );
  }
  if (!findExecutable('psql')) throw new Error('psql not found on PATH (install postgresql-client)');
  const root = isRoot();
  const pgUser = root ? systemUser('postgres') : undefined;
  if (root && !pgUser) throw new Error('running as root but there is no `postgres` user to run initdb as');

  const dir = makeTempDir('sqlscribe-pg-');
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const port = 5432; // unix socket only, in our own dir: the port only names the socket file
  // Cleanup first, so that a failure part-way leaves nothing behind.
  let postmasterPid: number | undefined;
  const stopSync = (): void => {
    if (postmasterPid !== undefined) killAndWaitSync(postmasterPid, 'SIGQUIT'); // immediate shutdown
    postmasterPid = undefined;
    removeDir(dir);
  };
  const unregister = onExit(stopSync);
  startWatchdog(
    `p=$(head -n1 ${shq(path.join(data, 'postmaster.pid'))} 2>/dev/null); ` +
      `[ -n "$p" ] && kill -QUIT "$p" 2>/dev/null && for i in $(seq 50); do alive "$p" || break; sleep 0.1; done; ` +
      `rm -rf ${shq(dir)}`,
  );

  const asPg = (exe: string, args: string[]): [string, string[]] =>
    root ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  try {
    if (pgUser) chownSync(dir, pgUser.uid, pgUser.gid);
    const [c1, a1] = asPg(path.join(bin, 'initdb'), [
      '-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions',
    ]);
    await runOk(c1, a1, { cwd: dir, env: ENV, timeoutMs: 120_000 });
    appendFileSync(
      path.join(data, 'postgresql.conf'),
      [
        '',
        '# sqlscribe test harness',
        "listen_addresses = ''",
        `unix_socket_directories = '${dir}'`,
        `port = ${port}`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        "lc_messages = 'C'",
        'max_connections = 50',
        'shared_buffers = 32MB',
        '',
      ].join('\n'),
    );
    const [c2, a2] = asPg(path.join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
    const started = await run(c2, a2, { cwd: dir, env: ENV, timeoutMs: 90_000 });
    const pidText = (() => {
      try {
        return readFileSync(path.join(data, 'postmaster.pid'), 'utf8');
      } catch {
        return '';
      }
    })();
    const pid = Number(pidText.split('\n')[0]);
    if (pid > 0) postmasterPid = pid;
    if (started.code !== 0) {
      let serverLog = '';
      try {
        serverLog = readFileSync(log, 'utf8').split('\n').slice(-20).join('\n');
      } catch {
        /* none */
      }
      throw new Error(`pg_ctl start failed (${started.code}): ${started.stderr.trim()}\n${serverLog}`);
    }
    const versionNum = await versionOf(dir, port);
    return makeServer({
      host: dir,
      port,
      private: true,
      versionNum,
      stop: async () => {
        unregister();
        if (postmasterPid !== undefined) await killAndWait(postmasterPid, 'SIGQUIT');
        postmasterPid = undefined;
        removeDir(dir);
      },
    });
  } catch (e) {
    unregister();
    stopSync();
    throw new Error(`could not start a private PostgreSQL ${PG_VERSION}: ${(e as Error).message}`, { cause: e });
  }
}

let dbCounter = 0;

function makeServer(s: {
  host: string;
  port: number;
  private: boolean;
  versionNum: number;
  stop: () => Promise<void>;
}): PgServer {
  let scratch: string | undefined;
  const scratchDir = (): string => {
    if (scratch === undefined) {
      const d = makeTempDir('sqlscribe-sql-');
      scratch = d;
      onExit(() => removeDir(d));
    }
    return scratch;
  };
  const server: PgServer = {
    host: s.host,
    port: s.port,
    user: 'postgres',
    private: s.private,
    versionNum: s.versionNum,
    async createDatabase() {
      dbCounter += 1;
      const name = `t_${process.pid}_${dbCounter}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = makeDb(server, 'postgres', scratchDir);
      await admin.exec(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
      return makeDb(server, name, scratchDir);
    },
    async stop() {
      if (s.private && serverPromise) serverPromise = undefined;
      await s.stop();
      if (scratch !== undefined) removeDir(scratch);
    },
  };
  return server;
}

let fileCounter = 0;

function makeDb(server: PgServer, name: string, scratchDir: () => string): PgDb {
  const conn = ['-h', server.host, '-p', String(server.port), '-U', server.user, '-d', name];
  const psql = (args: string[]): Promise<RunResult> => run(psqlBin(), args, { env: ENV, timeoutMs: 300_000 });
  const writeTemp = (sql: string): string => {
    fileCounter += 1;
    const file = path.join(scratchDir(), `${name}-${fileCounter}.sql`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, sql);
    return file;
  };
  /** One value out: psql unaligned, tuples only. */
  const scalar = async (sql: string): Promise<string> => {
    const r = await psql(['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...conn, '-c', sql]);
    if (r.code !== 0) throw new Error(`query failed in ${name}: ${r.stderr.trim()}\n  query: ${sql}`);
    return r.stdout.replace(/\n$/, '');
  };
  const strip = (sql: string): string => sql.trim().replace(/;\s*$/, '');
  const db: PgDb = {
    name,
    server,
    uri: `postgresql://${server.user}@/${name}?host=${encodeURIComponent(server.host)}&port=${server.port}`,
    psqlFile(file) {
      return psql(['-X', '-v', 'ON_ERROR_STOP=1', ...conn, '-f', file]);
    },
    psqlScript(sql) {
      return db.psqlFile(writeTemp(sql));
    },
    async query(sql) {
      // Each row as its composite-literal text inside a JSON array: exact for any value.
      const out = await scalar(`SELECT coalesce(json_agg(sqlscribe_q__::text), '[]'::json) FROM (${strip(sql)}) sqlscribe_q__`);
      return (JSON.parse(out) as string[]).map(parseRecord);
    },
    async queryJson<T>(sql: string) {
      const out = await scalar(`SELECT coalesce(json_agg(sqlscribe_q__), '[]'::json) FROM (${strip(sql)}) sqlscribe_q__`);
      return JSON.parse(out) as T[];
    },
    async exec(sql) {
      const r = await db.psqlScript(sql);
      if (r.code !== 0) throw new Error(`psql failed in ${name} (${r.code}): ${r.stderr.trim()}`);
    },
    async drop() {
      await makeDb(server, 'postgres', scratchDir).exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
  return db;
}

/** Parses PostgreSQL's record text `(a,,"b ""c""",)` into values (empty unquoted = NULL). */
export function parseRecord(text: string): Row {
  if (!text.startsWith('(') || !text.endsWith(')')) throw new Error(`not a record: ${text}`);
  const values: Row = [];
  let i = 1;
  const end = text.length - 1;
  for (;;) {
    if (text[i] === '"') {
      let v = '';
      i += 1;
      for (;;) {
        const c = text[i];
        if (c === undefined || i >= end + 1) throw new Error(`unterminated quote in record: ${text}`);
        if (c === '"') {
          if (text[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (c === '\\') {
          v += text[i + 1] ?? '';
          i += 2;
          continue;
        }
        v += c;
        i += 1;
      }
      values.push(v);
    } else {
      let j = i;
      while (j < end && text[j] !== ',') j += 1;
      values.push(j === i ? null : text.slice(i, j));
      i = j;
    }
    if (i >= end) break;
    if (text[i] !== ',') throw new Error(`bad record text at ${i}: ${text}`);
    i += 1;
  }
  return values;
}

// ---------------------------------------------------------------------------------------------------
// Test policy

/**
 * A fresh database for test `t` on the shared server. On CI, throws (the test fails) when PostgreSQL
 * cannot be had; locally, marks `t` skipped and returns undefined (then return from the test).
 */
export async function requirePostgres(t: TestContext): Promise<PgDb | undefined> {
  const server = await requireEngine(t, 'PostgreSQL', startPostgres);
  return server ? server.createDatabase() : undefined;
}

/**
 * Declares a node:test test that gets a fresh PostgreSQL database, dropped afterwards (kept when
 * SQLSCRIBE_KEEP_DB=1, and its name printed, for debugging). Skips locally / fails on CI when no
 * server can be had.
 */
export function pgTest(name: string, fn: (t: TestContext, db: PgDb) => Promise<void>): void;
export function pgTest(
  name: string,
  options: EngineTestOptions,
  fn: (t: TestContext, db: PgDb) => Promise<void>,
): void;
export function pgTest(
  name: string,
  a: EngineTestOptions | ((t: TestContext, db: PgDb) => Promise<void>),
  b?: (t: TestContext, db: PgDb) => Promise<void>,
): void {
  const options = typeof a === 'function' ? {} : a;
  const fn = typeof a === 'function' ? a : b!;
  test(name, options, async (t) => {
    const db = await requirePostgres(t);
    if (!db) return;
    try {
      await fn(t, db);
    } finally {
      if (process.env.SQLSCRIBE_KEEP_DB === '1') t.diagnostic(`kept database ${db.name} (${db.uri})`);
      else await db.drop().catch(() => undefined);
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Catalog

export interface CatalogOptions {
  /** Only these schemas (default: every schema but pg_catalog, information_schema, pg_toast, pg_temp_*). */
  readonly schemas?: readonly string[];
}

export interface ColumnInfo {
  readonly name: string;
  /** 1-based position among the live columns (dropped columns leave no gap). */
  readonly position: number;
  /** `format_type(atttypid, atttypmod)`: `integer`, `character varying(255)`, `public."Mood"[]`. */
  readonly type: string;
  readonly notNull: boolean;
  /** The default expression (`pg_get_expr`), null when none (also null for identity/generated). */
  readonly default: string | null;
  readonly identity: 'always' | 'by default' | null;
  /** The expression of a `GENERATED ALWAYS AS (...) STORED` column, else null. */
  readonly generated: string | null;
  /** The collation when it differs from the type's default, else null. */
  readonly collation: string | null;
  readonly comment: string | null;
}

export type ConstraintType = 'primary key' | 'unique' | 'check' | 'foreign key' | 'exclusion' | 'trigger';

export interface ConstraintInfo {
  readonly name: string;
  readonly type: ConstraintType;
  /** `pg_get_constraintdef`: `CHECK ((price > 0))`, `FOREIGN KEY (a) REFERENCES b(id) ON DELETE CASCADE`. */
  readonly definition: string;
  /** The constrained columns, in key order ([] for a table-level check). */
  readonly columns: string[];
  /** For a foreign key, the referenced `schema.table`; else null. */
  readonly references: string | null;
  readonly deferrable: boolean;
  readonly deferred: boolean;
  /** False for `NOT VALID` constraints. */
  readonly validated: boolean;
  readonly comment: string | null;
}

export interface IndexInfo {
  readonly name: string;
  /** `pg_get_indexdef`: `CREATE UNIQUE INDEX ix ON public.t USING btree (a) WHERE (b IS NULL)`. */
  readonly definition: string;
  readonly unique: boolean;
  readonly primary: boolean;
  /** False after a failed `CREATE INDEX CONCURRENTLY`. */
  readonly valid: boolean;
  /** The constraint this index implements (primary key, unique, exclusion), else null. */
  readonly constraint: string | null;
  readonly comment: string | null;
}

export interface TableInfo {
  readonly schema: string;
  readonly name: string;
  readonly kind: 'table' | 'partitioned table' | 'view' | 'materialized view' | 'foreign table';
  readonly unlogged: boolean;
  readonly comment: string | null;
  /** `pg_get_viewdef` for views and materialized views, else null. */
  readonly viewDefinition: string | null;
  /** By column name. */
  readonly columns: Record<string, ColumnInfo>;
  /** By constraint name (NOT NULL is a column property in PostgreSQL 15). */
  readonly constraints: Record<string, ConstraintInfo>;
  /** By index name. */
  readonly indexes: Record<string, IndexInfo>;
}

export interface EnumInfo {
  readonly schema: string;
  readonly name: string;
  /** In sort order (`enumsortorder`), i.e. as declared / added. */
  readonly labels: string[];
  readonly comment: string | null;
}

export interface SequenceInfo {
  readonly schema: string;
  readonly name: string;
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cycle: boolean;
  /** `schema.table.column` that owns it (serial, identity, `OWNED BY`), else null. */
  readonly ownedBy: string | null;
  /** True for the implicit sequence of an identity column. */
  readonly identity: boolean;
}

/**
 * Everything a migration can change, read back from the catalogs. Plain JSON, keys inserted in sorted
 * order, so two snapshots compare with `assert.deepStrictEqual` and print stably. Keys of `tables`,
 * `enums`, `sequences` are `schema.name` with the names as stored (no quoting): `public.Users`.
 */
export interface CatalogSnapshot {
  /** Non-system schemas, sorted (includes `public`). */
  readonly schemas: string[];
  /** Installed extensions other than plpgsql, sorted. */
  readonly extensions: string[];
  readonly tables: Record<string, TableInfo>;
  readonly enums: Record<string, EnumInfo>;
  readonly sequences: Record<string, SequenceInfo>;
}

const SYSTEM_SCHEMA = `(n.nspname IN ('pg_catalog', 'information_schema') OR n.nspname LIKE 'pg\\_toast%' OR n.nspname LIKE 'pg\\_temp\\_%')`;

function schemaFilter(col: string, schemas: readonly string[] | undefined): string {
  if (!schemas) return `NOT ${SYSTEM_SCHEMA.replace(/n\.nspname/g, col)}`;
  if (schemas.length === 0) return 'false';
  return `${col} IN (${schemas.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')})`;
}

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sortedRecord<V>(entries: [string, V][]): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of [...entries].sort((x, y) => byKey(x[0], y[0]))) out[k] = v;
  return out;
}

/** Collects row-returning queries and runs them as one statement (one psql process, one snapshot). */
function jsonBatch(db: PgDb): { add<T>(sql: string): Promise<T[]>; run(): Promise<void> } {
  const parts: { sql: string; resolve: (rows: unknown[]) => void }[] = [];
  return {
    add<T>(sql: string): Promise<T[]> {
      return new Promise<T[]>((resolve) => {
        parts.push({ sql, resolve: resolve as (rows: unknown[]) => void });
      });
    },
    async run() {
      const cols = parts.map(
        (p, i) => `(SELECT coalesce(json_agg(q${i}), '[]'::json) FROM (${p.sql}) q${i}) AS p${i}`,
      );
      // On failure this throws and the parts stay pending (rejecting them would leave unhandled rejections).
      const [row] = await db.queryJson<Record<string, unknown[]>>(`SELECT ${cols.join(',\n')}`);
      parts.forEach((p, i) => p.resolve(row?.[`p${i}`] ?? []));
    },
  };
}

/** Reads the catalog of `db` (see `CatalogSnapshot`). */
export async function catalog(db: PgDb, options: CatalogOptions = {}): Promise<CatalogSnapshot> {
  const f = (col: string): string => schemaFilter(col, options.schemas);
  const batch = jsonBatch(db); // one psql run for all the queries

  const schemasP = batch.add<{ name: string }>(
    `SELECT n.nspname AS name FROM pg_namespace n WHERE ${f('n.nspname')} ORDER BY 1`,
  );
  const extensionsP = batch.add<{ name: string }>(
    `SELECT extname AS name FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1`,
  );

  type Rel = { oid: number; schema: string; name: string; relkind: string; unlogged: boolean; comment: string | null; viewdef: string | null };
  const relsP = batch.add<Rel>(`
    SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
           c.relpersistence = 'u' AS unlogged, obj_description(c.oid, 'pg_class') AS comment,
           CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS viewdef
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${f('n.nspname')}
     ORDER BY 2, 3`);

  type Col = { rel: number; name: string; position: number; type: string; notnull: boolean; def: string | null; identity: string; generated: string; collation: string | null; comment: string | null };
  const colsP = batch.add<Col>(`
    SELECT a.attrelid::int8 AS rel, a.attname AS name,
           row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum)::int AS position,
           format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
           pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS identity, a.attgenerated::text AS generated,
           CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation,
           col_description(a.attrelid, a.attnum) AS comment
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      LEFT JOIN pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
     WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${f('n.nspname')}
     ORDER BY 1, 3`);

  type Con = { rel: number; name: string; contype: string; def: string; columns: string[] | null; refschema: string | null; reftable: string | null; deferrable: boolean; deferred: boolean; validated: boolean; comment: string | null };
  const consP = batch.add<Con>(`
    SELECT co.conrelid::int8 AS rel, co.conname AS name, co.contype::text AS contype,
           pg_get_constraintdef(co.oid) AS def,
           (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(co.conkey) WITH ORDINALITY k(attnum, i)
              JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum) AS columns,
           rn.nspname AS refschema, rc.relname AS reftable,
           co.condeferrable AS deferrable, co.condeferred AS deferred, co.convalidated AS validated,
           obj_description(co.oid, 'pg_constraint') AS comment
      FROM pg_constraint co
      JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_class rc ON rc.oid = co.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
     WHERE co.conrelid <> 0 AND ${f('n.nspname')}
     ORDER BY 1, 2`);

  type Idx = { rel: number; name: string; def: string; unique: boolean; primary: boolean; valid: boolean; constraint: string | null; comment: string | null };
  const idxsP = batch.add<Idx>(`
    SELECT i.indrelid::int8 AS rel, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def,
           i.indisunique AS unique, i.indisprimary AS primary, i.indisvalid AS valid,
           (SELECT co.conname FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid
             AND co.contype IN ('p', 'u', 'x') LIMIT 1) AS constraint,
           obj_description(i.indexrelid, 'pg_class') AS comment
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
     WHERE ${f('n.nspname')}
     ORDER BY 1, 2`);

  const enumsP = batch.add<{ schema: string; name: string; labels: string[]; comment: string | null }>(`
    SELECT n.nspname AS schema, t.typname AS name,
           array(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
           obj_description(t.oid, 'pg_type') AS comment
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE t.typtype = 'e' AND ${f('n.nspname')}
     ORDER BY 1, 2`);

  const seqsP = batch.add<{
    schema: string; name: string; type: string; start: string; increment: string; min: string; max: string;
    cycle: boolean; ownedBy: string | null; identity: boolean;
  }>(`
    SELECT n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS type,
           s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max,
           s.seqcycle AS cycle,
           (SELECT tn.nspname || '.' || tc.relname || '.' || a.attname
              FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
              JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
             WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
               AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0 LIMIT 1) AS "ownedBy",
           EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.deptype = 'i') AS identity
      FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${f('n.nspname')}
     ORDER BY 1, 2`);

  await batch.run();
  const [schemas, extensions, rels, cols, cons, idxs, enums, seqs] = await Promise.all([schemasP, extensionsP, relsP, colsP, consP, idxsP, enumsP, seqsP]);

  const KIND: Record<string, TableInfo['kind']> = {
    r: 'table',
    p: 'partitioned table',
    v: 'view',
    m: 'materialized view',
    f: 'foreign table',
  };
  const CONTYPE: Record<string, ConstraintType> = {
    p: 'primary key',
    u: 'unique',
    c: 'check',
    f: 'foreign key',
    x: 'exclusion',
    t: 'trigger',
  };
  const IDENTITY: Record<string, ColumnInfo['identity']> = { a: 'always', d: 'by default' };

  const tables: [string, TableInfo][] = rels.map((r) => {
    const columns = sortedRecord(
      cols
        .filter((c) => c.rel === r.oid)
        .map((c): [string, ColumnInfo] => [
          c.name,
          {
            name: c.name,
            position: c.position,
            type: c.type,
            notNull: c.notnull,
            default: c.generated === '' ? c.def : null,
            identity: IDENTITY[c.identity] ?? null,
            generated: c.generated === '' ? null : c.def,
            collation: c.collation,
            comment: c.comment,
          },
        ]),
    );
    const constraints = sortedRecord(
      cons
        .filter((c) => c.rel === r.oid)
        .map((c): [string, ConstraintInfo] => [
          c.name,
          {
            name: c.name,
            type: CONTYPE[c.contype] ?? (c.contype as ConstraintType),
            definition: c.def,
            columns: c.columns ?? [],
            references: c.reftable === null ? null : `${c.refschema}.${c.reftable}`,
            deferrable: c.deferrable,
            deferred: c.deferred,
            validated: c.validated,
            comment: c.comment,
          },
        ]),
    );
    const indexes = sortedRecord(
      idxs
        .filter((i) => i.rel === r.oid)
        .map((i): [string, IndexInfo] => [
          i.name,
          {
            name: i.name,
            definition: i.def,
            unique: i.unique,
            primary: i.primary,
            valid: i.valid,
            constraint: i.constraint,
            comment: i.comment,
          },
        ]),
    );
    return [
      `${r.schema}.${r.name}`,
      {
        schema: r.schema,
        name: r.name,
        kind: KIND[r.relkind] ?? 'table',
        unlogged: r.unlogged,
        comment: r.comment,
        viewDefinition: r.viewdef,
        columns,
        constraints,
        indexes,
      },
    ];
  });

  return {
    schemas: schemas.map((s) => s.name).sort(byKey),
    extensions: extensions.map((e) => e.name).sort(byKey),
    tables: sortedRecord(tables),
    enums: sortedRecord(
      enums.map((e): [string, EnumInfo] => [
        `${e.schema}.${e.name}`,
        { schema: e.schema, name: e.name, labels: e.labels, comment: e.comment },
      ]),
    ),
    sequences: sortedRecord(
      seqs.map((s): [string, SequenceInfo] => [
        `${s.schema}.${s.name}`,
        {
          schema: s.schema,
          name: s.name,
          type: s.type,
          start: s.start,
          increment: s.increment,
          min: s.min,
          max: s.max,
          cycle: s.cycle,
          ownedBy: s.ownedBy,
          identity: s.identity,
        },
      ]),
    ),
  };
}
