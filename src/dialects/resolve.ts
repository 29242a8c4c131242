/**
 * The dialect-independent part of resolving a `createTable` or `addColumn` op (op semantics, spec
 * "Tables" and "Constraints"): which columns there are, which of them form the primary key (a
 * `primaryKey(...)` item, else the columns flagged `primaryKey: true`), and the table constraints in
 * SQLAlchemy's order — the primary key, then the `unique(...)`, `foreignKey(...)` and `check(...)` items
 * in the order given, then per column its `unique: true` and `references` (SQLAlchemy's `Table`
 * collects column-level constraints after the table-level ones) — each named by the naming convention
 * where the op leaves it unnamed (`naming.ts`).
 *
 * Everything a dialect refuses or decides on its own comes in through {@link ResolveRules}: its column
 * checks, its checks of unique and foreign-key options, its autoincrement column (SQLAlchemy's
 * `PrimaryKeyConstraint._autoincrement_column`, which each dialect renders differently), its longest
 * identifier, and PostgreSQL's zero-column table. The dialects' `table.ts` modules shape the result into
 * what their renderer and schema model use. Errors are UserErrors whose message starts with `where`
 * (the op, as `describeOp` names it).
 */
import { UserError } from '../errors.js';
import type {
  AddColumnOp,
  Column,
  CreateTableOp,
  ForeignKeyConstraint,
  Initially,
  References,
  TypeSpec,
  UniqueConstraint,
} from '../ops/types.js';
import type { ConstraintKind, ModelConstraint } from '../state/dialect.js';
import { conventionalName, type ConventionKey } from './naming.js';
import type { NamingConvention } from './types.js';

/** The kinds of table constraint (the schema model's, `src/state/dialect.ts`). */
export type { ConstraintKind };

/**
 * A table constraint with everything resolved except quoting and the name the database chooses: the
 * schema model's {@link ModelConstraint} before naming (`name` undefined leaves it to the database), with
 * a check's condition as written, trimmed, and where it came from. Only the options the op gives are
 * present (no key holds `undefined`, except `name`).
 */
export type Constraint = Omit<ModelConstraint, 'name' | 'defaultName' | 'condition'> & {
  readonly name: string | undefined;
  readonly condition?: string;
  /** `table`: from a `primaryKey()`/`unique()`/`foreignKey()`/`check()` item; `column`: from a column's options. */
  readonly origin: 'table' | 'column';
};

/** True for `integer`, `bigInteger`, `smallInteger`: the types every dialect auto-increments (SERIAL, AUTO_INCREMENT, INTEGER PRIMARY KEY). */
export function isIntegerType(type: TypeSpec): boolean {
  return type.kind === 'integer' || type.kind === 'bigInteger' || type.kind === 'smallInteger';
}

/** The deferrable options of a unique or foreign key (`deferrable`, `initially`). */
export interface DeferrableOptions {
  readonly deferrable?: boolean;
  readonly initially?: Initially;
}

/** What a dialect decides for itself; every check throws a UserError whose message starts with its `where`. */
export interface ResolveRules {
  /**
   * The longest identifier a convention-made name may have (PostgreSQL 63 bytes, MySQL 64 characters,
   * SQLite SQLAlchemy's default 9999); a longer one is cut as SQLAlchemy cuts it (`naming.ts`).
   */
  readonly maxIdentifierLength: number;
  /**
   * True to accept a `createTable` op with no items at all (PostgreSQL's `CREATE TABLE t ()`, "a table of
   * no columns", which a derived downgrade writes for a table whose columns were all dropped). Default
   * false: "a table needs at least one column".
   */
  readonly allowNoItems?: boolean;
  /**
   * True to list the key's columns in the error for a column flagged `primaryKey: true` outside the
   * `primaryKey(...)` item (`primaryKey(['a', 'b'])`); false writes `primaryKey([...])` (MySQL's message).
   */
  readonly listPrimaryKeyColumns: boolean;
  /** Checked first, before anything else of the op (SQLite: no schemas). */
  checkOp?(op: CreateTableOp | AddColumnOp, where: string): void;
  /** The column option combinations the dialect cannot take. `primaryKey`: the column is in the primary key. */
  checkColumn(col: Column, primaryKey: boolean, where: string): void;
  /** A `unique(...)` item's options (`where` ends in `: unique(...)`). */
  checkUnique(item: UniqueConstraint, where: string): void;
  /** A `foreignKey(...)` item's options (`where` ends in `: foreignKey(...)`). */
  checkForeignKey(item: ForeignKeyConstraint, where: string): void;
  /** A column's `references` options (`where` ends in `: column "c" references`). */
  checkReferences(references: References, where: string): void;
  /**
   * The primary key's column the dialect auto-increments (SQLAlchemy's `_autoincrement_column`), or
   * undefined; may throw for what the dialect refuses (two `autoincrement: true` columns). Called after
   * every column passed {@link checkColumn}. `hasForeignKey` tells whether a column is in a foreign key.
   */
  autoincrement(primaryKey: readonly Column[], hasForeignKey: (column: string) => boolean, where: string): Column | undefined;
}

