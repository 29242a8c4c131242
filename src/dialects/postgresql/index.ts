/**
 * The PostgreSQL dialect: PostgreSQL 15 DDL as Alembic's `PostgresqlImpl` and SQLAlchemy's PostgreSQL
 * compiler write it in `--sql` mode (transactional DDL; `CREATE INDEX CONCURRENTLY` outside the
 * transaction), rendered through `templates/postgresql/`.
 */
import { join } from 'node:path';
import { BUILTIN_TEMPLATES_DIR, TemplateSet } from '../../render/templates.js';
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

/** The built-in PostgreSQL templates folder, `templates/postgresql/`. */
export const POSTGRESQL_TEMPLATES_DIR = join(BUILTIN_TEMPLATES_DIR, 'postgresql');

/**
 * The PostgreSQL templates: the built-in ones, overridden file by file by each of `overrideDirs`, folders
 * laid out like `templates/postgresql/` (for a team's `--templates DIR`: `join(DIR, 'postgresql')`).
 */
export function postgresqlTemplates(overrideDirs: readonly string[] = []): TemplateSet {
  return new TemplateSet([POSTGRESQL_TEMPLATES_DIR, ...overrideDirs]);
}

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
