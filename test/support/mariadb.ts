/**
 * Real MariaDB for tests: the server `.ci/run` started (SQLSCRIBE_MARIADB_SOCKET), or a private one
 * for this test process (mariadb-install-db + mariadbd on a unix socket in a temp dir, no TCP), fresh
 * databases on it, the `mariadb` client as a DBA runs a script, and a catalog read-back.
 *
 *   import { mariadbTest, mariadbCatalog } from '../support/mariadb.js';
 *   mariadbTest('creates users', async (t, db) => {
 *     const r = await db.applyScript('CREATE TABLE users (id INT PRIMARY KEY);');
 *     assert.equal(r.code, 0, r.stderr);
 *     assert.equal((await mariadbCatalog(db)).tables.users?.columns.id?.type, 'int(11)');
 *   });
 *
 * Policy as for PostgreSQL: fail on CI, skip locally, when no server can be had.
 */
import { spawn } from 'node:child_process';
import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';
import {
  type EngineTestOptions,
  type RunResult,
  clientEnv,
  findExecutable,
  isAlive,
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
  sleep,
  startWatchdog,
  systemUser,
} from './common.js';

export type { RunResult } from './common.js';

/** A query row: each value as the server sends it in text, SQL NULL as `null`. */
export type Row = (string | null)[];

export interface MariaServer {
  /** The unix socket path. */
  readonly socket: string;
  /** True for a server this process started (and stops); false for `.ci/run`'s. */
  readonly private: boolean;
  /** `SELECT VERSION()`, e.g. `10.11.19-MariaDB-0+deb12u1`. */
  readonly version: string;
  /** A new, empty database (utf8mb4) with a unique name. */
  createDatabase(): Promise<MariaDb>;
  /** Stops a private server and removes its directory; does nothing for an external one. */
  stop(): Promise<void>;
}