/** A `createTable` op, resolved. */
export interface ResolvedTableCore {
  /** The column items, in order. */
  readonly columns: readonly Column[];
  /** The primary key's column names, in key order (empty: no primary key). */
  readonly primaryKey: readonly string[];
  /** The column {@link ResolveRules.autoincrement} chose. */
  readonly autoincrement: Column | undefined;
  /** Primary key first, then table items in the order given, then per column its unique and foreign key. */
  readonly constraints: readonly Constraint[];
}

/** An `addColumn` op, resolved. */
export interface ResolvedAddColumnCore {
  readonly column: Column;
  /** `column.primaryKey === true`. */
  readonly primaryKey: boolean;
  /** True when {@link ResolveRules.autoincrement} chose the column (as the lone column of a key). */
  readonly autoincrement: boolean;
  /** Its primary key (with `primaryKeyConstraint`), unique and foreign key, in that order. */
  readonly constraints: readonly Constraint[];
}

const KEY_OF: Record<ConstraintKind, ConventionKey> = { primaryKey: 'pk', unique: 'uq', foreignKey: 'fk', check: 'ck' };

/**
 * Trimmed text of raw SQL (a check, a default, an index expression).
 * @throws UserError `<where>: <what> is empty SQL` for SQL that is empty or only white space.
 */
export function sqlText(text: string, where: string, what: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new UserError(`${where}: ${what} is empty SQL`);
  return trimmed;
}

/**
 * The common deferrable check (PostgreSQL 15 docs, SQL Commands: CREATE TABLE, "INITIALLY DEFERRED"; SQLite
 * docs, foreignkeys.html section 4.2): `initially: 'DEFERRED'` on a constraint declared not deferrable.
 * @throws UserError naming the contradiction.
 */
export function checkDeferrable(c: DeferrableOptions, where: string): void {
  if (c.deferrable === false && c.initially === 'DEFERRED') {
    throw new UserError(`${where}: initially: 'DEFERRED' needs a deferrable constraint (deferrable: false contradicts it)`);
  }
}

/**
 * The name of a constraint under the naming convention (`naming.ts`, SQLAlchemy's `conv`): the given
 * name, else the convention's, cut at `maxIdentifierLength`; undefined when neither names it.
 */
export function nameConstraint(
  convention: NamingConvention | undefined,
  c: Pick<Constraint, 'kind' | 'columns' | 'refTable' | 'refColumns'> & { readonly name?: string | undefined },
  table: string,
  schema: string | undefined,
  maxIdentifierLength: number,
  where: string,
): string | undefined {
  return conventionalName(
    convention,
    { key: KEY_OF[c.kind], table, schema, columns: c.columns, name: c.name, referredTable: c.refTable, referredColumns: c.refColumns },
    { maxIdentifierLength, where },
  );
}

/** The given options only, as a {@link Constraint}'s optional keys. */
function given<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** A column's own constraints: its primary key (with `primaryKeyHere`), `unique: true`, `references`. */
function columnConstraints(col: Column, primaryKeyHere: boolean): Constraint[] {
  const out: Constraint[] = [];
  if (primaryKeyHere) out.push({ kind: 'primaryKey', name: undefined, columns: [col.name], origin: 'column' });
  if (col.unique) out.push({ kind: 'unique', name: undefined, columns: [col.name], origin: 'column' });
  const r = col.references;
  if (r) {
    out.push({
      kind: 'foreignKey',
      name: r.name,
      columns: [col.name],
      refTable: r.table,
      ...given({ refSchema: r.schema }),
      refColumns: [r.column],
      ...given({ onDelete: r.onDelete, onUpdate: r.onUpdate, deferrable: r.deferrable, initially: r.initially }),
      origin: 'column',
    });
  }
  return out;
}

/**
 * Resolves a `createTable` op under a dialect's rules. Checks, in this order: `rules.checkOp`; at least
 * one column (unless `rules.allowNoItems` and there are no items); no column given twice; at most one
 * `primaryKey(...)`, naming only the table's columns and every column flagged `primaryKey: true`;
 * `rules.checkColumn` per column; `rules.autoincrement`; then per item the columns it names and
 * `rules.checkUnique` / `rules.checkForeignKey`, a check's condition not empty; then per column
 * `rules.checkReferences`.
 * @throws UserError (`<where>: ...`) for the first of these that fails.
 */
