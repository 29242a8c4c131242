/**
 * Resolution of table definitions for SQLite, shared by the renderer (`compile.ts`, `rebuild.ts`) and the
 * schema model (`src/state/sqlite.ts`): the column definitions with `nullable` explicit, and the table
 * constraints in SQLAlchemy's order (primary key, the table constraints as given, then the columns'
 * `unique` and `references`), named by the naming convention where it names them. SQLite records no name
 * for a constraint left unnamed (its `CREATE TABLE` text keeps a `CONSTRAINT name` clause only when one
 * is written); the model refers to such a constraint by an internal predicted name (see
 * `src/state/sqlite.ts`), which is never rendered.
 */
import { UserError } from '../../errors.js';
import { sql as sqlBuilder } from '../../ops/builders.js';
import type { AddColumnOp, Column, CreateTableOp } from '../../ops/types.js';
import type { ModelConstraint } from '../../state/dialect.js';
import { checkDeferrable, resolveAddColumnOp, resolveCreateTable as resolveTable, type Constraint, type DeferrableOptions, type ResolveRules } from '../resolve.js';
import type { NamingConvention } from '../types.js';
import { isIntegerType } from './types.js';

/** SQLAlchemy's `max_identifier_length` of its default dialect, used for SQLite: convention names are cut there. */
export const MAX_IDENTIFIER_LENGTH = 9999;

/** A constraint before the model names it: `name` is undefined when neither the op nor a convention names it. */
export type SqliteConstraint = Omit<ModelConstraint, 'name' | 'defaultName'> & { readonly name: string | undefined };

/** A resolved `createTable` / `addColumn`: definitions (`nullable` explicit) and constraints. */
export interface SqliteShape {
  /** Column definitions as the model keeps them; `autoincrement: false` is kept (it stops the rowid alias). */
  readonly columns: readonly Column[];
  readonly constraints: readonly SqliteConstraint[];
}

function noDeferrableUnique(c: DeferrableOptions, where: string): void {
  if (c.deferrable !== undefined || c.initially !== undefined) {
    throw new UserError(`${where}: SQLite unique constraints cannot be deferrable (only foreign keys can); drop deferrable/initially`);
  }
}

/** The combinations of column options SQLite cannot take. */
function checkColumn(col: Column, primaryKey: boolean, where: string): void {
  const w = `${where}: column "${col.name}"`;
  if (col.identity !== undefined) throw new UserError(`${w}: SQLite has no identity columns; an INTEGER primary key is SQLite's auto-increment (drop identity)`);
  if (primaryKey && col.nullable === true) throw new UserError(`${w}: a primary key column cannot be nullable (drop nullable: true)`);
  if (col.computed !== undefined && col.serverDefault !== undefined) throw new UserError(`${w}: SQLite does not allow both computed and serverDefault on a column`);
  if (col.computed !== undefined && primaryKey) throw new UserError(`${w}: SQLite does not allow a generated column in a primary key`);
  if (col.autoincrement === true) {
    if (!primaryKey) throw new UserError(`${w}: autoincrement: true applies to a primary key column only`);
    if (!isIntegerType(col.type)) throw new UserError(`${w}: autoincrement: true needs an integer type (SQLite's INTEGER PRIMARY KEY), not ${col.type.kind}`);
  }
  if (col.references?.schema !== undefined) throw new UserError(`${w}: SQLite has no schemas (references.schema "${col.references.schema}")`);
}

/** A column's definition as the model keeps it (see {@link SqliteShape.columns}). */
export function definition(col: Column, primaryKey: boolean): Column {
  const out: { -readonly [K in keyof Column]?: Column[K] } = { kind: 'column', name: col.name, type: col.type, nullable: col.nullable ?? !primaryKey };
  if (col.serverDefault !== undefined) out.serverDefault = col.serverDefault;
  if (col.comment !== undefined) out.comment = col.comment;
  if (col.computed !== undefined) out.computed = col.computed;
  if (col.collation !== undefined) out.collation = col.collation;
  if (col.autoincrement === false) out.autoincrement = false;
  return Object.freeze(out) as Column;
}

function noSchema(op: CreateTableOp | AddColumnOp, where: string): void {
  if (op.schema !== undefined) throw new UserError(`${where}: SQLite has no schemas (schema "${op.schema}")`);
}

/**
 * SQLite auto-increments only a single-column INTEGER primary key (SQLite docs, lang_createtable.html
 * "ROWID and the INTEGER PRIMARY KEY"): `autoincrement: true` on a column of a composite key is refused.
 * The rowid alias is decided by the renderer, not here: nothing is returned.
 */
function noCompositeAutoincrement(pk: readonly Column[], _hasForeignKey: unknown, where: string): undefined {
  if (pk.length > 1) {
    const auto = pk.find((c) => c.autoincrement === true);
    if (auto) throw new UserError(`${where}: column "${auto.name}": SQLite auto-increments only a single-column INTEGER primary key, not a column of a composite key`);
  }
  return undefined;
}

/** SQLite's rules for the shared resolver (`../resolve.ts`): no schemas, no deferrable uniques, no identity. */
const RULES: ResolveRules = {
  maxIdentifierLength: MAX_IDENTIFIER_LENGTH,
  listPrimaryKeyColumns: true,
  checkOp: noSchema,
  checkColumn,
  checkUnique: noDeferrableUnique,
  checkForeignKey(item, where) {
    checkDeferrable(item, where);
    if (item.refSchema !== undefined) throw new UserError(`${where}: SQLite has no schemas (refSchema "${item.refSchema}")`);
  },
  checkReferences: checkDeferrable,
  autoincrement: noCompositeAutoincrement,
};

/** The shared resolver's constraint as the SQLite model keeps it: a check's condition as SQL, no origin. */
function sqliteConstraint(c: Constraint): SqliteConstraint {
  const { origin: _o, condition, ...rest } = c;
  return condition === undefined ? rest : { ...rest, condition: sqlBuilder(condition) };
}

/**
 * Resolves a `createTable` op (SQLite docs, lang_createtable.html) with `../resolve.ts`.
 * @throws UserError for a schema, duplicate columns, constraints on unknown columns, two primary keys,
 *   and what SQLite lacks (identity, deferrable uniques, foreign keys into another schema).
 */
export function resolveCreateTable(op: CreateTableOp, convention: NamingConvention | undefined, where: string): SqliteShape {
  const t = resolveTable(op, convention, RULES, where);
  const pk = new Set(t.primaryKey);
  return { columns: t.columns.map((c) => definition(c, pk.has(c.name))), constraints: t.constraints.map(sqliteConstraint) };
}

/**
 * Resolves an `addColumn` op: the column, then its primary key, unique and foreign key.
 * @throws UserError as {@link resolveCreateTable}.
 */
export function resolveAddColumn(op: AddColumnOp, convention: NamingConvention | undefined, where: string): SqliteShape {
  const r = resolveAddColumnOp(op, convention, RULES, true, where);
  return { columns: [definition(r.column, r.primaryKey)], constraints: r.constraints.map(sqliteConstraint) };
}
