/**
 * Resolution of a table definition for PostgreSQL: column defaults (`nullable`, `autoincrement` → SERIAL),
 * the table constraints in SQLAlchemy's order, and their names under a naming convention. Shared by the
 * renderer (`compile.ts`) and by the prediction of PostgreSQL's own constraint names (`defaultNames.ts`),
 * so that both see the same constraints.
 */
import { UserError } from '../../errors.js';
import type { AddColumnOp, Column, CreateTableOp, EnumType } from '../../ops/types.js';
import { checkDeferrable, resolveAddColumnOp, resolveCreateTable, sqlText, type Constraint, type ResolveRules } from '../resolve.js';
import type { NamingConvention } from '../types.js';
import { MAX_IDENTIFIER_BYTES } from './quoting.js';
import { enumsOf, isCollatable, isIntegerType } from './types.js';

/** The kinds of table constraint. */
export type { ConstraintKind } from '../resolve.js';

/** A table constraint with everything resolved except quoting; name undefined leaves it to PostgreSQL (see `defaultNames.ts`). */
export type ResolvedConstraint = Constraint;

/** A column with its defaults resolved. */
export interface ResolvedColumn {
  readonly column: Column;
  readonly primaryKey: boolean;
  /** `nullable` as given, else false for primary keys and identity columns, true otherwise. */
  readonly nullable: boolean;
  /**
   * True when the column is SQLAlchemy's autoincrement column without identity: rendered SERIAL; or has
   * a `sequenceName` without identity: its sequence made by that name (see `Column.sequenceName`).
   */
  readonly serial: boolean;
}

/** A `createTable` op, resolved. */
export interface ResolvedTable {
  readonly table: string;
  readonly schema?: string;
  readonly columns: readonly ResolvedColumn[];
  /** Primary key first, then table-level constraints in the order given, then column-level ones (SQLAlchemy's order). */
  readonly constraints: readonly ResolvedConstraint[];
}

/** An `addColumn` op, resolved: the column and the constraints that follow the `ADD COLUMN`. */
export interface ResolvedAddColumn {
  readonly column: ResolvedColumn;
  /** Primary key, unique, foreign key: in that order. */
  readonly constraints: readonly ResolvedConstraint[];
}

export { sqlText };

/**
 * Checks the combinations of column options that PostgreSQL cannot take, or that would lose something.
 * @param primaryKey whether the column is part of the primary key.
 */
function checkColumn(col: Column, primaryKey: boolean, where: string): void {
  const w = `${where}: column "${col.name}"`;
  if (primaryKey && col.nullable === true) {
    throw new UserError(`${w}: a primary key column cannot be nullable in PostgreSQL (drop nullable: true)`);
  }
  if (col.identity !== undefined) {
    if (!isIntegerType(col.type) && col.type.kind !== 'custom') {
      throw new UserError(`${w}: PostgreSQL identity columns must be smallInteger, integer or bigInteger, not ${col.type.kind}`);
    }
    if (col.serverDefault !== undefined) throw new UserError(`${w}: PostgreSQL does not allow both identity and serverDefault on a column`);
    if (col.computed !== undefined) throw new UserError(`${w}: PostgreSQL does not allow both identity and computed on a column`);
    if (col.nullable === true) throw new UserError(`${w}: PostgreSQL identity columns are always NOT NULL (drop nullable: true)`);
    if (col.autoincrement === false) throw new UserError(`${w}: identity and autoincrement: false contradict each other`);
  }
  if (col.computed !== undefined) {
    if (col.computed.stored === false) {
      throw new UserError(`${w}: PostgreSQL has only stored generated columns (computed.stored: false, a virtual column, is not supported)`);
    }
    if (col.serverDefault !== undefined) throw new UserError(`${w}: PostgreSQL does not allow both computed and serverDefault on a column`);
  }
  if (col.collation !== undefined && !isCollatable(col.type)) {
    throw new UserError(`${w}: PostgreSQL cannot apply a collation to type ${col.type.kind} (only to string, text, their arrays, or custom types)`);
  }
  if (col.autoincrement === true) {
    if (!primaryKey) throw new UserError(`${w}: autoincrement: true applies to a primary key column only (use identity for other columns)`);
    if (!isIntegerType(col.type)) {
      throw new UserError(`${w}: autoincrement: true needs an integer type for PostgreSQL SERIAL, not ${col.type.kind}`);
    }
    if (col.serverDefault !== undefined) throw new UserError(`${w}: autoincrement: true (SERIAL) cannot have a serverDefault in PostgreSQL`);
    if (col.computed !== undefined) throw new UserError(`${w}: autoincrement: true cannot be computed`);
  }
}