export function resolveCreateTable(op: CreateTableOp, convention: NamingConvention | undefined, rules: ResolveRules, where: string): ResolvedTableCore {
  rules.checkOp?.(op, where);
  const columns = op.items.filter((i): i is Column => i.kind === 'column');
  if (columns.length === 0 && !(rules.allowNoItems === true && op.items.length === 0)) throw new UserError(`${where}: a table needs at least one column`);
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
    const flagged = columns.find((c) => c.primaryKey && !pkItem.columns.includes(c.name));
    if (flagged) {
      const list = rules.listPrimaryKeyColumns ? pkItem.columns.map((c) => `'${c}'`).join(', ') : '...';
      throw new UserError(`${where}: column "${flagged.name}" has primaryKey: true but is not in primaryKey([${list}])`);
    }
    pkNames = [...pkItem.columns];
  } else {
    pkNames = columns.filter((c) => c.primaryKey).map((c) => c.name);
  }
  const pkSet = new Set(pkNames);

  const tableFks = op.items.filter((i) => i.kind === 'foreignKey');
  const hasForeignKey = (name: string): boolean =>
    columns.some((c) => c.name === name && c.references !== undefined) || tableFks.some((f) => f.columns.includes(name));
  for (const c of columns) rules.checkColumn(c, pkSet.has(c.name), where);
  const autoincrement = rules.autoincrement(
    pkNames.map((n) => columns.find((c) => c.name === n)!),
    hasForeignKey,
    where,
  );

  const raw: Constraint[] = [];
  if (pkNames.length > 0) raw.push({ kind: 'primaryKey', name: pkItem?.name, columns: pkNames, origin: pkItem ? 'table' : 'column' });
  for (const item of op.items) {
    switch (item.kind) {
      case 'unique':
        known(item.columns, 'unique(...)');
        rules.checkUnique(item, `${where}: unique(...)`);
        raw.push({ kind: 'unique', name: item.name, columns: item.columns, ...given({ deferrable: item.deferrable, initially: item.initially }), origin: 'table' });
        break;
      case 'foreignKey':
        known(item.columns, 'foreignKey(...)');
        rules.checkForeignKey(item, `${where}: foreignKey(...)`);
        raw.push({
          kind: 'foreignKey',
          name: item.name,
          columns: item.columns,
          refTable: item.refTable,
          ...given({ refSchema: item.refSchema }),
          refColumns: item.refColumns,
          ...given({ onDelete: item.onDelete, onUpdate: item.onUpdate, deferrable: item.deferrable, initially: item.initially }),
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
    if (c.references) rules.checkReferences(c.references, `${where}: column "${c.name}" references`);
    raw.push(...columnConstraints(c, false));
  }
  const constraints = raw.map((c) => ({ ...c, name: nameConstraint(convention, c, op.table, op.schema, rules.maxIdentifierLength, where) }));
  return { columns, primaryKey: pkNames, autoincrement, constraints };
}

/**
 * Resolves an `addColumn` op under a dialect's rules: the column as it would be alone in a table (a lone
 * primary key column may be the autoincrement column), then its constraints. Checks, in this order:
 * `rules.checkOp`, `rules.checkColumn`, `rules.checkReferences`, `rules.autoincrement`.
 * @param primaryKeyConstraint true to list the column's primary key among the constraints (PostgreSQL's
 *   `ADD CONSTRAINT ... PRIMARY KEY`, SQLite's rebuilt table); false when the dialect writes it in the
 *   column definition (MySQL).
 * @throws UserError (`<where>: ...`) for the first check that fails.
 */
export function resolveAddColumnOp(
  op: AddColumnOp,
  convention: NamingConvention | undefined,
  rules: ResolveRules,
  primaryKeyConstraint: boolean,
  where: string,
): ResolvedAddColumnCore {
  rules.checkOp?.(op, where);
  const col = op.column;
  const primaryKey = col.primaryKey === true;
  rules.checkColumn(col, primaryKey, where);
  if (col.references) rules.checkReferences(col.references, `${where}: column "${col.name}" references`);
  const autoincrement = primaryKey && rules.autoincrement([col], () => col.references !== undefined, where) === col;
  const constraints = columnConstraints(col, primaryKey && primaryKeyConstraint).map((c) => ({
    ...c,
    name: nameConstraint(convention, c, op.table, op.schema, rules.maxIdentifierLength, where),
  }));
  return { column: col, primaryKey, autoincrement, constraints };
}
