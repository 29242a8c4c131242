/**
 * The SQLite dialect (`--dialect sqlite`): SQLite 3.35+ DDL through `templates/sqlite/`, applied by the
 * `sqlite3` shell (`sqlite3 -bail db < script.sql`). Transactional DDL (`BEGIN;` ... `COMMIT;`, unlike
 * Alembic's `SQLiteImpl`, which emits none: SQLite's DDL is transactional and a failed script should
 * leave nothing half done); the ops SQLite's ALTER TABLE cannot do become the table rebuild of
 * `rebuild.ts`. See `README.md` of this folder.
 */
import '../../state/sqlite.js'; // registers SQLite's DialectModel
import type { Dialect } from '../types.js';
import { compileOp } from './compile.js';
import { qualify, quoteIdentifier, quoteString } from './quoting.js';
import { sqliteRebuild } from './rebuild.js';

/** The SQLite dialect. */
export const sqlite: Dialect = {
  name: 'sqlite',
  transactionalDdl: true,
  applyWith: (file) => `sqlite3 -bail <database> < ${file}`,
  quoteIdentifier,
  qualify,
  quoteString,
  compileOp,
  rebuild: sqliteRebuild,
  namedEnumTypes: false,
};

export { compileOp, describeOp, tableOf, rowidColumn } from './compile.js';
export { compileRebuild, sourceColumns, tempTableName, CHECK_TABLE } from './rebuild.js';
export { RESERVED_WORDS, requiresQuotes, quoteIdentifier, qualify, quoteString, literal, defaultExpression } from './quoting.js';
export { renderType } from './types.js';
export { resolveCreateTable, resolveAddColumn } from './table.js';
