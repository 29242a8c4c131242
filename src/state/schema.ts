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

/** The mutable schema model. `apply` moves it past one op. */
export class SchemaState {
  readonly schemas = new Set<string>();
  readonly tables = new Map<string, TableState>();
  readonly enums = new Map<string, EnumType>();
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

  /** Moves the model past `op`. Raw SQL (`execute`) is opaque and changes nothing. */
  apply(op: Op): void {
    for (const e of this.enumsCreatedBy(op)) this.enums.set(qualifiedKey(e.name, e.schema), e);
    switch (op.kind) {
      case 'createTable': {
        const columns = new Map<string, Column>();
        for (const item of op.items) if (item.kind === 'column') columns.set(item.name, item);
        this.tables.set(qualifiedKey(op.table, op.schema), { ...(op.schema ? { schema: op.schema } : {}), name: op.table, columns, ...(op.comment !== undefined ? { comment: op.comment } : {}) });
        return;
      }
      case 'dropTable': {
        const key = qualifiedKey(op.table, op.schema);
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
      case 'addColumn':
        this.table(op.table, op.schema)?.columns.set(op.column.name, op.column);
        return;
      case 'dropColumn':
        this.table(op.table, op.schema)?.columns.delete(op.column);
        return;
      case 'alterColumn': {
        const table = this.table(op.table, op.schema);
        const col = table?.columns.get(op.column);
        if (!table || !col) return;
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
        this.enums.set(qualifiedKey(op.name, op.schema), { kind: 'enum', name: op.name, values: op.values, ...(op.schema ? { schema: op.schema } : {}) });
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
