/**
 * Real SQLite for tests, through the `sqlite3` shell exactly as a DBA runs a script:
 * `sqlite3 -bail <db> < script`.
 *
 *   import { sqliteTest, sqliteCatalog } from '../support/sqlite.js';
 *   sqliteTest('creates users', async (t, db) => {
 *     const r = await db.applyScript('CREATE TABLE users (id INTEGER PRIMARY KEY);');
 *     assert.equal(r.code, 0, r.stderr);
 *     assert.equal((await sqliteCatalog(db.file)).tables.users?.columns.id?.pk, 1);
 *   });
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';
import {
  type EngineTestOptions,
  type RunResult,
  clientEnv,
  findExecutable,
  makeTempDir,
  onExit,
  removeDir,
  requireEngine,
  run,
} from './common.js';

export type { RunResult } from './common.js';

/** A query row: INTEGER/REAL/TEXT in text form, BLOB as `X'hex'`, NULL as `null`. */
export type Row = (string | null)[];

const ENV = clientEnv();

function sqlite3Bin(): string | undefined {
  return findExecutable('sqlite3');
}

let checked: Promise<string> | undefined;

/** The `sqlite3` shell's version (e.g. `3.40.1`); rejects when it is not installed. */
export function sqliteVersion(): Promise<string> {
  checked ??= (async () => {
    const bin = sqlite3Bin();
    if (!bin) throw new Error('the sqlite3 shell is not installed (apt-get install sqlite3)');
    const r = await run(bin, ['-version'], { env: ENV });
    if (r.code !== 0) throw new Error(`sqlite3 -version failed: ${r.stderr.trim()}`);
    return r.stdout.split(' ')[0] ?? '';
  })();
  return checked;
}

/** Runs exactly `sqlite3 -bail <dbFile> < <scriptPath>`. Never throws for a failing script. */
export async function applySqlite(dbFile: string, scriptPath: string): Promise<RunResult> {
  return run(sqlite3Bin() ?? 'sqlite3', ['-bail', dbFile], { stdinFile: scriptPath, env: ENV, timeoutMs: 300_000 });
}

/**
 * Runs one query with `.mode quote` (so every value comes back exactly) and gives the rows. Rejects
 * on an SQL error. Reads no ~/.sqliterc.
 */
export async function sqliteQuery(dbFile: string, sql: string): Promise<Row[]> {
  const r = await run(sqlite3Bin() ?? 'sqlite3', ['-bail', '-init', '/dev/null', dbFile, '.mode quote', sql], {
    env: ENV,
  });
  if (r.code !== 0 || r.stderr.trim() !== '') {
    throw new Error(`sqlite3 query failed (${r.code}): ${r.stderr.trim()}\n  query: ${sql}`);
  }
  return parseQuoteMode(r.stdout);
}

/** Parses sqlite3 `.mode quote` output: `1,NULL,'it''s',X'00ff',1.5` a line (newlines kept inside quotes). */
export function parseQuoteMode(out: string): Row[] {
  const rows: Row[] = [];
  let i = 0;
  while (i < out.length) {
    const row: Row = [];
    for (;;) {
      if (out[i] === "'") {
        let v = '';
        i += 1;
        for (;;) {
          if (i >= out.length) throw new Error('unterminated string in sqlite3 output');
          if (out[i] === "'") {
            if (out[i + 1] === "'") {
              v += "'";
              i += 2;
              continue;
            }
            i += 1;
            break;
          }
          v += out[i];
          i += 1;
        }
        row.push(v);
      } else {
        let j = i;
        while (j < out.length && out[j] !== ',' && out[j] !== '\n') j += 1;
        if (out[i] === 'X' && out[i + 1] === "'") {
          // blob X'..' (hex digits only, so no comma or newline inside)
          j = out.indexOf("'", i + 2) + 1;
        }
        const tok = out.slice(i, j);
        row.push(tok === 'NULL' ? null : tok);
        i = j;
      }
      if (out[i] === ',') {
        i += 1;
        continue;
      }
      if (out[i] === '\n' || i >= out.length) {
        i += 1;
        break;
      }
      throw new Error(`unexpected character in sqlite3 output at ${i}: ${JSON.stringify(out.slice(i, i + 20))}`);
    }
    rows.push(row);
  }
  return rows;
}

