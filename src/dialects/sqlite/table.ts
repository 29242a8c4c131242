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
import type { AddColumnOp, Column, CreateTableOp, Initially } from '../../ops/types.js';
import type { ModelConstraint } from '../../state/dialect.js';
import { conventionalName } from '../naming.js';
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

const KEYS = { primaryKey: 'pk', unique: 'uq', foreignKey: 'fk', check: 'ck' } as const;

function name(convention: NamingConvention | undefined, c: SqliteConstraint, table: string, where: string): string | undefined {
  return conventionalName(
    convention,
    { key: KEYS[c.kind], name: c.name, table, columns: c.columns, referredTable: c.refTable, referredColumns: c.refColumns },
    { maxIdentifierLength: MAX_IDENTIFIER_LENGTH, where },
  );
}

function noDeferrableUnique(c: { deferrable?: boolean; initially?: Initially }, where: string): void {
  if (c.deferrable !== undefined || c.initially !== undefined) {
    throw new UserError(`${where}: SQLite unique constraints cannot be deferrable (only foreign keys can); drop deferrable/initially`);
  }
}

function checkDeferrable(c: { deferrable?: boolean; initially?: Initially }, where: string): void {
  if (c.deferrable === false && c.initially === 'DEFERRED') throw new UserError(`${where}: initially: 'DEFERRED' needs a deferrable constraint (deferrable: false contradicts it)`);
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

function columnConstraints(col: Column): SqliteConstraint[] {
  const out: SqliteConstraint[] = [];
  if (col.unique) out.push({ kind: 'unique', name: undefined, columns: [col.name] });
  const r = col.references;
  if (r) {
    out.push({
      kind: 'foreignKey',
      name: r.name,
      columns: [col.name],
      refTable: r.table,
      refColumns: [r.column],
      ...(r.onDelete ? { onDelete: r.onDelete } : {}),
      ...(r.onUpdate ? { onUpdate: r.onUpdate } : {}),
      ...(r.deferrable !== undefined ? { deferrable: r.deferrable } : {}),
      ...(r.initially ? { initially: r.initially } : {}),
    });
  }
  return out;
}

/**
 * Resolves a `createTable` op (SQLite docs, lang_createtable.html).
 * @throws UserError for a schema, duplicate columns, constraints on unknown columns, two primary keys,
 *   and what SQLite lacks (identity, deferrable uniques, foreign keys into another schema).
 */
export function resolveCreateTable(op: CreateTableOp, convention: NamingConvention | undefined, where: string): SqliteShape {
  if (op.schema !== undefined) throw new UserError(`${where}: SQLite has no schemas (schema "${op.schema}")`);
  const columns = op.items.filter((i): i is Column => i.kind === 'column');
  if (columns.length === 0) throw new UserError(`${where}: a table needs at least one column`);
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
    if (flagged) throw new UserError(`${where}: column "${flagged.name}" has primaryKey: true but is not in primaryKey([${pkItem.columns.map((c) => `'${c}'`).join(', ')}])`);
    pkNames = [...pkItem.columns];
  } else {
    pkNames = columns.filter((c) => c.primaryKey).map((c) => c.name);
  }
  for (const c of columns) checkColumn(c, pkNames.includes(c.name), where);
  if (pkNames.length > 1) {
    const auto = columns.find((c) => pkNames.includes(c.name) && c.autoincrement === true);
    if (auto) throw new UserError(`${where}: column "${auto.name}": SQLite auto-increments only a single-column INTEGER primary key, not a column of a composite key`);
  }
  const raw: SqliteConstraint[] = [];
  if (pkNames.length > 0) raw.push({ kind: 'primaryKey', name: pkItem?.name, columns: pkNames });
  for (const item of op.items) {
    switch (item.kind) {
      case 'unique':
        known(item.columns, 'unique(...)');
        noDeferrableUnique(item, `${where}: unique(...)`);
        raw.push({ kind: 'unique', name: item.name, columns: item.columns });
        break;
      case 'foreignKey':
        known(item.columns, 'foreignKey(...)');
        checkDeferrable(item, `${where}: foreignKey(...)`);
        if (item.refSchema !== undefined) throw new UserError(`${where}: foreignKey(...): SQLite has no schemas (refSchema "${item.refSchema}")`);
        raw.push({
          kind: 'foreignKey',
          name: item.name,
          columns: item.columns,
          refTable: item.refTable,
          refColumns: item.refColumns,
          ...(item.onDelete ? { onDelete: item.onDelete } : {}),
          ...(item.onUpdate ? { onUpdate: item.onUpdate } : {}),
          ...(item.deferrable !== undefined ? { deferrable: item.deferrable } : {}),
          ...(item.initially ? { initially: item.initially } : {}),
        });
        break;
      case 'check': {
        const text = item.condition.text.trim();
        if (text.length === 0) throw new UserError(`${where}: a check condition is empty SQL`);
        raw.push({ kind: 'check', name: item.name, columns: [], condition: sqlBuilder(text) });
        break;
      }
      default:
        break;
    }
  }
  for (const c of columns) {
    if (c.references) checkDeferrable(c.references, `${where}: column "${c.name}" references`);
    raw.push(...columnConstraints(c));
  }
  return {
    columns: columns.map((c) => definition(c, pkNames.includes(c.name))),
    constraints: raw.map((c) => ({ ...c, name: name(convention, c, op.table, where) })),
  };
}

/**
 * Resolves an `addColumn` op: the column, then its primary key, unique and foreign key.
 * @throws UserError as {@link resolveCreateTable}.
 */
export function resolveAddColumn(op: AddColumnOp, convention: NamingConvention | undefined, where: string): SqliteShape {
  if (op.schema !== undefined) throw new UserError(`${where}: SQLite has no schemas (schema "${op.schema}")`);
  const col = op.column;
  const pk = col.primaryKey === true;
  checkColumn(col, pk, where);
  if (col.references) checkDeferrable(col.references, `${where}: column "${col.name}" references`);
  const raw: SqliteConstraint[] = [...(pk ? [{ kind: 'primaryKey' as const, name: undefined, columns: [col.name] }] : []), ...columnConstraints(col)];
  return { columns: [definition(col, pk)], constraints: raw.map((c) => ({ ...c, name: name(convention, c, op.table, where) })) };
}
