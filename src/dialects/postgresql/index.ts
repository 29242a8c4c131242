/**
 * The PostgreSQL dialect: PostgreSQL 15 DDL as Alembic's `PostgresqlImpl` and SQLAlchemy's PostgreSQL
 * compiler write it in `--sql` mode (transactional DDL; `CREATE INDEX CONCURRENTLY` outside the
 * transaction), rendered through `templates/postgresql/`.
 */
import type { Dialect } from '../types.js';
import { compileOp } from './compile.js';
import { qualify, quoteIdentifier, quoteString } from './quoting.js';

/** The PostgreSQL dialect (`--dialect postgresql`, the default). */
export const postgresql: Dialect = {
  name: 'postgresql',
  transactionalDdl: true,
  applyWith: (file) => `psql -X -f ${file}   (the script sets ON_ERROR_STOP itself; do not add -1 / --single-transaction)`,
  quoteIdentifier,
  qualify,
  quoteString,
  compileOp,
};

export { compileOp, describeOp } from './compile.js';
export type { ColumnView, ConstraintView } from './compile.js';
export {
  RESERVED_WORDS,
  MAX_IDENTIFIER_BYTES,
  requiresQuotes,
  quoteIdentifier,
  qualify,
  quoteString,
  literal,
  checkIdentifier,
} from './quoting.js';
export { renderType } from './types.js';
export { resolveTable, resolveAddColumn } from './table.js';
export type { ResolvedTable, ResolvedColumn, ResolvedConstraint, ResolvedAddColumn, ConstraintKind } from './table.js';
export {
  makeObjectName,
  columnNamesAddition,
  postgresDefaultConstraintName,
  checkConstraintColumn,
  predictCreateTableConstraints,
  predictAddColumnConstraints,
  postgresSequenceName,
} from './defaultNames.js';
export type { PgNamespace, PredictedConstraint, PredictOptions } from './defaultNames.js';
