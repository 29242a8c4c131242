/**
 * The schema state model: what exists in the database at a point of the history, known offline by
 * replaying ops from base along the planned path (Alembic makes users restate it with `existing_type=`
 * and `copy_from=`; sqlscribe knows the whole history, so it knows the schema at every point).
 *
 * What it tracks, per schema (PostgreSQL: namespace): tables with their columns (full definitions:
 * type, nullability, default, identity, computed, comment, collation), primary keys, unique, check and
 * foreign-key constraints with the names the database records (given; from the naming convention; or
 * the name the database chooses, predicted by the dialect's {@link DialectModel}), indexes, the
 * sequences of SERIAL and identity columns, enum types (with how many columns use them), and table
 * and column comments. It also keeps the names taken in each schema, so that the names the database
 * will choose can be predicted.
 *
 * The model is mutable and every lookup is a map access: {@link SchemaState.apply} moves it past one op
 * in time proportional to what the op touches, never copying the model. For `check`, which explores
 * every path of the graph, {@link SchemaState.checkpoint} / {@link SchemaState.rollback} undo changes
 * through a journal instead of copying.
 *
 * `apply` is lenient: an op on something that does not exist changes nothing, and an op that creates
 * something that exists replaces it. Whether an op is valid is `./validate.ts`'s question, asked before
 * `apply` by the compiler.
 */
import { UserError, type ErrorSite } from '../errors.js';
import type { NamingConvention } from '../dialects/types.js';
import { conventionalName, type ConventionKey } from '../dialects/naming.js';
import type { Column, EnumType, Op, Sql, TypeSpec } from '../ops/types.js';
import { definitionOf, dialectModel, type ConstraintKind, type DialectModel, type ModelConstraint, type ModelNamespace, type ModelTableShape } from './dialect.js';
import './postgresql.js'; // registers PostgreSQL's DialectModel, the default
import { mayChangeSchema } from './rawsql.js';
import { columnReferences, renameColumnIn, type ColumnScanOptions } from '../sql/lexer.js';

export type { ConstraintKind } from './dialect.js';

/**
 * A constraint of a table, with the name the database records: a {@link ModelConstraint} (kind, name,
 * columns — updated when a column is renamed —, check condition, foreign-key target — updated when the
 * referenced table or column is renamed — and options), plus what the model learns later.
 */
export interface ConstraintState extends ModelConstraint {
  /**
   * The name an op must be given to re-create it, when that differs from `name`: under a naming
   * convention whose template contains `%(constraint_name)s`, the name the migration gave.
   */
  readonly givenName?: string;
  /** Added `NOT VALID` (checks and foreign keys). */
  readonly notValid?: boolean;
}

/** An index made by `createIndex` (indexes of primary keys and unique constraints are their constraints'). */
export interface IndexState {
  /** The name in the database. */
  readonly name: string;
  /** As {@link ConstraintState.givenName}. */
  readonly givenName?: string;
  /** The schema of its table, as the op wrote it. */
  readonly schema?: string;
  /** Its table's current name. */
  readonly table: string;
  /**
   * Column names and `sql` expressions; names, also inside the expressions, are updated when a column
   * is renamed (as PostgreSQL's stored expressions follow the column).
   */
  readonly columns: readonly (string | Sql)[];
  readonly unique: boolean;
  /** Updated, like the expressions, when a column it names is renamed. */
  readonly where?: Sql;
  readonly using?: string;
  readonly include?: readonly string[];
}

/** A sequence the database made for a column. */
export interface SequenceState {
  readonly name: string;
  readonly kind: 'serial' | 'identity';
}

/**
 * A table as the model knows it.
 *
 * `columns` holds each column's definition, in table order: `type`, `nullable` (always explicit),
 * `serverDefault`, `identity`, `computed`, `comment`, `collation`. A column's `primaryKey`, `unique` and
 * `references` options are not kept on it: they are constraints, in `constraints`; its
 * `autoincrement` is a sequence, in `sequences`.
 */
export interface TableState {
  readonly schema?: string;
  name: string;
  readonly columns: Map<string, Column>;
  comment?: string;
  /** By name, in the order they were made. */
  readonly constraints: Map<string, ConstraintState>;
  /** Indexes made by `createIndex`, by name. */
  readonly indexes: Map<string, IndexState>;
  /** Column name → the sequence it owns (SERIAL, identity). */
  readonly sequences: Map<string, SequenceState>;
}

/** An enum type in the model: its definition, how it came to exist, and how many columns use it. */
export interface EnumState {
  readonly type: EnumType;
  /** Created on first use by a column (not by `createEnum`): dropped again after its last use. */
  readonly implicit: boolean;
  uses: number;
}

/** A schema (namespace) and the names taken in it. */
export interface SchemaInfo {
  readonly name: string;
  /** The dialect's default schema, which exists without being created (PostgreSQL: `public`). */
  readonly builtin: boolean;
  /**
   * Every relation name → what it is, for messages: `table "t"`, `index "ix"`, `sequence "s"`, or
   * `constraint "c"` for the index of a primary key or unique constraint.
   */
  readonly relations: Map<string, string>;
  /** Constraint names in the schema, each with how many tables use it. */
  readonly constraintNames: Map<string, number>;
}

