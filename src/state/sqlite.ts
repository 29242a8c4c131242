/**
 * SQLite's part of the schema model.
 *
 * SQLite records no name for a constraint that the migration leaves unnamed: `pragma_index_list` shows an
 * automatic index `sqlite_autoindex_<table>_<n>`, `pragma_foreign_key_list` an `id`, and a check nothing.
 * The model still needs a name to refer to it (validation, `dropConstraint`, derived downgrades), so it
 * gives such a constraint an *internal* name, predicted as PostgreSQL would choose it (`<table>_pkey`,
 * `<table>_<columns>_key`, `<table>_<columns>_fkey`, `<table>_<column>_check`, numbered on a clash — the
 * same code as `src/dialects/postgresql/defaultNames.ts`), marked `defaultName`. The SQLite renderer never
 * writes an internal name: a constraint with `defaultName` is rendered unnamed, as the migration wrote it.
 * `op.dropConstraint('<internal name>', ...)` — or a derived downgrade that drops it — rebuilds the table
 * without it, which is the only way SQLite can drop a constraint anyway.
 *
 * A primary key makes its columns NOT NULL in the model (SQLAlchemy renders `NOT NULL` on every primary
 * key column: SQLite itself would let a non-INTEGER key hold NULL, SQLite docs, lang_createtable.html
 * §3.5). There are no sequences: an INTEGER primary key is the rowid (SQLite docs, autoinc.html).
 */
import { checkConstraintColumn, postgresDefaultConstraintName } from '../dialects/postgresql/defaultNames.js';
import { MAX_IDENTIFIER_LENGTH, resolveAddColumn, resolveCreateTable, type SqliteShape } from '../dialects/sqlite/table.js';
import type { NamingConvention } from '../dialects/types.js';
import { isSql } from '../ops/builders.js';
import type { AddColumnOp, CreateTableOp, ExecuteOp } from '../ops/types.js';
import { registerDialectModel, type DialectModel, type ModelConstraint, type ModelNamespace, type ModelTableShape } from './dialect.js';

/** Names the unnamed constraints of a shape with internal names (module comment). */
function named(table: string, shape: SqliteShape, namespace: ModelNamespace): ModelTableShape {
  const taken = new Set<string>();
  const ns = {
    relationExists: (n: string) => taken.has(n) || namespace.relationExists(n) || n === table,
    constraintExists: (n: string) => taken.has(n) || namespace.constraintExists(n),
  };
  const columnNames = shape.columns.map((c) => c.name);
  const constraints = shape.constraints.map((c): ModelConstraint => {
    let name = c.name;
    const defaultName = name === undefined;
    if (name === undefined) {
      const cols = c.kind === 'check' ? [checkConstraintColumn(c.condition?.text ?? '', columnNames)].filter((x): x is string => x !== undefined) : c.columns;
      name = postgresDefaultConstraintName(c.kind, table, cols, ns);
    }
    taken.add(name);
    return { ...c, name, defaultName };
  });
  return { columns: shape.columns.map((column) => ({ column })), constraints };
}

/** SQLite's {@link DialectModel}. */
export const sqliteModel: DialectModel = {
  dialect: 'sqlite',
  // SQLite's main database; sqlscribe renders no schema for SQLite (a schema option is an error).
  defaultSchema: 'main',
  maxIdentifierLength: MAX_IDENTIFIER_LENGTH,
  primaryKeySetsNotNull: true,
  createTable(op: CreateTableOp, namespace: ModelNamespace, convention: NamingConvention | undefined) {
    return named(op.table, resolveCreateTable(op, convention, `op.createTable(${JSON.stringify(op.table)})`), namespace);
  },
  addColumn(op: AddColumnOp, namespace: ModelNamespace, convention: NamingConvention | undefined) {
    return named(op.table, resolveAddColumn(op, convention, `op.addColumn(${JSON.stringify(op.table)})`), namespace);
  },
  sequenceName(table: string, column: string): string {
    // SQLite has no sequences; the model never asks for SQLite (no shape has a sequence).
    return `${table}_${column}_seq`;
  },
  executeText(op: ExecuteOp): string | undefined {
    const s = op.sql;
    const chosen = typeof s === 'string' || isSql(s) ? s : (s.sqlite ?? s.default);
    if (chosen === undefined) return undefined;
    return typeof chosen === 'string' ? chosen : chosen.text;
  },
};

registerDialectModel(sqliteModel);