export interface MariaDb {
  readonly name: string;
  readonly server: MariaServer;
  /**
   * Runs `mariadb --no-defaults --socket=<sock> -u root --default-character-set=utf8mb4 <db> < <path>`:
   * batch mode, which stops at the first error (exit 1). Never throws for a failing script.
   */
  apply(file: string): Promise<RunResult>;
  /** Writes `sql` to a temp file and runs `apply` on it. */
  applyScript(sql: string): Promise<RunResult>;
  /** Runs one statement that returns rows (also SHOW ...); exact values (via `--xml`). Throws on error. */
  query(sql: string): Promise<Row[]>;
  /** Like `query`, each row as an object by column name. */
  queryObjects(sql: string): Promise<Record<string, string | null>[]>;
  /** Runs statements and throws on failure. For test set-up. */
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

const ENV = clientEnv();

function clientBin(): string | undefined {
  return findExecutable('mariadb', 'mysql', '/usr/bin/mariadb');
}

function clientArgs(socket: string): string[] {
  return ['--no-defaults', `--socket=${socket}`, '-u', 'root', '--default-character-set=utf8mb4'];
}

/** The server options shared with `.ci/run`: Debian's defaults (utf8mb4) and no durability. */
export const MARIADB_SERVER_OPTIONS = [
  '--skip-networking',
  '--character-set-server=utf8mb4',
  '--collation-server=utf8mb4_general_ci',
  '--innodb-flush-log-at-trx-commit=0',
  '--innodb-doublewrite=0',
  '--innodb-buffer-pool-size=64M',
  '--skip-log-bin',
  '--max-connections=50',
] as const;

let serverPromise: Promise<MariaServer> | undefined;

/**
 * The MariaDB server of this test process (memoised, failure too): `.ci/run`'s when
 * SQLSCRIBE_MARIADB_SOCKET is set, else a private one stopped and removed at exit.
 */
export function startMariadb(): Promise<MariaServer> {
  serverPromise ??= (async () => {
    if (!clientBin()) throw new Error('the mariadb client is not installed (apt-get install mariadb-client)');
    const socket = process.env.SQLSCRIBE_MARIADB_SOCKET;
    return socket ? externalServer(socket) : privateServer();
  })();
  return serverPromise;
}

async function versionOf(socket: string): Promise<string> {
  const r = await run(clientBin()!, [...clientArgs(socket), '--batch', '--skip-column-names', '-e', 'SELECT VERSION()'], {
    env: ENV,
    timeoutMs: 30_000,
  });
  if (r.code !== 0) throw new Error(`cannot connect to MariaDB at ${socket} as root: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

async function externalServer(socket: string): Promise<MariaServer> {
  const version = await versionOf(socket).catch((e: Error) => {
    throw new Error(`SQLSCRIBE_MARIADB_SOCKET=${socket} is set but ${e.message}`);
  });
  return makeServer(socket, false, version, async () => undefined);
}

async function privateServer(): Promise<MariaServer> {
  const mariadbd = findExecutable('mariadbd', '/usr/sbin/mariadbd', 'mysqld', '/usr/sbin/mysqld');
  const installDb = findExecutable('mariadb-install-db', '/usr/bin/mariadb-install-db', 'mysql_install_db');
  if (!mariadbd || !installDb) {
    throw new Error('MariaDB server not found (no mariadbd / mariadb-install-db); install `mariadb-server`, or run `.ci/run`');
  }
  const root = isRoot();
  const mysqlUser = root ? systemUser('mysql') : undefined;
  if (root && !mysqlUser) throw new Error('running as root but there is no `mysql` user to run mariadbd as');

  const dir = makeTempDir('sqlscribe-maria-');
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'sock');
  const log = path.join(dir, 'server.log');
  let pid: number | undefined;
  const stopSync = (): void => {
    if (pid !== undefined) killAndWaitSync(pid, 'SIGKILL'); // throwaway data: no need for a clean shutdown
    pid = undefined;
    removeDir(dir);
  };
  const unregister = onExit(stopSync);
  const userArg = root ? ['--user=mysql'] : [];
  try {
    if (mysqlUser) chownSync(dir, mysqlUser.uid, mysqlUser.gid);
    await runOk(
      installDb,
      ['--no-defaults', ...userArg, `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db'],
      { cwd: dir, env: ENV, timeoutMs: 120_000 },
    );
    const child = spawn(
      mariadbd,
      [
        '--no-defaults',
        ...userArg,
        `--datadir=${data}`,
        `--socket=${socket}`,
        `--pid-file=${path.join(dir, 'pid')}`,
        `--log-error=${log}`,
        ...MARIADB_SERVER_OPTIONS,
      ],
      { cwd: dir, env: ENV, detached: true, stdio: 'ignore' },
    );
    child.on('error', () => undefined);
    child.unref();
    pid = child.pid;
    if (pid === undefined) throw new Error(`cannot run ${mariadbd}`);
    // Nothing is left behind even if this process is SIGKILLed.
    startWatchdog(`kill -KILL ${pid} 2>/dev/null; sleep 0.5; rm -rf ${shq(dir)}`);
    // Wait until it answers (or dies).
    const end = Date.now() + 60_000;
    let version: string | undefined;
    let lastErr = '';
    while (Date.now() < end) {
      if (!isAlive(pid)) break;
      if (existsSync(socket)) {
        try {
          version = await versionOf(socket);
          break;
        } catch (e) {
          lastErr = (e as Error).message;
        }
      }
      await sleep(100);
    }
    if (version === undefined) {
      let tail = '';
      try {
        tail = readFileSync(log, 'utf8').split('\n').slice(-20).join('\n');
      } catch {
        /* none */
      }
      throw new Error(`mariadbd did not come up: ${lastErr}\n${tail}`);
    }
    return makeServer(socket, true, version, async () => {
      unregister();
      if (pid !== undefined) await killAndWait(pid, 'SIGKILL');
      pid = undefined;
      removeDir(dir);
    });
  } catch (e) {
    unregister();
    stopSync();
    throw new Error(`could not start a private MariaDB: ${(e as Error).message}`, { cause: e });
  }
}