/**
 * SQLAlchemy's `PrimaryKeyConstraint._autoincrement_column` for PostgreSQL: the column to render SERIAL.
 * A single integer primary key with `autoincrement` unset is one unless it has a server default, a computed
 * expression, an identity or a foreign key; `autoincrement: true` picks a column of a composite key.
 */
function autoincrementColumn(pk: readonly Column[], hasForeignKey: (col: string) => boolean, where: string): Column | undefined {
  let chosen: Column | undefined;
  if (pk.length === 1) {
    const col = pk[0]!;
    if (col.autoincrement === true) chosen = col;
    else if (
      col.autoincrement === undefined &&
      isIntegerType(col.type) &&
      col.serverDefault === undefined &&
      col.computed === undefined &&
      col.identity === undefined &&
      !hasForeignKey(col.name)
    ) {
      chosen = col;
    }
  } else {
    const explicit = pk.filter((c) => c.autoincrement === true);
    if (explicit.length > 1) {
      throw new UserError(`${where}: only one column of a primary key can have autoincrement: true (${explicit.map((c) => `"${c.name}"`).join(', ')})`);
    }
    chosen = explicit[0];
  }
  return chosen?.identity === undefined ? chosen : undefined;
}

/**
 * PostgreSQL's rules for the shared resolver (`../resolve.ts`): its column checks, deferrable checks
 * (PostgreSQL 15 docs, SQL Commands: CREATE TABLE, DEFERRABLE), SERIAL's column, the 63-byte names
 * (4.1.1, NAMEDATALEN), and the zero-column table of a derived downgrade.
 */
const RULES: ResolveRules = {
  maxIdentifierLength: MAX_IDENTIFIER_BYTES,
  // No items at all is `CREATE TABLE t ()`, which PostgreSQL allows ("a table of no columns"): a derived
  // downgrade re-creates so a table whose columns were all dropped (the builder refuses an empty list).
  allowNoItems: true,
  listPrimaryKeyColumns: true,
  checkColumn,
  checkUnique: checkDeferrable,
  checkForeignKey: checkDeferrable,
  checkReferences: checkDeferrable,
  autoincrement: autoincrementColumn,
};

function resolveColumn(col: Column, primaryKey: boolean, serial: boolean): ResolvedColumn {
  return {
    column: col,
    primaryKey,
    nullable: col.nullable ?? !(primaryKey || col.identity !== undefined),
    serial: serial || (col.sequenceName !== undefined && col.identity === undefined),
  };
}

/**
 * Resolves a `createTable` op (PostgreSQL 15 docs, SQL Commands: CREATE TABLE) with `../resolve.ts`.
 * @throws UserError for duplicate columns, constraints on unknown columns, two primary keys, and the
 *   column option combinations PostgreSQL refuses.
 */
export function resolveTable(op: CreateTableOp, convention: NamingConvention | undefined, where: string): ResolvedTable {
  const t = resolveCreateTable(op, convention, RULES, where);
  const pk = new Set(t.primaryKey);
  const columns = t.columns.map((c) => resolveColumn(c, pk.has(c.name), c === t.autoincrement));
  return { table: op.table, schema: op.schema, columns, constraints: t.constraints };
}

/**
 * Resolves an `addColumn` op (PostgreSQL 15 docs, SQL Commands: ALTER TABLE, ADD COLUMN): the column as it
 * would be alone in a table (a lone integer primary key is SERIAL, as SQLAlchemy renders it), then its
 * primary key, unique and foreign key as separate constraints.
 */
export function resolveAddColumn(op: AddColumnOp, convention: NamingConvention | undefined, where: string): ResolvedAddColumn {
  const r = resolveAddColumnOp(op, convention, RULES, true, where);
  return { column: resolveColumn(r.column, r.primaryKey, r.autoincrement), constraints: r.constraints };
}

/**
 * The enum types a list of columns uses, each once (by schema and name), in order of first use: those
 * that need a `CREATE TYPE ... AS ENUM` before the op (PostgreSQL 15 docs, 8.7 "Enumerated Types").
 * @throws UserError when one name is used with two different value lists.
 */
export function enumsUsed(columns: readonly Column[], where: string): EnumType[] {
  const seen = new Map<string, EnumType>();
  for (const c of columns) {
    for (const e of enumsOf(c.type)) {
      const key = `${e.schema ?? ''}.${e.name}`;
      const prior = seen.get(key);
      if (!prior) seen.set(key, e);
      else if (prior.values.join('\u0000') !== e.values.join('\u0000')) {
        throw new UserError(`${where}: enum type "${e.name}" is used with two different value lists`);
      }
    }
  }
  return [...seen.values()];
}
