/**
 * What the schema model needs to know about a dialect: the facts the database itself decides when an op
 * runs, which the model cannot read off the op — the names it gives unnamed constraints and the sequences
 * of auto-incrementing columns, the column defaults it resolves, its default schema, and how to read raw
 * SQL. One {@link DialectModel} per dialect; PostgreSQL's is in `./postgresql.ts` (it reuses the
 * predictions of `src/dialects/postgresql/defaultNames.ts`). SQLite or MySQL plug theirs in with
 * {@link registerDialectModel}.
 */
import { UserError } from '../errors.js';
import type { NamingConvention } from '../dialects/types.js';
import type { AddColumnOp, Column, CreateTableOp, ExecuteOp, Initially, ReferentialAction, Sql } from '../ops/types.js';

/** The kinds of table constraint the model records. */
export type ConstraintKind = 'primaryKey' | 'unique' | 'check' | 'foreignKey';

/** The names already taken in one schema (PostgreSQL: a namespace). */
export interface ModelNamespace {
  /** True when a table, index, sequence (or constraint index) of that name exists in the schema. */
  relationExists(name: string): boolean;
  /** True when a constraint of that name exists in the schema, on any table. */
  constraintExists(name: string): boolean;
}

/** A constraint as the database records it, with the name it gets. */
export interface ModelConstraint {
  readonly kind: ConstraintKind;
  /** The name in the database: given, from the naming convention, or chosen by the database. */
  readonly name: string;
  /** True when the database chose the name (neither the op nor a naming convention gave one). */
  readonly defaultName: boolean;
  /** Local columns, in key order ([] for a check). */
  readonly columns: readonly string[];
  /** A check's condition. */
  readonly condition?: Sql;
  readonly refTable?: string;
  readonly refSchema?: string;
  readonly refColumns?: readonly string[];
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly deferrable?: boolean;
  readonly initially?: Initially;
}

/** A column as the database records it. */
export interface ModelColumn {
  /**
   * The definition: type, explicit `nullable`, `serverDefault`, `identity`, `computed`, `comment`,
   * `collation`. Without `primaryKey`, `unique`, `references` and `autoincrement`: those become
   * constraints and sequences.
   */
  readonly column: Column;
  /** The sequence the database made for the column (SERIAL or identity), if any. */
  readonly sequence?: { readonly name: string; readonly kind: 'serial' | 'identity' };
}

/** What a `createTable` or `addColumn` op makes. */
export interface ModelTableShape {
  readonly columns: readonly ModelColumn[];
  /** In the order the database makes them. */
  readonly constraints: readonly ModelConstraint[];
}

/** A dialect's part of the schema model. */
export interface DialectModel {
  /** The dialect (`postgresql`). */
  readonly dialect: string;
  /** The schema an op without `schema` means (PostgreSQL: `public`, first on the default search_path). */
  readonly defaultSchema: string;
  /** The longest identifier, for naming conventions (PostgreSQL: 63 bytes). */
  readonly maxIdentifierLength: number;
  /** True when a primary key makes its columns NOT NULL (PostgreSQL 15 docs, ALTER TABLE: ADD PRIMARY KEY). */
  readonly primaryKeySetsNotNull: boolean;
  /**
   * The columns, constraints and sequences of a `createTable` op.
   * @param namespace the schema the table goes into, as it is before the op.
   * @throws UserError as the dialect's compile would, for a table it refuses.
   */
  createTable(op: CreateTableOp, namespace: ModelNamespace, convention: NamingConvention | undefined): ModelTableShape;
  /** The column, constraints and sequence of an `addColumn` op. @throws UserError as for createTable. */
  addColumn(op: AddColumnOp, namespace: ModelNamespace, convention: NamingConvention | undefined): ModelTableShape;
  /** The name the database gives the sequence of an auto-incrementing column of `table`. */
  sequenceName(table: string, column: string, namespace: ModelNamespace): string;
  /** The text this dialect runs for an `execute` op, or undefined when it has none for this dialect. */
  executeText(op: ExecuteOp): string | undefined;
  /**
   * An identifier as this dialect writes it in SQL, for raw SQL the model rewrites when a column it names
   * is renamed (default: always in double quotes, SQL standard).
   */
  quoteIdentifier?(name: string): string;
  /** Unquoted key words that never name a column in raw SQL (default: none). */
  readonly reservedWords?: ReadonlySet<string>;
  /**
   * The name a constraint of a table gets when the table is renamed, or undefined when it keeps its name
   * (MySQL/MariaDB rename foreign keys named `<old>_ibfk_<n>` to `<new>_ibfk_<n>`). None: names stay.
   */
  constraintNameAfterRename?(oldTable: string, newTable: string, c: ModelConstraint): string | undefined;
}

/** A column definition without the options that become constraints and sequences, `nullable` explicit. */
export function definitionOf(col: Column, nullable: boolean): Column {
  const out: { -readonly [K in keyof Column]?: Column[K] } = { kind: 'column', name: col.name, type: col.type, nullable };
  if (col.serverDefault !== undefined) out.serverDefault = col.serverDefault;
  if (col.comment !== undefined) out.comment = col.comment;
  if (col.identity !== undefined) out.identity = col.identity;
  if (col.computed !== undefined) out.computed = col.computed;
  if (col.collation !== undefined) out.collation = col.collation;
  return Object.freeze(out) as Column;
}

const MODELS = new Map<string, DialectModel>();

/** Makes a dialect's model available to {@link dialectModel} (called once per dialect module). */
export function registerDialectModel(model: DialectModel): void {
  MODELS.set(model.dialect, model);
}

/**
 * The model part of the dialect `name`.
 * @throws UserError when no model is registered for it (the dialect is not supported yet).
 */
export function dialectModel(name: string): DialectModel {
  const m = MODELS.get(name);
  if (!m) throw new UserError(`dialect '${name}' has no schema model yet — use --dialect postgresql`);
  return m;
}