/** Runs one query in `-json` mode and gives its rows as objects (NULL as null, numbers as numbers). */
export async function sqliteQueryJson<T = Record<string, unknown>>(dbFile: string, sql: string): Promise<T[]> {
  const r = await run(sqlite3Bin() ?? 'sqlite3', ['-bail', '-init', '/dev/null', '-json', dbFile, sql], { env: ENV });
  if (r.code !== 0 || r.stderr.trim() !== '') {
    throw new Error(`sqlite3 query failed (${r.code}): ${r.stderr.trim()}\n  query: ${sql}`);
  }
  return r.stdout.trim() === '' ? [] : (JSON.parse(r.stdout) as T[]);
}

/** A scratch database file for tests. */
export interface SqliteDb {
  /** The database file (created by the first statement that writes). */
  readonly file: string;
  /** `sqlite3 -bail <file> < <scriptPath>`. */
  apply(scriptPath: string): Promise<RunResult>;
  /** Writes `sql` to a temp file and applies it. */
  applyScript(sql: string): Promise<RunResult>;
  query(sql: string): Promise<Row[]>;
  queryJson<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Removes the file. */
  drop(): Promise<void>;
}

let scratch: string | undefined;
let counter = 0;

/** A new, empty database file in a temp dir removed at exit. Rejects when sqlite3 is missing. */
export async function createSqliteDb(): Promise<SqliteDb> {
  await sqliteVersion();
  if (scratch === undefined) {
    const d = makeTempDir('sqlscribe-sqlite-');
    scratch = d;
    onExit(() => removeDir(d));
  }
  counter += 1;
  const dir = scratch;
  const file = path.join(dir, `db${counter}.sqlite`);
  let scripts = 0;
  const db: SqliteDb = {
    file,
    apply: (p) => applySqlite(file, p),
    applyScript(sql) {
      scripts += 1;
      const p = path.join(dir, `db${counter}-${scripts}.sql`);
      writeFileSync(p, sql);
      return applySqlite(file, p);
    },
    query: (sql) => sqliteQuery(file, sql),
    queryJson: (sql) => sqliteQueryJson(file, sql),
    async drop() {
      removeDir(file);
    },
  };
  return db;
}

/** A fresh SQLite db for `t`: fails on CI / skips locally when sqlite3 is missing. */
export async function requireSqlite(t: TestContext): Promise<SqliteDb | undefined> {
  return requireEngine(t, 'SQLite (sqlite3 shell)', createSqliteDb);
}

/** A node:test test with a fresh SQLite database file. */
export function sqliteTest(name: string, fn: (t: TestContext, db: SqliteDb) => Promise<void>): void;
export function sqliteTest(
  name: string,
  options: EngineTestOptions,
  fn: (t: TestContext, db: SqliteDb) => Promise<void>,
): void;
export function sqliteTest(
  name: string,
  a: EngineTestOptions | ((t: TestContext, db: SqliteDb) => Promise<void>),
  b?: (t: TestContext, db: SqliteDb) => Promise<void>,
): void {
  const options = typeof a === 'function' ? {} : a;
  const fn = typeof a === 'function' ? a : b!;
  test(name, options, async (t) => {
    const db = await requireSqlite(t);
    if (!db) return;
    await fn(t, db);
  });
}

// ---------------------------------------------------------------------------------------------------
// Catalog

export interface SqliteColumn {
  readonly name: string;
  /** 0-based `cid`. */
  readonly position: number;
  /** The declared type as written (`VARCHAR(255)`, '' when none). */
  readonly type: string;
  readonly notNull: boolean;
  /** The default as written in the DDL (`'x'`, `CURRENT_TIMESTAMP`), else null. */
  readonly default: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  readonly pk: number;
  /** 0 normal, 2 generated VIRTUAL, 3 generated STORED (1 = hidden column of a virtual table). */
  readonly hidden: number;
}

export interface SqliteIndex {
  readonly name: string;
  readonly unique: boolean;
  /** 'c' CREATE INDEX, 'u' UNIQUE constraint, 'pk' PRIMARY KEY. */
  readonly origin: string;
  readonly partial: boolean;
  /** Key columns in order (null name for an expression). */
  readonly columns: (string | null)[];
  /** The CREATE INDEX text from sqlite_master (null for automatic indexes). */
  readonly sql: string | null;
}

export interface SqliteForeignKey {
  readonly id: number;
  readonly table: string;
  readonly from: string[];
  /** Referenced columns (null entries when the FK names none and so means the primary key). */
  readonly to: (string | null)[];
  readonly onUpdate: string;
  readonly onDelete: string;
  readonly match: string;
}

