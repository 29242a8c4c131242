/**
 * The schema state model: what exists in the database at a point of the history, known offline by
 * replaying ops from base. This first version tracks what rendering and the derived downgrades of the
 * "no earlier state needed" ops use — schemas, tables with their columns, indexes and enum types — so
 * that, for example, an enum type is created before its first use and dropped with the table that
 * created it.
 */
import type { Column, EnumType, Op, TypeSpec } from '../ops/types.js';

/** A table as the model knows it. Columns keep their order. */
export interface TableState {
  readonly schema?: string;
  name: string;
  readonly columns: Map<string, Column>;
  comment?: string;
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

/** An enum type in the model: its definition, how it came to exist, and how many columns use it. */
export interface EnumState {
  readonly type: EnumType;
  /** Created on first use by a column (not by `createEnum`): dropped again after its last use. */
  readonly implicit: boolean;
  uses: number;
}

/** The mutable schema model. `apply` moves it past one op. */
export class SchemaState {
  readonly schemas = new Set<string>();
  readonly tables = new Map<string, TableState>();
  readonly enums = new Map<string, EnumState>();
  /** Index key → table key. */
  readonly indexes = new Map<string, string>();

  /** True when the enum type exists (created explicitly or by an earlier first use). */
  enumExists(type: EnumType): boolean {
    return this.enums.has(qualifiedKey(type.name, type.schema));
  }

  /** The enum types `op` creates implicitly, on first use: those it uses that do not exist yet. */
  enumsCreatedBy(op: Op): EnumType[] {
    return enumsUsedBy(op).filter((e) => !this.enumExists(e));
  }

  table(name: string, schema?: string): TableState | undefined {
    return this.tables.get(qualifiedKey(name, schema));
  }

  /**
   * The enum types created on first use that no column uses any more. They are removed from the model;
   * the caller drops them (PostgreSQL: `DROP TYPE` after the last use, spec "Columns and types").
   * Called at the end of each revision, so a migration that drops a type itself, as Alembic users write
   * it, finds it still there.
   */
  releaseUnusedEnums(): EnumType[] {
    const released: EnumType[] = [];
    for (const [key, e] of this.enums) {
      if (e.implicit && e.uses === 0) {
        this.enums.delete(key);
        released.push(e.type);
      }
    }
    return released;
  }

  #use(type: TypeSpec, delta: 1 | -1): void {
    for (const e of enumsOfType(type)) {
      const entry = this.enums.get(qualifiedKey(e.name, e.schema));
      if (entry) entry.uses += delta;
    }
  }

  /** Moves the model past `op`. Raw SQL (`execute`) is opaque and changes nothing. */
  apply(op: Op): void {
    for (const e of this.enumsCreatedBy(op)) this.enums.set(qualifiedKey(e.name, e.schema), { type: e, implicit: true, uses: 0 });
    switch (op.kind) {
      case 'createTable': {
        const columns = new Map<string, Column>();
        for (const item of op.items) if (item.kind === 'column') columns.set(item.name, item);
        for (const c of columns.values()) this.#use(c.type, 1);
        this.tables.set(qualifiedKey(op.table, op.schema), { ...(op.schema ? { schema: op.schema } : {}), name: op.table, columns, ...(op.comment !== undefined ? { comment: op.comment } : {}) });
        return;
      }
      case 'dropTable': {
        const key = qualifiedKey(op.table, op.schema);
        for (const c of this.tables.get(key)?.columns.values() ?? []) this.#use(c.type, -1);
        this.tables.delete(key);
        for (const [ix, t] of this.indexes) if (t === key) this.indexes.delete(ix);
        return;
      }
      case 'renameTable': {
        const from = qualifiedKey(op.table, op.schema);
        const table = this.tables.get(from);
        if (!table) return;
        const to = qualifiedKey(op.newName, op.schema);
        this.tables.delete(from);
        table.name = op.newName;
        this.tables.set(to, table);
        for (const [ix, t] of this.indexes) if (t === from) this.indexes.set(ix, to);
        return;
      }
      case 'addColumn': {
        const table = this.table(op.table, op.schema);
        if (!table) return;
        table.columns.set(op.column.name, op.column);
        this.#use(op.column.type, 1);
        return;
      }
      case 'dropColumn': {
        const columns = this.table(op.table, op.schema)?.columns;
        const col = columns?.get(op.column);
        if (!columns || !col) return;
        columns.delete(op.column);
        this.#use(col.type, -1);
        return;
      }
      case 'alterColumn': {
        const table = this.table(op.table, op.schema);
        const col = table?.columns.get(op.column);
        if (!table || !col) return;
        if (op.type) {
          this.#use(col.type, -1);
          this.#use(op.type, 1);
        }
        const next: Column = {
          ...col,
          ...(op.type ? { type: op.type } : {}),
          ...(op.nullable !== undefined ? { nullable: op.nullable } : {}),
          ...(op.newName ? { name: op.newName } : {}),
        };
        const rebuilt = new Map<string, Column>();
        for (const [k, v] of table.columns) rebuilt.set(k === op.column ? next.name : k, k === op.column ? next : v);
        table.columns.clear();
        for (const [k, v] of rebuilt) table.columns.set(k, v);
        return;
      }
      case 'createIndex':
        this.indexes.set(qualifiedKey(op.name, op.schema), qualifiedKey(op.table, op.schema));
        return;
      case 'dropIndex':
        this.indexes.delete(qualifiedKey(op.name, op.schema));
        return;
      case 'createTableComment': {
        const table = this.table(op.table, op.schema);
        if (table) table.comment = op.comment;
        return;
      }
      case 'dropTableComment': {
        const table = this.table(op.table, op.schema);
        if (table) delete table.comment;
        return;
      }
      case 'createSchema':
        this.schemas.add(op.name);
        return;
      case 'dropSchema':
        this.schemas.delete(op.name);
        return;
      case 'createEnum':
        this.enums.set(qualifiedKey(op.name, op.schema), {
          type: { kind: 'enum', name: op.name, values: op.values, ...(op.schema ? { schema: op.schema } : {}) },
          implicit: false,
          uses: 0,
        });
        return;
      case 'dropEnum':
        this.enums.delete(qualifiedKey(op.name, op.schema));
        return;
      case 'createPrimaryKey':
      case 'createUniqueConstraint':
      case 'createCheckConstraint':
      case 'createForeignKey':
      case 'dropConstraint':
      case 'execute':
      case 'bulkInsert':
        return;
    }
  }
}
