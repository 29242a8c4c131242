/**
 * Helpers of the SQLite engine tests: a portable history compiled by the CLI (`--dialect sqlite`) into a
 * file and applied with `sqlite3 -bail db < file`, as the DBA will; the catalog in a comparable form.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqlscribe } from '../support/cli.js';
import { sqliteCatalog, type SqliteDb } from '../support/sqlite.js';
import { assertParses } from '../support/sqlparse.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'sqlscribe-sqlite-'));
let n = 0;

/** Compiles `command range` of `test/fixtures/portable/<history>` for SQLite into a file; fails the test on an error. */
export async function compile(history: string, command: 'upgrade' | 'downgrade', range: string): Promise<{ file: string; sql: string }> {
  n += 1;
  const file = join(work, `${history}-${n}-${command}.sql`);
  const r = await sqlscribe(REPO, command, range, '--dialect', 'sqlite', '--migrations', join(REPO, 'test/fixtures/portable', history), '-o', file);
  assert.equal(r.code, 0, `sqlscribe ${command} ${range}: ${r.stderr}`);
  const sql = readFileSync(file, 'utf8');
  // Every generated statement is also read by node-sql-parser (parse.ts lists what it cannot read).
  assertParses(sql, 'sqlite');
  return { file, sql };
}

/** Compiles and applies with `sqlite3 -bail`; fails the test when sqlite3 reports anything. */
export async function apply(db: SqliteDb, history: string, command: 'upgrade' | 'downgrade', range: string): Promise<string> {
  const { file, sql } = await compile(history, command, range);
  const r = await db.apply(file);
  assert.equal(r.code, 0, `sqlite3 -bail < ${file}:\n${r.stderr}`);
  assert.equal(r.stderr, '', `sqlite3 wrote to stderr for ${file}`);
  return sql;
}

/** A column as the tests state it: `TYPE [NOT NULL] [DEFAULT x] [PK n]`. */
export type ColumnText = string;

/** What a test states of a table: columns in order, indexes, foreign keys, and fragments of its CREATE TABLE text. */
export interface IntendedTable {
  readonly columns: Record<string, ColumnText>;
  /** Index name → `[UNIQUE ]<origin> (cols)`; automatic indexes by their sqlite_autoindex_ name. */
  readonly indexes: Record<string, string>;
  /** `from -> table(to) ON DELETE x ON UPDATE y`. */
  readonly foreignKeys: readonly string[];
}

/** The catalog in the tests' terms (see {@link IntendedTable}), read with pragma_table_info, pragma_index_list, pragma_foreign_key_list. */
export async function schemaOf(db: SqliteDb): Promise<Record<string, IntendedTable>> {
  const cat = await sqliteCatalog(db.file);
  const out: Record<string, IntendedTable> = {};
  for (const [name, t] of Object.entries(cat.tables)) {
    const columns: Record<string, string> = {};
    for (const c of Object.values(t.columns).sort((a, b) => a.position - b.position)) {
      columns[c.name] = [c.type, c.notNull ? 'NOT NULL' : '', c.default === null ? '' : `DEFAULT ${c.default}`, c.pk ? `PK ${c.pk}` : ''].filter(Boolean).join(' ');
    }
    const indexes: Record<string, string> = {};
    for (const ix of Object.values(t.indexes)) indexes[ix.name] = `${ix.unique ? 'UNIQUE ' : ''}${ix.origin} (${ix.columns.join(', ')})${ix.partial ? ' partial' : ''}`;
    const foreignKeys = t.foreignKeys.map((f) => `${f.from.join(', ')} -> ${f.table}(${f.to.join(', ')}) ON DELETE ${f.onDelete} ON UPDATE ${f.onUpdate}`);
    out[name] = { columns, indexes, foreignKeys };
  }
  return out;
}

/** The CREATE TABLE text SQLite stores for a table. */
export async function tableSql(db: SqliteDb, table: string): Promise<string> {
  const rows = await db.query(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '${table.replace(/'/g, "''")}'`);
  return rows[0]?.[0] ?? '';
}

/** Runs a script expecting `sqlite3 -bail` to refuse it with a message matching `message`. */
export async function rejects(db: SqliteDb, sql: string, message: RegExp): Promise<void> {
  const r = await db.applyScript(sql);
  assert.notEqual(r.code, 0, `expected sqlite3 to refuse:\n${sql}`);
  assert.match(r.stderr, message);
}
