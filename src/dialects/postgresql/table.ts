/**
 * Resolution of a table definition for PostgreSQL: column defaults (`nullable`, `autoincrement` → SERIAL),
 * the table constraints in SQLAlchemy's order, and their names under a naming convention. Shared by the
 * renderer (`compile.ts`) and by the prediction of PostgreSQL's own constraint names (`defaultNames.ts`),
 * so that both see the same constraints.
 */
import { UserError } from '../../errors.js';
import type {
  AddColumnOp,
  Column,
  CreateTableOp,
  EnumType,
  Initially,
  ReferentialAction,
} from '../../ops/types.js';
import { conventionalName, type ConventionKey } from '../naming.js';
import type { NamingConvention } from '../types.js';
import { MAX_IDENTIFIER_BYTES } from './quoting.js';
import { enumsOf, isCollatable, isIntegerType } from './types.js';

/** The kinds of table constraint. */
export type ConstraintKind = 'primaryKey' | 'unique' | 'foreignKey' | 'check';

/** A table constraint with everything resolved except quoting. */
export interface ResolvedConstraint {
  readonly kind: ConstraintKind;
  /** The given or convention-made name; undefined leaves it to PostgreSQL (see `defaultNames.ts`). */
  readonly name: string | undefined;
  /** Local columns (empty for a check). */
  readonly columns: readonly string[];
  /** A check's condition, as written (trimmed). */
  readonly condition?: string;
  readonly refTable?: string;
  readonly refSchema?: string;
  readonly refColumns?: readonly string[];
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly deferrable?: boolean;
  readonly initially?: Initially;
  /** `table`: from a `primaryKey()`/`unique()`/`foreignKey()`/`check()` item; `column`: from a column's options. */
  readonly origin: 'table' | 'column';
}

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

/** A constraint before naming. */
export type UnnamedConstraint = Omit<ResolvedConstraint, 'name'> & { readonly name?: string };

const KEY_OF: Record<ConstraintKind, ConventionKey> = { primaryKey: 'pk', unique: 'uq', foreignKey: 'fk', check: 'ck' };

/** Trimmed text of raw SQL (a check, a default, an index expression); empty SQL is an error. */
export function sqlText(text: string, where: string, what: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new UserError(`${where}: ${what} is empty SQL`);
  return trimmed;
}

/**
 * Names a constraint under the naming convention (`../naming.ts`), a convention-made name capped at
 * PostgreSQL's 63 (PostgreSQL 15 docs, 4.1.1, NAMEDATALEN) as SQLAlchemy does.
 */
export function nameConstraint(
  convention: NamingConvention | undefined,
  c: Omit<UnnamedConstraint, 'origin'>,
  table: string,
  schema: string | undefined,
  where: string,
): string | undefined {
  return conventionalName(
    convention,
    {
      key: KEY_OF[c.kind],
      table,
      schema,
      columns: c.columns,
      name: c.name,
      referredTable: c.refTable,
      referredColumns: c.refColumns,
    },
    { maxIdentifierLength: MAX_IDENTIFIER_BYTES, where },
  );
}

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

function columnConstraints(col: Column, primaryKeyHere: boolean): UnnamedConstraint[] {
  const out: UnnamedConstraint[] = [];
  if (primaryKeyHere) out.push({ kind: 'primaryKey', columns: [col.name], origin: 'column' });
  if (col.unique) out.push({ kind: 'unique', columns: [col.name], origin: 'column' });
  if (col.references) {
    const r = col.references;
    out.push({
      kind: 'foreignKey',
      name: r.name,
      columns: [col.name],
      refTable: r.table,
      refSchema: r.schema,
      refColumns: [r.column],
      onDelete: r.onDelete,
      onUpdate: r.onUpdate,
      deferrable: r.deferrable,
      initially: r.initially,
      origin: 'column',
    });
  }
  return out;
}

function checkDeferrable(c: { deferrable?: boolean; initially?: Initially }, where: string): void {
  if (c.deferrable === false && c.initially === 'DEFERRED') {
    throw new UserError(`${where}: initially: 'DEFERRED' needs a deferrable constraint (deferrable: false contradicts it)`);
  }
}

/**
 * Resolves a `createTable` op (PostgreSQL 15 docs, SQL Commands: CREATE TABLE).
 * @throws UserError for duplicate columns, constraints on unknown columns, two primary keys, and the
 *   column option combinations PostgreSQL refuses.
 */
