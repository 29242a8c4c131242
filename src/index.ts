/**
 * The `'sqlscribe'` module that migration files import: the authoring API and its types.
 * See `shared/spec/authoring.md` ("A migration file", "Columns and types", "Ops").
 */
export { migration, op, column, t, sql, primaryKey, unique, foreignKey, check, isSql } from './ops/builders.js';
export type { MigrationInput, ColumnOptions } from './ops/builders.js';
export type * from './ops/types.js';