/** Where the model stopped being exact: the op whose raw SQL it could not follow. */
export interface StaleMark {
  readonly site: ErrorSite;
}

/** Options of a {@link SchemaState}. */
export interface SchemaStateOptions {
  /** The dialect whose naming and defaults the model follows: a name, or a model (default: postgresql). */
  readonly dialect?: string | DialectModel;
  /** The config's `namingConvention`, as the compiler applies it. */
  readonly namingConvention?: NamingConvention;
}

/** `schema.name`, or `name` for the default schema. */
export function qualifiedKey(name: string, schema?: string): string {
  return schema ? `${schema}.${name}` : name;
}

/** The enum types a type uses (an array of enums counts). */
export function enumsOfType(type: TypeSpec): EnumType[] {
  if (type.kind === 'enum') return [type];
  if (type.kind === 'array') return enumsOfType(type.item);
  return [];
}

/** The enum types an op uses in column definitions, each once, in order of appearance. */
export function enumsUsedBy(op: Op): EnumType[] {
  const types: TypeSpec[] = [];
  if (op.kind === 'createTable') for (const item of op.items) if (item.kind === 'column') types.push(item.type);
  if (op.kind === 'addColumn') types.push(op.column.type);
  if (op.kind === 'alterColumn' && op.type) types.push(op.type);
  const seen = new Set<string>();
  const out: EnumType[] = [];
  for (const e of types.flatMap(enumsOfType)) {
    const key = qualifiedKey(e.name, e.schema);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}

/**
 * True when the raw SQL `text` mentions `column` as a column (outside string constants, quoted or not,
 * not as a function or a qualifier, not a key word of `options`) — see `./rawsql.ts` `columnReferences`.
 */
export function mentionsColumn(text: string, column: string, options: ColumnScanOptions = {}): boolean {
  return columnReferences(text, options).some((r) => r.name === column);
}

/** The naming-convention key of a constraint kind. */
export const CONVENTION_KEY: Readonly<Record<ConstraintKind, ConventionKey>> = { primaryKey: 'pk', unique: 'uq', foreignKey: 'fk', check: 'ck' };

/** The constraint kind of `dropConstraint`'s `type`. */
export const KIND_OF_TYPE = { primary: 'primaryKey', unique: 'unique', check: 'check', foreignkey: 'foreignKey' } as const satisfies Record<string, ConstraintKind>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The mutable schema model. `apply` moves it past one op. */
export class SchemaState {
  /** The dialect part (naming, default schema, raw SQL). */
  readonly dialect: DialectModel;
  readonly namingConvention: NamingConvention | undefined;
  /** Schemas by name; the default schema is there from the start. */
  readonly schemas = new Map<string, SchemaInfo>();
  /** Tables by {@link SchemaState.keyOf}. */
  readonly tables = new Map<string, TableState>();
  /** Enum types by {@link SchemaState.keyOf}. */
  readonly enums = new Map<string, EnumState>();
  /** Indexes made by `createIndex`, by {@link SchemaState.keyOf} (index names are per schema). */
  readonly indexes = new Map<string, IndexState>();
  /** Set once raw SQL may have changed the schema in ways the model cannot follow; from then on it may be stale. */
  stale: StaleMark | undefined;

  /** Foreign keys pointing at each table (its own self-references included). */
  readonly #incoming = new Map<TableState, Set<ConstraintState>>();
  /** The table of each foreign key in {@link #incoming}. */
  readonly #owner = new Map<ConstraintState, TableState>();
  /** Undo closures, while a checkpoint is open. */
  #journal: (() => void)[] | undefined;

  constructor(options: SchemaStateOptions = {}) {
    const d = options.dialect ?? 'postgresql';
    this.dialect = typeof d === 'string' ? dialectModel(d) : d;
    this.namingConvention = options.namingConvention;
    this.schemas.set(this.dialect.defaultSchema, { name: this.dialect.defaultSchema, builtin: true, relations: new Map(), constraintNames: new Map() });
  }

  // ------------------------------------------------------------------------------------------------
  // Lookups

  /** The schema an op's `schema` means: its own, or the default one. */
  schemaName(schema: string | undefined): string {
    return schema ?? this.dialect.defaultSchema;
  }

  /** The key of a table, index or enum type: `name` in the default schema (given or not), else `schema.name`. */
  keyOf(name: string, schema?: string): string {
    return qualifiedKey(name, schema === this.dialect.defaultSchema ? undefined : schema);
  }

  /** The table `name` in `schema` (default: the default schema), if it exists. */
  table(name: string, schema?: string): TableState | undefined {
    return this.tables.get(this.keyOf(name, schema));
  }

  /** The index `name` in `schema`, if it exists. */
  index(name: string, schema?: string): IndexState | undefined {
    return this.indexes.get(this.keyOf(name, schema));
  }

  /** The enum type `name` in `schema`, if it exists. */
  enumType(name: string, schema?: string): EnumState | undefined {
    return this.enums.get(this.keyOf(name, schema));
  }

  /** True when the enum type exists (created explicitly or by an earlier first use). */
  enumExists(type: EnumType): boolean {
    return this.enums.has(this.keyOf(type.name, type.schema));
  }

  /** The enum types `op` creates implicitly, on first use: those it uses that do not exist yet. */
  enumsCreatedBy(op: Op): EnumType[] {
    return enumsUsedBy(op).filter((e) => !this.enumExists(e));
  }

  /** The schema, if it exists. */
  schema(name: string | undefined): SchemaInfo | undefined {
    return this.schemas.get(this.schemaName(name));
  }

  /** The names taken in a schema, as the dialect's name predictions ask for them. */
  namespace(schema: string | undefined): ModelNamespace {
    const info = this.schema(schema);
    return {
      relationExists: (name) => info?.relations.has(name) ?? false,
      constraintExists: (name) => info?.constraintNames.has(name) ?? false,
    };
  }

  /** The tables of a schema, in the order they were made. */
  tablesIn(schema: string | undefined): TableState[] {
    const name = this.schemaName(schema);
    return [...this.tables.values()].filter((t) => this.schemaName(t.schema) === name);
  }

  /** The foreign keys that reference `table` (self-references included), each with its table. */
  foreignKeysTo(table: TableState): { table: TableState; constraint: ConstraintState }[] {
    return [...(this.#incoming.get(table) ?? [])].map((c) => ({ table: this.#owner.get(c)!, constraint: c }));
  }

  /** The primary key of a table, if it has one. */
  primaryKeyOf(table: TableState): ConstraintState | undefined {
    for (const c of table.constraints.values()) if (c.kind === 'primaryKey') return c;
    return undefined;
  }

  /**
   * The name the database gets for a constraint or index named `name` by an op, after the naming
   * convention (as the dialect's compile applies it: only a template with `%(constraint_name)s` changes
   * a given name). A convention the op cannot satisfy leaves `name` (the compile reports that).
   */
  finalName(key: ConventionKey, name: string, table?: string, schema?: string, columns?: readonly string[], referred?: { table: string; columns: readonly string[] }): string {
    try {
      return (
        conventionalName(
          this.namingConvention,
          { key, name, table, schema, columns, referredTable: referred?.table, referredColumns: referred?.columns },
          { maxIdentifierLength: this.dialect.maxIdentifierLength },
        ) ?? name
      );
    } catch (err) {
      if (err instanceof UserError) return name;
      throw err;
    }
  }

  /** The name the naming convention gives an unnamed constraint or index, or undefined (left to the database). */
  conventionName(key: ConventionKey, table: string, schema: string | undefined, columns: readonly string[]): string | undefined {
    try {
      return conventionalName(this.namingConvention, { key, table, schema, columns }, { maxIdentifierLength: this.dialect.maxIdentifierLength });
    } catch (err) {
      if (err instanceof UserError) return undefined;
      throw err;
    }
  }

  /** The name to give an op that re-creates a constraint or index with the name it has. */
  recreateName(o: { name: string; givenName?: string }): string {
    return o.givenName ?? o.name;
  }

  // ------------------------------------------------------------------------------------------------
  // Journal

  /**
   * Starts (or continues) recording changes so they can be undone, and returns a mark for
   * {@link rollback}. Marks nest: roll back to an inner mark first.
   */
  checkpoint(): number {
    this.#journal ??= [];
    return this.#journal.length;
  }

  /** Undoes every change made since `mark`. At mark 0 the journal stops. */
  rollback(mark: number): void {
    const journal = this.#journal;
    if (!journal) return;
    while (journal.length > mark) journal.pop()!();
    if (mark === 0) this.#journal = undefined;
  }

  #set<K, V>(map: Map<K, V>, key: K, value: V): void {
    if (this.#journal) {
      const had = map.has(key);
      const old = map.get(key);
      this.#journal.push(() => (had ? map.set(key, old as V) : map.delete(key)));
    }
    map.set(key, value);
  }

  #delete<K, V>(map: Map<K, V>, key: K): void {
    if (!map.has(key)) return;
    if (this.#journal) {
      const old = map.get(key) as V;
      this.#journal.push(() => map.set(key, old));
    }
    map.delete(key);
  }

  /** Before an in-place change of a map whose order matters (a table's columns...): undo restores it whole. */
  #keepOrder<K, V>(map: Map<K, V>): void {
    if (!this.#journal) return;
    const entries = [...map];
    this.#journal.push(() => {
      map.clear();
      for (const [k, v] of entries) map.set(k, v);
    });
  }

  #assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
    if (this.#journal) {
      const had = Object.prototype.hasOwnProperty.call(target, key);
      const old = target[key];
      this.#journal.push(() => {
        if (had) target[key] = old;
        else delete target[key];
      });
    }
    if (value === undefined) delete target[key];
    else target[key] = value;
  }

  #addTo<T>(set: Set<T>, value: T): void {
    if (set.has(value)) return;
    if (this.#journal) this.#journal.push(() => set.delete(value));
    set.add(value);
  }

  #removeFrom<T>(set: Set<T>, value: T): void {
    if (!set.has(value)) return;
    if (this.#journal) this.#journal.push(() => set.add(value));
    set.delete(value);
  }

  // ------------------------------------------------------------------------------------------------
  // Names taken in a schema

  #schemaInfo(schema: string | undefined): SchemaInfo {
    const name = this.schemaName(schema);
    let info = this.schemas.get(name);
    if (!info) {
      // A lenient apply on a schema the model does not know (the model is stale, or the op is invalid).
      info = { name, builtin: false, relations: new Map(), constraintNames: new Map() };
      this.#set(this.schemas, name, info);
    }
    return info;
  }

  #takeRelation(schema: string | undefined, name: string, what: string): void {
    this.#set(this.#schemaInfo(schema).relations, name, what);
  }

  #freeRelation(schema: string | undefined, name: string): void {
    const info = this.schema(schema);
    if (info) this.#delete(info.relations, name);
  }

  #takeConstraintName(schema: string | undefined, c: ConstraintState): void {
    const info = this.#schemaInfo(schema);
    this.#set(info.constraintNames, c.name, (info.constraintNames.get(c.name) ?? 0) + 1);
    if (c.kind === 'primaryKey' || c.kind === 'unique') this.#takeRelation(schema, c.name, `constraint "${c.name}"`);
  }

  #freeConstraintName(schema: string | undefined, c: ConstraintState): void {
    const info = this.schema(schema);
    if (!info) return;
    const n = info.constraintNames.get(c.name) ?? 0;
    if (n <= 1) this.#delete(info.constraintNames, c.name);
    else this.#set(info.constraintNames, c.name, n - 1);
    if (c.kind === 'primaryKey' || c.kind === 'unique') this.#freeRelation(schema, c.name);
  }

  // ------------------------------------------------------------------------------------------------
  // Building blocks of apply

  #use(type: TypeSpec, delta: 1 | -1): void {
    for (const e of enumsOfType(type)) {
      const entry = this.enums.get(this.keyOf(e.name, e.schema));
      if (entry) this.#assign(entry, 'uses', entry.uses + delta);
    }
  }

  #addConstraint(table: TableState, c: ConstraintState): void {
    const existing = table.constraints.get(c.name);
    if (existing) this.#removeConstraint(table, existing);
    this.#keepOrder(table.constraints);
    table.constraints.set(c.name, c);
    this.#takeConstraintName(table.schema, c);
    if (c.kind === 'foreignKey') {
      const target = this.table(c.refTable!, c.refSchema);
      if (target) {
        let set = this.#incoming.get(target);
        if (!set) {
          set = new Set();
          this.#set(this.#incoming, target, set);
        }
        this.#addTo(set, c);
        this.#set(this.#owner, c, table);
      }
    }
    if (c.kind === 'primaryKey' && this.dialect.primaryKeySetsNotNull) {
      for (const name of c.columns) {
        const col = table.columns.get(name);
        if (col && col.nullable !== false) this.#replaceColumn(table, name, { ...col, nullable: false });
      }
    }
  }

  #removeConstraint(table: TableState, c: ConstraintState): void {
    this.#keepOrder(table.constraints);
    table.constraints.delete(c.name);
    this.#freeConstraintName(table.schema, c);
    if (this.#owner.has(c)) {
      const target = this.table(c.refTable!, c.refSchema);
      const set = target && this.#incoming.get(target);
      if (set) this.#removeFrom(set, c);
      this.#delete(this.#owner, c);
    }
  }

  #replaceColumn(table: TableState, name: string, next: Column): void {
    this.#keepOrder(table.columns);
    table.columns.set(name, Object.freeze(next) as Column);
  }

  #addIndex(table: TableState, ix: IndexState): void {
    const key = this.keyOf(ix.name, ix.schema);
    const existing = this.indexes.get(key);
    if (existing) this.#removeIndex(existing);
    this.#set(this.indexes, key, ix);
    this.#keepOrder(table.indexes);
    table.indexes.set(ix.name, ix);
    this.#takeRelation(ix.schema, ix.name, `index "${ix.name}"`);
  }

  #removeIndex(ix: IndexState): void {
    this.#delete(this.indexes, this.keyOf(ix.name, ix.schema));
    const table = this.table(ix.table, ix.schema);
    if (table?.indexes.get(ix.name) === ix) {
      this.#keepOrder(table.indexes);
      table.indexes.delete(ix.name);
    }
    this.#freeRelation(ix.schema, ix.name);
  }

  #addSequence(table: TableState, column: string, seq: SequenceState): void {
    this.#keepOrder(table.sequences);
    table.sequences.set(column, seq);
    this.#takeRelation(table.schema, seq.name, `sequence "${seq.name}"`);
  }

  #removeSequence(table: TableState, column: string): void {
    const seq = table.sequences.get(column);
    if (!seq) return;
    this.#keepOrder(table.sequences);
    table.sequences.delete(column);
    this.#freeRelation(table.schema, seq.name);
  }

  /** The constraints of a shape as {@link ConstraintState}s, with the given names a convention rewrote. */
  #constraintsOf(shape: ModelTableShape, given: (c: ModelConstraint) => string | undefined): ConstraintState[] {
    return shape.constraints.map((c) => {
      const state: Mutable<ConstraintState> = { ...c };
      const g = given(c);
      if (g !== undefined && g !== c.name) state.givenName = g;
      return state;
    });
  }

  #shape(make: () => ModelTableShape, fallback: () => ModelTableShape): ModelTableShape {
    try {
      return make();
    } catch (err) {
      // An op the dialect refuses: its compile reports that; the model keeps what it can.
      if (err instanceof UserError) return fallback();
      throw err;
    }
  }

  #removeTable(table: TableState): void {
    const key = this.keyOf(table.name, table.schema);
    for (const c of table.columns.values()) this.#use(c.type, -1);
    for (const ix of [...table.indexes.values()]) this.#removeIndex(ix);
    for (const fk of [...(this.#incoming.get(table) ?? [])]) {
      const owner = this.#owner.get(fk);
      if (owner && owner !== table) this.#removeConstraint(owner, fk);
    }
    for (const c of [...table.constraints.values()]) this.#removeConstraint(table, c);
    for (const column of [...table.sequences.keys()]) this.#removeSequence(table, column);
    this.#delete(this.#incoming, table);
    this.#freeRelation(table.schema, table.name);
    this.#delete(this.tables, key);
  }

  #addColumnTo(table: TableState, shape: ModelTableShape): void {
    for (const mc of shape.columns) {
      this.#replaceColumn(table, mc.column.name, mc.column);
      this.#use(mc.column.type, 1);
      if (mc.sequence) this.#addSequence(table, mc.column.name, mc.sequence);
    }
  }

  /** How raw SQL is read for the columns it names, in this dialect. */
  get #scan(): ColumnScanOptions {
    return this.dialect.reservedWords ? { reservedWords: this.dialect.reservedWords } : {};
  }

  /**
   * Columns a constraint or index involves: its columns, and those its raw SQL mentions (which the model
   * keeps written with the columns' current names: see {@link #renameColumn}).
   */
  involves(o: ConstraintState | IndexState, column: string): boolean {
    const scan = this.#scan;
    if ('kind' in o) {
      if (o.columns.includes(column)) return true;
      return o.condition !== undefined && mentionsColumn(o.condition.text, column, scan);
    }
    if (o.columns.some((c) => (typeof c === 'string' ? c === column : mentionsColumn(c.text, column, scan)))) return true;
    if (o.include?.includes(column)) return true;
    return o.where !== undefined && mentionsColumn(o.where.text, column, scan);
  }

  /** Raw SQL with column `from` renamed `to` where it names it (the same object when it does not). */
  #renamedIn(text: Sql, from: string, to: string): Sql {
    const quote = this.dialect.quoteIdentifier ?? ((n: string) => `"${n.replace(/"/g, '""')}"`);
    const next = renameColumnIn(text.text, from, to, quote, this.#scan);
    return next === text.text ? text : { ...text, text: next };
  }

  #renameColumn(table: TableState, from: string, to: string): void {
    const rename = (cols: readonly string[]) => cols.map((c) => (c === from ? to : c));
    this.#keepOrder(table.columns);
    const entries = [...table.columns];
    table.columns.clear();
    // PostgreSQL keeps checks, index expressions and generated columns parsed, bound to the column itself
    // (pg_get_constraintdef shows the new name): the model rewrites their raw SQL with the new name, so
    // that it stays about the same column — a later column that takes the old name is another column.
    const renamed = (c: Column): Column => {
      if (c.computed === undefined) return c;
      const expression = this.#renamedIn(c.computed.expression, from, to);
      return expression === c.computed.expression ? c : (Object.freeze({ ...c, computed: { ...c.computed, expression } }) as Column);
    };
    for (const [k, v] of entries) table.columns.set(k === from ? to : k, renamed(k === from ? (Object.freeze({ ...v, name: to }) as Column) : v));
    for (const c of table.constraints.values()) {
      if (c.columns.includes(from)) this.#assign(c as Mutable<ConstraintState>, 'columns', rename(c.columns));
      if (c.condition) {
        const condition = this.#renamedIn(c.condition, from, to);
        if (condition !== c.condition) this.#assign(c as Mutable<ConstraintState>, 'condition', condition);
      }
    }
    for (const ix of table.indexes.values()) {
      const m = ix as Mutable<IndexState>;
      const columns = ix.columns.map((c) => (c === from ? to : typeof c === 'string' ? c : this.#renamedIn(c, from, to)));
      if (columns.some((c, i) => c !== ix.columns[i])) this.#assign(m, 'columns', columns);
      if (ix.include?.includes(from)) this.#assign(m, 'include', rename(ix.include));
      if (ix.where) {
        const where = this.#renamedIn(ix.where, from, to);
        if (where !== ix.where) this.#assign(m, 'where', where);
      }
    }
    for (const fk of this.#incoming.get(table) ?? []) {
      if (fk.refColumns?.includes(from)) this.#assign(fk as Mutable<ConstraintState>, 'refColumns', rename(fk.refColumns));
    }
    const seq = table.sequences.get(from);
    if (seq) {
      this.#keepOrder(table.sequences);
      const seqs = [...table.sequences];
      table.sequences.clear();
      for (const [k, v] of seqs) table.sequences.set(k === from ? to : k, v);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // apply

  /**
   * The enum types created on first use that no column uses any more. They are removed from the model;
   * the caller drops them (PostgreSQL: `DROP TYPE` after the last use, spec "Columns and types").
   * Called at the end of each revision, so a migration that drops a type itself, as Alembic users write
   * it, finds it still there — and, for one schema, before that schema is dropped (the type must go
   * first: `DROP SCHEMA` without CASCADE refuses a schema that holds one).
   */
  releaseUnusedEnums(schema?: string): EnumType[] {
    const released: EnumType[] = [];
    const only = schema === undefined ? undefined : this.schemaName(schema);
    for (const [key, e] of [...this.enums]) {
      if (e.implicit && e.uses === 0 && (only === undefined || this.schemaName(e.type.schema) === only)) {
        this.#delete(this.enums, key);
        released.push(e.type);
      }
    }
    return released;
  }

  /**
   * The enum type `name` in `schema` when it was created on first use and no column uses it any more:
   * removed from the model, for the caller to drop before an op that creates a type of that name
   * (`op.createEnum`, e.g. a derived downgrade re-creating the explicit type that a column's implicit one
   * replaced); otherwise undefined, and nothing changes.
   */
  releaseUnusedEnum(name: string, schema?: string): EnumType | undefined {
    const key = this.keyOf(name, schema);
    const e = this.enums.get(key);
    if (!e || !e.implicit || e.uses !== 0) return undefined;
    this.#delete(this.enums, key);
    return e.type;
  }

  /**
   * Moves the model past `op`. Lenient (see the module comment): never throws for what does not exist.
   * `op.execute` with `effects` applies them; without, raw SQL that may change the schema marks the
   * model {@link stale} (at `at`, for messages), and SQL that only reads or writes rows changes nothing.
   */
  apply(op: Op, at?: ErrorSite): void {
    for (const e of this.enumsCreatedBy(op)) this.#set(this.enums, this.keyOf(e.name, e.schema), { type: e, implicit: true, uses: 0 });
    switch (op.kind) {
      case 'createTable': {
        const existing = this.table(op.table, op.schema);
        if (existing) {
          if (op.ifNotExists) return;
          this.#removeTable(existing);
        }
        const shape = this.#shape(
          () => this.dialect.createTable(op, this.namespace(op.schema), this.namingConvention),
          () => ({ columns: op.items.flatMap((i) => (i.kind === 'column' ? [{ column: definitionOf(i, i.nullable ?? !i.primaryKey) }] : [])), constraints: [] }),
        );
        const table: TableState = {
          ...(op.schema !== undefined ? { schema: op.schema } : {}),
          name: op.table,
          columns: new Map(),
          ...(op.comment !== undefined ? { comment: op.comment } : {}),
          constraints: new Map(),
          indexes: new Map(),
          sequences: new Map(),
        };
        this.#set(this.tables, this.keyOf(op.table, op.schema), table);
        this.#takeRelation(op.schema, op.table, `table "${op.table}"`);
        this.#addColumnTo(table, shape);
        const given = (c: ModelConstraint): string | undefined => givenNameIn(op.items, c);
        for (const c of this.#constraintsOf(shape, given)) this.#addConstraint(table, c);
        return;
      }
      case 'dropTable': {
        const table = this.table(op.table, op.schema);
        if (table) this.#removeTable(table);
        return;
      }
      case 'renameTable': {
        const table = this.table(op.table, op.schema);
        if (!table || op.newName === op.table) return;
        const clash = this.table(op.newName, op.schema);
        if (clash) this.#removeTable(clash);
        this.#delete(this.tables, this.keyOf(op.table, op.schema));
        this.#assign(table, 'name', op.newName);
        this.#set(this.tables, this.keyOf(op.newName, op.schema), table);
        this.#freeRelation(table.schema, op.table);
        this.#takeRelation(table.schema, op.newName, `table "${op.newName}"`);
        for (const ix of table.indexes.values()) this.#assign(ix as Mutable<IndexState>, 'table', op.newName);
        for (const fk of this.#incoming.get(table) ?? []) this.#assign(fk as Mutable<ConstraintState>, 'refTable', op.newName);
        for (const c of [...table.constraints.values()]) {
          const renamed = this.dialect.constraintNameAfterRename?.(op.table, op.newName, c);
          if (renamed === undefined || renamed === c.name) continue;
          this.#removeConstraint(table, c);
          this.#addConstraint(table, { ...c, name: renamed });
        }
        return;
      }
      case 'addColumn': {
        const table = this.table(op.table, op.schema);
        if (!table) return;
        const old = table.columns.get(op.column.name);
        if (old) {
          if (op.ifNotExists) return;
          this.#dropColumn(table, op.column.name);
        }
        const shape = this.#shape(
          () => this.dialect.addColumn(op, this.namespace(op.schema), this.namingConvention),
          () => ({ columns: [{ column: definitionOf(op.column, op.column.nullable ?? !op.column.primaryKey) }], constraints: [] }),
        );
        this.#addColumnTo(table, shape);
        const given = (c: ModelConstraint): string | undefined =>
          c.kind === 'foreignKey' ? op.column.references?.name : undefined;
        for (const c of this.#constraintsOf(shape, given)) this.#addConstraint(table, c);
        return;
      }
      case 'dropColumn': {
        const table = this.table(op.table, op.schema);
        if (table?.columns.has(op.column)) this.#dropColumn(table, op.column);
        return;
      }
      case 'alterColumn': {
        const table = this.table(op.table, op.schema);
        const col = table?.columns.get(op.column);
        if (!table || !col) return;
        const next: Mutable<Column> = { ...col };
        if (op.type) {
          this.#use(col.type, -1);
          this.#use(op.type, 1);
          next.type = op.type;
          // PostgreSQL 15 docs, ALTER TABLE, SET DATA TYPE: "The optional COLLATE clause specifies a
          // collation for the new column; if omitted, the collation is the default for the new column type."
          if (op.collation !== undefined) next.collation = op.collation;
          else delete next.collation;
        }
        if (op.nullable !== undefined) next.nullable = op.nullable;
        if (op.serverDefault === null) delete next.serverDefault;
        else if (op.serverDefault !== undefined) next.serverDefault = op.serverDefault;
        if (op.comment === null) delete next.comment;
        else if (op.comment !== undefined) next.comment = op.comment;
        this.#replaceColumn(table, op.column, next);
        if (op.newName !== undefined && op.newName !== op.column) {
          if (table.columns.has(op.newName)) this.#dropColumn(table, op.newName);
          this.#renameColumn(table, op.column, op.newName);
        }
        return;
      }
      case 'createIndex': {
        const table = this.table(op.table, op.schema);
        if (!table) return;
        const plain = op.columns.every((c) => typeof c === 'string') ? (op.columns as string[]) : undefined;
        const name = this.finalName('ix', op.name, op.table, op.schema, plain);
        if (op.ifNotExists && this.schema(op.schema)?.relations.has(name)) return;
        const ix: Mutable<IndexState> = { name, table: op.table, columns: op.columns, unique: op.unique === true };
        if (name !== op.name) ix.givenName = op.name;
        if (op.schema !== undefined) ix.schema = op.schema;
        if (op.where !== undefined) ix.where = op.where;
        if (op.using !== undefined) ix.using = op.using;
        if (op.include !== undefined) ix.include = op.include;
        this.#addIndex(table, ix);
        return;
      }
      case 'dropIndex': {
        const ix = this.index(this.finalName('ix', op.name, op.table, op.schema), op.schema);
        if (ix) this.#removeIndex(ix);
        return;
      }
      case 'createPrimaryKey':
      case 'createUniqueConstraint':
      case 'createCheckConstraint':
      case 'createForeignKey': {
        const c = this.constraintOf(op);
        const table = this.table(c.table, c.schema);
        if (table) this.#addConstraint(table, c.constraint);
        return;
      }
      case 'dropConstraint': {
        const table = this.table(op.table, op.schema);
        const c = table?.constraints.get(this.dropConstraintName(op));
        if (table && c) this.#removeConstraint(table, c);
        return;
      }
      case 'createTableComment':
      case 'dropTableComment': {
        const table = this.table(op.table, op.schema);
        if (table) this.#assign(table, 'comment', op.kind === 'createTableComment' ? op.comment : undefined);
        return;
      }
      case 'createSchema':
        if (!this.schemas.has(op.name)) this.#set(this.schemas, op.name, { name: op.name, builtin: false, relations: new Map(), constraintNames: new Map() });
        return;
      case 'dropSchema': {
        if (!this.schemas.has(op.name)) return;
        for (const t of this.tablesIn(op.name)) this.#removeTable(t);
        for (const [key, e] of [...this.enums]) if (this.schemaName(e.type.schema) === op.name) this.#delete(this.enums, key);
        this.#delete(this.schemas, op.name);
        return;
      }
      case 'createEnum': {
        const key = this.keyOf(op.name, op.schema);
        const type: EnumType = { kind: 'enum', name: op.name, values: op.values, ...(op.schema ? { schema: op.schema } : {}) };
        this.#set(this.enums, key, { type, implicit: false, uses: this.enums.get(key)?.uses ?? 0 });
        return;
      }
      case 'dropEnum':
        this.#delete(this.enums, this.keyOf(op.name, op.schema));
        return;
      case 'execute':
        if (op.effects) for (const e of op.effects) this.apply(e, at);
        else if (!this.stale && this.isOpaque(op)) this.#assign(this as Mutable<SchemaState>, 'stale', { site: at ?? {} });
        return;
      case 'bulkInsert':
        return;
    }
  }

  /** True when an `execute` op declares no `effects` and its SQL for this dialect may change the schema. */
  isOpaque(op: Op): boolean {
    if (op.kind !== 'execute' || op.effects) return false;
    const text = this.dialect.executeText(op);
    return text !== undefined && mayChangeSchema(text);
  }

  /** The name `dropConstraint` drops: with a `type`, after the naming convention (as Alembic's `drop_constraint`). */
  dropConstraintName(op: Extract<Op, { kind: 'dropConstraint' }>): string {
    return op.type === undefined ? op.name : this.finalName(CONVENTION_KEY[KIND_OF_TYPE[op.type]], op.name, op.table, op.schema);
  }

  /** The constraint a `create*Constraint` / `createForeignKey` op makes, with its table. */
  constraintOf(op: Extract<Op, { kind: 'createPrimaryKey' | 'createUniqueConstraint' | 'createCheckConstraint' | 'createForeignKey' }>): {
    table: string;
    schema: string | undefined;
    constraint: ConstraintState;
  } {
    const c: Mutable<ConstraintState> = { kind: 'primaryKey', name: op.name, defaultName: false, columns: [] };
    let table: string;
    let schema: string | undefined;
    switch (op.kind) {
      case 'createPrimaryKey':
      case 'createUniqueConstraint':
        table = op.table;
        schema = op.schema;
        c.kind = op.kind === 'createPrimaryKey' ? 'primaryKey' : 'unique';
        c.columns = op.columns;
        if (op.kind === 'createUniqueConstraint') {
          if (op.deferrable !== undefined) c.deferrable = op.deferrable;
          if (op.initially !== undefined) c.initially = op.initially;
        }
        c.name = this.finalName(CONVENTION_KEY[c.kind], op.name, table, schema, op.columns);
        break;
      case 'createCheckConstraint':
        table = op.table;
        schema = op.schema;
        c.kind = 'check';
        c.condition = op.condition;
        if (op.notValid) c.notValid = true;
        c.name = this.finalName('ck', op.name, table, schema, []);
        break;
      case 'createForeignKey':
        table = op.sourceTable;
        schema = op.sourceSchema;
        c.kind = 'foreignKey';
        c.columns = op.localColumns;
        c.refTable = op.referentTable;
        if (op.referentSchema !== undefined) c.refSchema = op.referentSchema;
        c.refColumns = op.remoteColumns;
        if (op.onDelete !== undefined) c.onDelete = op.onDelete;
        if (op.onUpdate !== undefined) c.onUpdate = op.onUpdate;
        if (op.deferrable !== undefined) c.deferrable = op.deferrable;
        if (op.initially !== undefined) c.initially = op.initially;
        if (op.notValid) c.notValid = true;
        c.name = this.finalName('fk', op.name, table, schema, op.localColumns, { table: op.referentTable, columns: op.remoteColumns });
        break;
    }
    if (c.name !== op.name) c.givenName = op.name;
    return { table, schema, constraint: c };
  }

  #dropColumn(table: TableState, column: string): void {
    const col = table.columns.get(column)!;
    // PostgreSQL 15 docs, ALTER TABLE, DROP COLUMN: "Indexes and table constraints involving the column
    // will be automatically dropped as well"; with CASCADE, so are foreign keys that reference it.
    for (const ix of [...table.indexes.values()]) if (this.involves(ix, column)) this.#removeIndex(ix);
    for (const c of [...table.constraints.values()]) if (this.involves(c, column)) this.#removeConstraint(table, c);
    for (const fk of [...(this.#incoming.get(table) ?? [])]) {
      const owner = this.#owner.get(fk);
      if (owner && fk.refColumns?.includes(column)) this.#removeConstraint(owner, fk);
    }
    this.#removeSequence(table, column);
    this.#keepOrder(table.columns);
    table.columns.delete(column);
    this.#use(col.type, -1);
  }
}

/**
 * The name a `createTable` item gave a constraint that the naming convention rewrote into `c.name`, found
 * by kind and columns (checks: by condition).
 */
function givenNameIn(items: Extract<Op, { kind: 'createTable' }>['items'], c: ModelConstraint): string | undefined {
  if (c.defaultName) return undefined;
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  for (const item of items) {
    if (item.kind === 'column') {
      if (c.kind === 'foreignKey' && item.references && same(c.columns, [item.name])) return item.references.name;
      continue;
    }
    if (item.kind !== c.kind) continue;
    if (item.kind === 'check' && c.condition && item.condition.text.trim() === c.condition.text.trim()) return item.name;
    if (item.kind !== 'check' && same(item.columns, c.columns)) return item.name;
  }
  return undefined;
}