let dbCounter = 0;
let fileCounter = 0;

function makeServer(socket: string, isPrivate: boolean, version: string, stop: () => Promise<void>): MariaServer {
  let scratch: string | undefined;
  const scratchDir = (): string => {
    if (scratch === undefined) {
      const d = makeTempDir('sqlscribe-msql-');
      scratch = d;
      onExit(() => removeDir(d));
    }
    return scratch;
  };
  const server: MariaServer = {
    socket,
    private: isPrivate,
    version,
    async createDatabase() {
      dbCounter += 1;
      const name = `t_${process.pid}_${dbCounter}_${Math.random().toString(36).slice(2, 8)}`;
      await makeDb(server, '', scratchDir).exec(
        `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`,
      );
      return makeDb(server, name, scratchDir);
    },
    async stop() {
      if (isPrivate) serverPromise = undefined;
      await stop();
      if (scratch !== undefined) removeDir(scratch);
    },
  };
  return server;
}

function makeDb(server: MariaServer, name: string, scratchDir: () => string): MariaDb {
  const dbArg = name ? [name] : [];
  const db: MariaDb = {
    name,
    server,
    apply(file) {
      return run(clientBin() ?? 'mariadb', [...clientArgs(server.socket), ...dbArg], {
        stdinFile: file,
        env: ENV,
        timeoutMs: 300_000,
      });
    },
    applyScript(sql) {
      fileCounter += 1;
      const file = path.join(scratchDir(), `${name || 'server'}-${fileCounter}.sql`);
      writeFileSync(file, sql);
      return db.apply(file);
    },
    async query(sql) {
      return (await xmlQuery(sql)).map((fields) => fields.map(([, v]) => v));
    },
    async queryObjects(sql) {
      const rows = await xmlQuery(sql);
      return rows.map((fields) => {
        // Duplicate column names would collapse in an object: keep them apart for `query`.
        const o: Record<string, string | null> = {};
        fields.forEach(([k, v], i) => {
          o[k in o ? `${k}#${i}` : k] = v;
        });
        return o;
      });
    },
    async exec(sql) {
      const r = await db.applyScript(sql);
      if (r.code !== 0) throw new Error(`mariadb failed in ${name || '(no db)'} (${r.code}): ${r.stderr.trim()}`);
    },
    async drop() {
      if (name) await makeDb(server, '', scratchDir).exec(`DROP DATABASE IF EXISTS \`${name}\``);
    },
  };
  const xmlQuery = async (sql: string): Promise<[string, string | null][][]> => {
    const r = await run(clientBin() ?? 'mariadb', [...clientArgs(server.socket), '--xml', ...dbArg, '-e', sql], {
      env: ENV,
      timeoutMs: 120_000,
    });
    if (r.code !== 0) throw new Error(`query failed in ${name} (${r.code}): ${r.stderr.trim()}\n  query: ${sql}`);
    return parseXmlRows(r.stdout);
  };
  return db;
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    switch (e) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

/** Parses `mariadb --xml` output into rows of [column, value|null]. */
export function parseXmlRows(xml: string): [string, string | null][][] {
  const rows: [string, string | null][][] = [];
  for (const m of xml.matchAll(/<row>([\s\S]*?)<\/row>/g)) {
    const fields: [string, string | null][] = [];
    for (const f of (m[1] ?? '').matchAll(/<field name="([^"]*)"(?: (xsi:nil="true") \/>|>([\s\S]*?)<\/field>)/g)) {
      fields.push([unescapeXml(f[1] ?? ''), f[2] ? null : unescapeXml(f[3] ?? '')]);
    }
    rows.push(fields);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Test policy

/** A fresh database for `t`: fails on CI / skips locally when MariaDB cannot be had. */
export async function requireMariadb(t: TestContext): Promise<MariaDb | undefined> {
  const server = await requireEngine(t, 'MariaDB', startMariadb);
  return server ? server.createDatabase() : undefined;
}

/** A node:test test with a fresh MariaDB database, dropped afterwards (kept with SQLSCRIBE_KEEP_DB=1). */
export function mariadbTest(name: string, fn: (t: TestContext, db: MariaDb) => Promise<void>): void;
export function mariadbTest(
  name: string,
  options: EngineTestOptions,
  fn: (t: TestContext, db: MariaDb) => Promise<void>,
): void;
export function mariadbTest(
  name: string,
  a: EngineTestOptions | ((t: TestContext, db: MariaDb) => Promise<void>),
  b?: (t: TestContext, db: MariaDb) => Promise<void>,
): void {
  const options = typeof a === 'function' ? {} : a;
  const fn = typeof a === 'function' ? a : b!;
  test(name, options, async (t) => {
    const db = await requireMariadb(t);
    if (!db) return;
    try {
      await fn(t, db);
    } finally {
      if (process.env.SQLSCRIBE_KEEP_DB === '1') t.diagnostic(`kept database ${db.name} (socket ${db.server.socket})`);
      else await db.drop().catch(() => undefined);
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Catalog

export interface MariaColumn {
  readonly name: string;
  readonly position: number;
  /** COLUMN_TYPE: `int(11)`, `varchar(255)`, `enum('a','b')`, `bigint(20) unsigned`. */
  readonly type: string;
  readonly notNull: boolean;
  /** COLUMN_DEFAULT as MariaDB reports it: `'x'` (quoted literal), `NULL`, `current_timestamp()`, or null. */
  readonly default: string | null;
  /** EXTRA: `auto_increment`, `on update current_timestamp()`, `STORED GENERATED`, ''. */
  readonly extra: string;
  readonly generated: string | null;
  readonly collation: string | null;
  /** '' when none (MariaDB has no NULL comment). */
  readonly comment: string;
}

export interface MariaIndex {
  readonly name: string;
  readonly unique: boolean;
  /** Columns in order, with a prefix length as `col(10)`. */
  readonly columns: string[];
  /** BTREE, FULLTEXT, SPATIAL, HASH. */
  readonly type: string;
  readonly comment: string;
}

export interface MariaConstraint {
  readonly name: string;
  readonly type: 'PRIMARY KEY' | 'UNIQUE' | 'FOREIGN KEY' | 'CHECK';
  readonly columns: string[];
  /** For a foreign key: referenced table and columns, rules. */
  readonly references: { table: string; columns: string[]; onUpdate: string; onDelete: string } | null;
  /** For a check: CHECK_CLAUSE. */
  readonly check: string | null;
}

export interface MariaTable {
  readonly name: string;
  readonly type: 'BASE TABLE' | 'VIEW' | string;
  readonly engine: string | null;
  readonly collation: string | null;
  readonly comment: string;
  readonly columns: Record<string, MariaColumn>;
  readonly indexes: Record<string, MariaIndex>;
  readonly constraints: Record<string, MariaConstraint>;
}

export interface MariaCatalog {
  readonly tables: Record<string, MariaTable>;
}

const sortKeys = <V>(entries: [string, V][]): Record<string, V> => {
  const out: Record<string, V> = {};
  for (const [k, v] of [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) out[k] = v;
  return out;
};

/** Reads tables, columns, indexes and constraints of `db` from information_schema. */
export async function mariadbCatalog(db: MariaDb): Promise<MariaCatalog> {
  const s = `'${db.name}'`;
  const tables = await db.queryObjects(
    `SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${s} ORDER BY TABLE_NAME`,
  );
  const cols = await db.queryObjects(
    `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,
            GENERATION_EXPRESSION, COLLATION_NAME, COLUMN_COMMENT
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ${s} ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  );
  const stats = await db.queryObjects(
    `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, INDEX_TYPE, INDEX_COMMENT
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ${s} ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
  );
  const tcs = await db.queryObjects(
    `SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = ${s} ORDER BY TABLE_NAME, CONSTRAINT_NAME`,
  );
  const kcu = await db.queryObjects(
    `SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
       FROM information_schema.KEY_COLUMN_USAGE WHERE CONSTRAINT_SCHEMA = ${s}
      ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
  );
  const rcs = await db.queryObjects(
    `SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE, REFERENCED_TABLE_NAME
       FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ${s}`,
  );
  const checks = await db.queryObjects(
    `SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ${s}`,
  );

  const out: [string, MariaTable][] = tables.map((t) => {
    const tn = t.TABLE_NAME ?? '';
    const columns = sortKeys(
      cols
        .filter((c) => c.TABLE_NAME === tn)
        .map((c): [string, MariaColumn] => [
          c.COLUMN_NAME ?? '',
          {
            name: c.COLUMN_NAME ?? '',
            position: Number(c.ORDINAL_POSITION),
            type: c.COLUMN_TYPE ?? '',
            notNull: c.IS_NULLABLE === 'NO',
            default: c.COLUMN_DEFAULT ?? null,
            extra: c.EXTRA ?? '',
            generated: c.GENERATION_EXPRESSION || null,
            collation: c.COLLATION_NAME ?? null,
            comment: c.COLUMN_COMMENT ?? '',
          },
        ]),
    );
    const idxNames = [...new Set(stats.filter((x) => x.TABLE_NAME === tn).map((x) => x.INDEX_NAME ?? ''))];
    const indexes = sortKeys(
      idxNames.map((n): [string, MariaIndex] => {
        const parts = stats.filter((x) => x.TABLE_NAME === tn && x.INDEX_NAME === n);
        const first = parts[0]!;
        return [
          n,
          {
            name: n,
            unique: first.NON_UNIQUE === '0',
            columns: parts.map((p) => (p.SUB_PART ? `${p.COLUMN_NAME}(${p.SUB_PART})` : p.COLUMN_NAME ?? '')),
            type: first.INDEX_TYPE ?? '',
            comment: first.INDEX_COMMENT ?? '',
          },
        ];
      }),
    );
    const constraints = sortKeys(
      tcs
        .filter((c) => c.TABLE_NAME === tn)
        .map((c): [string, MariaConstraint] => {
          const cn = c.CONSTRAINT_NAME ?? '';
          const keys = kcu.filter((k) => k.TABLE_NAME === tn && k.CONSTRAINT_NAME === cn);
          const rc = rcs.find((r) => r.TABLE_NAME === tn && r.CONSTRAINT_NAME === cn);
          const ck = checks.find((r) => r.TABLE_NAME === tn && r.CONSTRAINT_NAME === cn);
          return [
            cn,
            {
              name: cn,
              type: c.CONSTRAINT_TYPE as MariaConstraint['type'],
              columns: keys.map((k) => k.COLUMN_NAME ?? ''),
              references: rc
                ? {
                    table: rc.REFERENCED_TABLE_NAME ?? '',
                    columns: keys.map((k) => k.REFERENCED_COLUMN_NAME ?? ''),
                    onUpdate: rc.UPDATE_RULE ?? '',
                    onDelete: rc.DELETE_RULE ?? '',
                  }
                : null,
              check: ck ? ck.CHECK_CLAUSE ?? null : null,
            },
          ];
        }),
    );
    return [
      tn,
      {
        name: tn,
        type: t.TABLE_TYPE ?? '',
        engine: t.ENGINE ?? null,
        collation: t.TABLE_COLLATION ?? null,
        comment: t.TABLE_COMMENT ?? '',
        columns,
        indexes,
        constraints,
      },
    ];
  });
  return { tables: sortKeys(out) };
}