export interface SqliteTable {
  readonly name: string;
  readonly type: 'table' | 'view';
  /** The CREATE statement as stored (SQLite keeps the text, normalised only in its first words). */
  readonly sql: string | null;
  readonly columns: Record<string, SqliteColumn>;
  readonly indexes: Record<string, SqliteIndex>;
  /** In `id` order. */
  readonly foreignKeys: SqliteForeignKey[];
}

export interface SqliteCatalog {
  readonly tables: Record<string, SqliteTable>;
  /** Triggers: name → sql. */
  readonly triggers: Record<string, string | null>;
}

const sortKeys = <V>(entries: [string, V][]): Record<string, V> => {
  const out: Record<string, V> = {};
  for (const [k, v] of [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) out[k] = v;
  return out;
};

/** Reads tables, views, columns, indexes, foreign keys and triggers from `sqlite_master` and pragmas. */
export async function sqliteCatalog(dbFile: string): Promise<SqliteCatalog> {
  const objs = await sqliteQueryJson<{ type: string; name: string; tbl_name: string; sql: string | null }>(
    dbFile,
    `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name`,
  );
  const cols = await sqliteQueryJson<{ t: string; cid: number; name: string; type: string; notnull: number; dflt_value: string | null; pk: number; hidden: number }>(
    dbFile,
    `SELECT m.name AS t, c.cid, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden
       FROM sqlite_master m, pragma_table_xinfo(m.name) c
      WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name, c.cid`,
  );
  const idx = await sqliteQueryJson<{ t: string; name: string; unique: number; origin: string; partial: number }>(
    dbFile,
    `SELECT m.name AS t, i.name, i."unique", i.origin, i.partial
       FROM sqlite_master m, pragma_index_list(m.name) i
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name, i.name`,
  );
  const idxCols = await sqliteQueryJson<{ i: string; seqno: number; name: string | null }>(
    dbFile,
    `SELECT il.name AS i, ii.seqno, ii.name
       FROM sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY il.name, ii.seqno`,
  );
  const fks = await sqliteQueryJson<{ t: string; id: number; seq: number; table: string; from: string; to: string | null; on_update: string; on_delete: string; match: string }>(
    dbFile,
    `SELECT m.name AS t, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete, f."match"
       FROM sqlite_master m, pragma_foreign_key_list(m.name) f
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name, f.id, f.seq`,
  );

  const indexSql = new Map(objs.filter((o) => o.type === 'index').map((o) => [o.name, o.sql]));
  const tables = objs
    .filter((o) => o.type === 'table' || o.type === 'view')
    .map((o): [string, SqliteTable] => {
      const columns = sortKeys(
        cols
          .filter((c) => c.t === o.name)
          .map((c): [string, SqliteColumn] => [
            c.name,
            {
              name: c.name,
              position: c.cid,
              type: c.type,
              notNull: c.notnull === 1,
              default: c.dflt_value,
              pk: c.pk,
              hidden: c.hidden,
            },
          ]),
      );
      const indexes = sortKeys(
        idx
          .filter((i) => i.t === o.name)
          .map((i): [string, SqliteIndex] => [
            i.name,
            {
              name: i.name,
              unique: i.unique === 1,
              origin: i.origin,
              partial: i.partial === 1,
              columns: idxCols.filter((c) => c.i === i.name).map((c) => c.name),
              sql: indexSql.get(i.name) ?? null,
            },
          ]),
      );
      const byId = new Map<number, SqliteForeignKey>();
      for (const f of fks.filter((f) => f.t === o.name)) {
        let fk = byId.get(f.id);
        if (!fk) {
          fk = { id: f.id, table: f.table, from: [], to: [], onUpdate: f.on_update, onDelete: f.on_delete, match: f.match };
          byId.set(f.id, fk);
        }
        fk.from.push(f.from);
        fk.to.push(f.to);
      }
      return [
        o.name,
        { name: o.name, type: o.type as 'table' | 'view', sql: o.sql, columns, indexes, foreignKeys: [...byId.values()] },
      ];
    });
  return {
    tables: sortKeys(tables),
    triggers: sortKeys(objs.filter((o) => o.type === 'trigger').map((o): [string, string | null] => [o.name, o.sql])),
  };
}