export function resolveTable(op: CreateTableOp, convention: NamingConvention | undefined, where: string): ResolvedTable {
  const columns = op.items.filter((i): i is Column => i.kind === 'column');
  // No items at all is `CREATE TABLE t ()`, which PostgreSQL allows ("a table of no columns"): a derived
  // downgrade re-creates so a table whose columns were all dropped (the builder refuses an empty list).
  if (columns.length === 0 && op.items.length > 0) throw new UserError(`${where}: a table needs at least one column`);
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name)) throw new UserError(`${where}: column "${c.name}" is given twice`);
    names.add(c.name);
  }
  const known = (cols: readonly string[], what: string): void => {
    for (const c of cols) if (!names.has(c)) throw new UserError(`${where}: ${what} names column "${c}", which the table does not have`);
  };

  const pkItems = op.items.filter((i) => i.kind === 'primaryKey');
  if (pkItems.length > 1) throw new UserError(`${where}: a table can have only one primaryKey(...)`);
  const pkItem = pkItems[0];
  let pkNames: string[];
  if (pkItem) {
    known(pkItem.columns, 'primaryKey(...)');
    const flagged = columns.filter((c) => c.primaryKey && !pkItem.columns.includes(c.name));
    if (flagged.length > 0) {
      throw new UserError(`${where}: column "${flagged[0]!.name}" has primaryKey: true but is not in primaryKey([${pkItem.columns.map((c) => `'${c}'`).join(', ')}])`);
    }
    pkNames = [...pkItem.columns];
  } else {
    pkNames = columns.filter((c) => c.primaryKey).map((c) => c.name);
  }
  const pkSet = new Set(pkNames);

  const tableFks = op.items.filter((i) => i.kind === 'foreignKey');
  const hasForeignKey = (name: string): boolean =>
    columns.some((c) => c.name === name && c.references !== undefined) || tableFks.some((f) => f.columns.includes(name));

  for (const c of columns) checkColumn(c, pkSet.has(c.name), where);
  const pkColumns = pkNames.map((n) => columns.find((c) => c.name === n)!);
  const serialCol = autoincrementColumn(pkColumns, hasForeignKey, where);

  const resolvedColumns: ResolvedColumn[] = columns.map((c) => {
    const primaryKey = pkSet.has(c.name);
    return {
      column: c,
      primaryKey,
      nullable: c.nullable ?? !(primaryKey || c.identity !== undefined),
      serial: c === serialCol || (c.sequenceName !== undefined && c.identity === undefined),
    };
  });

  const raw: UnnamedConstraint[] = [];
  if (pkNames.length > 0) raw.push({ kind: 'primaryKey', name: pkItem?.name, columns: pkNames, origin: pkItem ? 'table' : 'column' });
  for (const item of op.items) {
    switch (item.kind) {
      case 'unique':
        known(item.columns, 'unique(...)');
        checkDeferrable(item, `${where}: unique(...)`);
        raw.push({ kind: 'unique', name: item.name, columns: item.columns, deferrable: item.deferrable, initially: item.initially, origin: 'table' });
        break;
      case 'foreignKey':
        known(item.columns, 'foreignKey(...)');
        checkDeferrable(item, `${where}: foreignKey(...)`);
        raw.push({
          kind: 'foreignKey',
          name: item.name,
          columns: item.columns,
          refTable: item.refTable,
          refSchema: item.refSchema,
          refColumns: item.refColumns,
          onDelete: item.onDelete,
          onUpdate: item.onUpdate,
          deferrable: item.deferrable,
          initially: item.initially,
          origin: 'table',
        });
        break;
      case 'check':
        raw.push({ kind: 'check', name: item.name, columns: [], condition: sqlText(item.condition.text, where, 'a check condition'), origin: 'table' });
        break;
      default:
        break;
    }
  }
  for (const c of columns) {
    if (c.references) checkDeferrable(c.references, `${where}: column "${c.name}" references`);
    raw.push(...columnConstraints(c, false));
  }
  const constraints = raw.map((c) => ({ ...c, name: nameConstraint(convention, c, op.table, op.schema, where) }));
  return { table: op.table, schema: op.schema, columns: resolvedColumns, constraints };
}

/**
 * Resolves an `addColumn` op (PostgreSQL 15 docs, SQL Commands: ALTER TABLE, ADD COLUMN): the column as it
 * would be alone in a table (a lone integer primary key is SERIAL, as SQLAlchemy renders it), then its
 * primary key, unique and foreign key as separate constraints.
 */
export function resolveAddColumn(op: AddColumnOp, convention: NamingConvention | undefined, where: string): ResolvedAddColumn {
  const col = op.column;
  const primaryKey = col.primaryKey === true;
  checkColumn(col, primaryKey, where);
  if (col.references) checkDeferrable(col.references, `${where}: column "${col.name}" references`);
  const serialCol = primaryKey ? autoincrementColumn([col], () => col.references !== undefined, where) : undefined;
  const column: ResolvedColumn = {
    column: col,
    primaryKey,
    nullable: col.nullable ?? !(primaryKey || col.identity !== undefined),
    serial: serialCol === col || (col.sequenceName !== undefined && col.identity === undefined),
  };
  const constraints = columnConstraints(col, primaryKey).map((c) => ({
    ...c,
    name: nameConstraint(convention, c, op.table, op.schema, where),
  }));
  return { column, constraints };
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
