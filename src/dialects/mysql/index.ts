/**
 * The MySQL and MariaDB dialects: one implementation (`compile.ts`), two flavours. `mysql` renders DDL
 * for MySQL 8.0 (RENAME COLUMN, DROP CHECK, functional index key parts); `mariadb` is the same plus
 * what MariaDB 10.5+ adds or spells differently (`IF [NOT] EXISTS` on columns and indexes, `DROP
 * CONSTRAINT` for checks; no functional key parts), its templates read from `templates/mysql/` and then
 * `templates/mariadb/`. Neither has transactional DDL (MySQL 8.0 Reference Manual, 15.3.3 "Statements
 * That Cause an Implicit Commit"): the script has no `BEGIN`/`COMMIT` and the version table is written
 * right after each migration's statements.
 */
import type { Dialect } from '../types.js';
import '../../state/mysql.js'; // registers the DialectModels of mysql and mariadb
import { compileOp } from './compile.js';
import { qualify, quoteIdentifier, quoteString } from './quoting.js';
import type { MysqlFlavour } from './table.js';

/** The header lines of a MySQL/MariaDB script (see {@link Dialect.headerNotes}). */
export const MYSQL_HEADER_NOTES: readonly string[] = [
  'MySQL/MariaDB have no transactional DDL: every statement commits on its own, and the version table is',
  'updated right after each migration. If a statement fails, the database is at the last completed revision',
  "(the version table names it) plus what the failed migration's earlier statements did; undo those by hand.",
  'String literals escape \\ as \\\\: run with an sql_mode without NO_BACKSLASH_ESCAPES (the default).',
];

function make(flavour: MysqlFlavour): Dialect {
  const client = flavour === 'mariadb' ? 'mariadb' : 'mysql';
  return {
    name: flavour,
    transactionalDdl: false,
    quoteIdentifier,
    qualify,
    quoteString,
    compileOp: (op, ctx) => compileOp(flavour, op, ctx),
    headerNotes: MYSQL_HEADER_NOTES,
    applyWith: (file) => `${client} --default-character-set=utf8mb4 <database> < ${file}`,
  };
}

/** `--dialect mysql`: MySQL 8.0. */
export const mysql: Dialect = make('mysql');
/** `--dialect mariadb`: MariaDB 10.5+. */
export const mariadb: Dialect = make('mariadb');

export { compileOp } from './compile.js';
export type { ColumnView, ConstraintView } from './compile.js';
export { MAX_IDENTIFIER_LENGTH, checkIdentifier, literal, qualify, quoteIdentifier, quoteString } from './quoting.js';
export { renderType } from './types.js';
export { resolveAddColumn, resolveTable, serverNames } from './table.js';
export type { MysqlFlavour, NameSpace, ResolvedAddColumn, ResolvedColumn, ResolvedConstraint, ResolvedTable } from './table.js';
