/**
 * Validation of an op against the schema state it meets: what PostgreSQL would refuse when the script
 * runs — or would do silently though the migration cannot mean it — found at compile time, offline,
 * with the nearest existing name ("did you mean ...?").
 *
 * Checked (PostgreSQL 15 docs, SQL Commands: CREATE/ALTER/DROP TABLE, CREATE/DROP INDEX, CREATE/DROP
 * SCHEMA, CREATE/DROP TYPE): unknown or duplicate schemas, tables, columns, indexes, constraints and enum
 * types; a name already taken by another relation of the schema; a foreign key to a missing table or
 * column, or to columns without a primary key or unique constraint on exactly them; a second primary
 * key; a primary-key column made nullable; drops that PostgreSQL refuses without CASCADE (a table, column
 * or key that a foreign key references, a type a column uses, a schema that is not empty); and dropping a
 * column that an index or constraint shares with other columns (PostgreSQL would drop the whole index or
 * constraint silently). An index or constraint on that column alone goes with it, as in PostgreSQL, and a
 * derived downgrade restores it. `ifExists` / `ifNotExists` exempt an op from the check they name.
 *
 * After raw SQL the model cannot follow ({@link SchemaState.stale}) nothing is checked: the model may be
 * wrong, and a false error is worse than none.
 */
import type { Column, Op } from '../ops/types.js';
import { CONVENTION_KEY, KIND_OF_TYPE, type ConstraintKind, type ConstraintState, type IndexState, type SchemaState, type TableState } from './schema.js';
import type { ModelTableShape } from './dialect.js';
import { didYouMean, nearestName } from './suggest.js';

/** What kind of problem an issue is (the `kind` of `check --json` errors). */
export type IssueKind =
  | 'unknown-schema'
  | 'unknown-table'
  | 'unknown-column'
  | 'unknown-index'
  | 'unknown-constraint'
  | 'unknown-type'
  | 'duplicate-schema'
  | 'duplicate-table'
  | 'duplicate-column'
  | 'duplicate-index'
  | 'duplicate-constraint'
  | 'duplicate-type'
  | 'duplicate-primary-key'
  | 'name-taken'
  | 'invalid-reference'
  | 'still-used'
  | 'wrong-kind';

/** One problem of an op, with its exact message (without the file/revision/op prefix). */
export interface SchemaIssue {
  readonly kind: IssueKind;
  readonly message: string;
}

/** `"users"`, or `"audit.runs"` when the op names a schema. */
function q(name: string, schema?: string): string {
  return `"${schema ? `${schema}.${name}` : name}"`;
}

const KIND_LABEL: Record<ConstraintKind, string> = {
  primaryKey: 'a primary key',
  unique: 'a unique constraint',
  check: 'a check constraint',
  foreignKey: 'a foreign key',
};

/** `drop them first` / `drop it first`. */
function list(items: readonly string[]): string {
  return `${items.join(', ')}; drop ${items.length === 1 ? 'it' : 'them'} first`;
}

/**
 * The problems of `op` in `state` (empty when there are none, or when the model is stale).
 * Does not change `state`.
 */
export function validateOp(state: SchemaState, op: Op): SchemaIssue[] {
  if (state.stale) return [];
  const v = new Validator(state);
  v.op(op);
  return v.issues;
}

class Validator {
  readonly issues: SchemaIssue[] = [];
  constructor(readonly state: SchemaState) {}

  #issue(kind: IssueKind, message: string): void {
    this.issues.push({ kind, message });
  }

  /** True when the schema exists; reports it when not. */
  #schema(schema: string | undefined): boolean {
    if (schema === undefined || this.state.schema(schema)) return true;
    this.#issue('unknown-schema', `schema "${schema}" does not exist${didYouMean(schema, this.state.schemas.keys())}`);
    return false;
  }

  /** The table, or undefined after reporting it (or its schema). */
  #table(name: string, schema: string | undefined): TableState | undefined {
    if (!this.#schema(schema)) return undefined;
    const t = this.state.table(name, schema);
    if (t) return t;
    this.#issue('unknown-table', `table ${q(name, schema)} does not exist${this.#suggestTable(name, schema)}`);
    return undefined;
  }

  #suggestTable(name: string, schema: string | undefined): string {
    const here = this.state.tablesIn(schema).map((t) => t.name);
    const near = nearestName(name, here);
    if (near !== undefined) return ` — did you mean "${near}"?`;
    // The same name in another schema: the op probably left out (or got wrong) its schema.
    const home = this.state.schemaName(schema);
    for (const t of this.state.tables.values()) {
      const s = this.state.schemaName(t.schema);
      if (s !== home && t.name === name) return ` — did you mean "${s}.${t.name}"?`;
    }
    return '';
  }

  /** Reports columns of `table` that do not exist; true when all do. */
  #columns(table: TableState, columns: readonly string[], display = q(table.name, table.schema)): boolean {
    let ok = true;
    for (const c of columns) {
      if (table.columns.has(c)) continue;
      ok = false;
      this.#issue('unknown-column', `column "${c}" of table ${display} does not exist${didYouMean(c, table.columns.keys())}`);
    }
    return ok;
  }

  /** What already has `name` in the schema, for "already exists" messages, or undefined. */
  #taken(schema: string | undefined, name: string): string | undefined {
    return this.state.schema(schema)?.relations.get(name);
  }

  #nameFree(schema: string | undefined, name: string, what: string): void {
    const by = this.#taken(schema, name);
    if (by === undefined) return;
    const kinds: Record<string, IssueKind> = { table: 'duplicate-table', index: 'duplicate-index', constraint: 'duplicate-constraint' };
    if (by === `${what} "${name}"`) this.#issue(kinds[what] ?? 'name-taken', `${what} ${q(name, schema)} already exists`);
    else this.#issue('name-taken', `cannot create ${what} ${q(name, schema)}: the name is taken by ${by} in schema "${this.state.schemaName(schema)}"`);
  }

  #constraintNameFree(table: TableState, name: string, kind: ConstraintKind): void {
    if (table.constraints.has(name)) {
      this.#issue('duplicate-constraint', `constraint "${name}" of table ${q(table.name, table.schema)} already exists`);
      return;
    }
    // Primary keys and unique constraints make an index of their name: it must be free among relations.
    if (kind === 'primaryKey' || kind === 'unique') this.#nameFree(table.schema, name, 'constraint');
  }

  /**
   * A foreign key's referenced side: the table (or the table being created, `self`), its columns, and a
   * primary key or unique constraint on exactly those columns (PostgreSQL 15 docs, 5.4.5: "A foreign key
   * must reference columns that either are a primary key or form a unique constraint").
   */
  #reference(
    fk: { name: string; refTable: string; refSchema?: string; refColumns: readonly string[] },
    self?: { table: string; schema?: string; columns: ReadonlyMap<string, Column>; keys: readonly (readonly string[])[] },
  ): void {
    const label = `foreign key "${fk.name}"`;
    const isSelf = self !== undefined && self.table === fk.refTable && this.state.schemaName(self.schema) === this.state.schemaName(fk.refSchema);
    let columns: ReadonlyMap<string, Column>;
    let keys: (readonly string[])[];
    if (isSelf) {
      columns = self.columns;
      keys = [...self.keys];
    } else {
      if (!this.#schema(fk.refSchema)) return;
      const target = this.state.table(fk.refTable, fk.refSchema);
      if (!target) {
        this.#issue('unknown-table', `${label} references table ${q(fk.refTable, fk.refSchema)}, which does not exist${this.#suggestTable(fk.refTable, fk.refSchema)}`);
        return;
      }
      columns = target.columns;
      keys = this.#keysOf(target);
    }
    let ok = true;
    for (const c of fk.refColumns) {
      if (columns.has(c)) continue;
      ok = false;
      this.#issue('unknown-column', `${label} references column "${c}" of table ${q(fk.refTable, fk.refSchema)}, which does not exist${didYouMean(c, columns.keys())}`);
    }
    if (!ok) return;
    const want = [...fk.refColumns].sort().join('\u0000');
    if (!keys.some((k) => [...k].sort().join('\u0000') === want)) {
      this.#issue(
        'invalid-reference',
        `${label} references ${q(fk.refTable, fk.refSchema)} (${fk.refColumns.join(', ')}), which has no primary key or unique constraint on exactly those columns — PostgreSQL requires one`,
      );
    }
  }

  /** Column sets a foreign key may reference: primary key, unique constraints, plain unique indexes. */
  #keysOf(table: TableState): (readonly string[])[] {
    const keys: (readonly string[])[] = [];
    for (const c of table.constraints.values()) if (c.kind === 'primaryKey' || c.kind === 'unique') keys.push(c.columns);
    for (const ix of table.indexes.values()) {
      if (ix.unique && ix.where === undefined && ix.columns.every((c) => typeof c === 'string')) keys.push(ix.columns as string[]);
    }
    return keys;
  }

  /** The foreign keys that reference `table` and pass `test` (self-references unless `othersOnly`), for messages. */
  #dependentForeignKeys(table: TableState, test: (fk: ConstraintState) => boolean, othersOnly = false): string[] {
    return this.state
      .foreignKeysTo(table)
      .filter(({ table: owner, constraint }) => test(constraint) && !(othersOnly && owner === table))
      .map(({ table: owner, constraint }) => (owner === table ? `constraint "${constraint.name}"` : `constraint "${constraint.name}" of table ${q(owner.name, owner.schema)}`));
  }

  /**
   * The names the foreign keys of an op get (given, by convention, or by the database), by their columns:
   * a lookup that falls back to the given name, or to `(columns)` when the dialect refuses the op.
   */
  #foreignKeyNames(shape: () => ModelTableShape): (columns: readonly string[], given: string | undefined) => string {
    let predicted: ModelTableShape['constraints'] = [];
    try {
      predicted = shape().constraints;
    } catch {
      // The dialect's compile reports the op.
    }
    return (columns, given) => {
      const key = columns.join('\u0000');
      const same = predicted.filter((c) => c.kind === 'foreignKey' && c.columns.join('\u0000') === key);
      return (same.find((c) => c.name === given) ?? same[0])?.name ?? given ?? `(${columns.join(', ')})`;
    };
  }

  op(op: Op): void {
    const s = this.state;
    switch (op.kind) {
      case 'createTable': {
        if (!this.#schema(op.schema)) return;
        if (s.table(op.table, op.schema)) {
          if (!op.ifNotExists) this.#issue('duplicate-table', `table ${q(op.table, op.schema)} already exists`);
          return;
        }
        this.#nameFree(op.schema, op.table, 'table');
        const columns = new Map<string, Column>();
        for (const item of op.items) if (item.kind === 'column') columns.set(item.name, item);
        const keys: (readonly string[])[] = [];
        const pk = op.items.find((i) => i.kind === 'primaryKey');
        keys.push(pk && pk.kind === 'primaryKey' ? pk.columns : [...columns.values()].filter((c) => c.primaryKey).map((c) => c.name));
        for (const item of op.items) {
          if (item.kind === 'unique') keys.push(item.columns);
          if (item.kind === 'column' && item.unique) keys.push([item.name]);
        }
        const self = { table: op.table, ...(op.schema !== undefined ? { schema: op.schema } : {}), columns, keys };
        const fkName = this.#foreignKeyNames(() => s.dialect.createTable(op, s.namespace(op.schema), s.namingConvention));
        for (const item of op.items) {
          if ((item.kind === 'primaryKey' || item.kind === 'unique') && item.name !== undefined) {
            const name = s.finalName(CONVENTION_KEY[item.kind], item.name, op.table, op.schema, item.columns);
            this.#nameFree(op.schema, name, 'constraint');
          }
          if (item.kind === 'foreignKey') {
            this.#reference({ name: fkName(item.columns, item.name), refTable: item.refTable, ...(item.refSchema !== undefined ? { refSchema: item.refSchema } : {}), refColumns: item.refColumns }, self);
          }
          if (item.kind === 'column' && item.references) {
            const r = item.references;
            this.#reference({ name: fkName([item.name], r.name), refTable: r.table, ...(r.schema !== undefined ? { refSchema: r.schema } : {}), refColumns: [r.column] }, self);
          }
        }
        return;
      }
      case 'dropTable': {
        if (op.ifExists && !s.table(op.table, op.schema)) return;
        const table = this.#table(op.table, op.schema);
        if (!table) return;
        const deps = this.#dependentForeignKeys(table, () => true, true);
        if (deps.length > 0) this.#issue('still-used', `DROP TABLE ${q(op.table, op.schema)} would also drop ${list(deps)}`);
        return;
      }
      case 'renameTable': {
        if (!this.#table(op.table, op.schema)) return;
        if (op.newName !== op.table) this.#nameFree(op.schema, op.newName, 'table');
        return;
      }
      case 'addColumn': {
        const table = this.#table(op.table, op.schema);
        if (!table) return;
        if (table.columns.has(op.column.name)) {
          if (!op.ifNotExists) this.#issue('duplicate-column', `column "${op.column.name}" of table ${q(op.table, op.schema)} already exists`);
          return;
        }
        if (op.column.primaryKey) {
          const pk = s.primaryKeyOf(table);
          if (pk) this.#issue('duplicate-primary-key', `table ${q(op.table, op.schema)} already has a primary key, "${pk.name}"`);
        }
        const r = op.column.references;
        if (r) {
          const fkName = this.#foreignKeyNames(() => s.dialect.addColumn(op, s.namespace(op.schema), s.namingConvention));
          const self = { table: table.name, ...(table.schema !== undefined ? { schema: table.schema } : {}), columns: new Map([...table.columns, [op.column.name, op.column]]), keys: [...this.#keysOf(table), ...(op.column.unique || op.column.primaryKey ? [[op.column.name]] : [])] };
          this.#reference({ name: fkName([op.column.name], r.name), refTable: r.table, ...(r.schema !== undefined ? { refSchema: r.schema } : {}), refColumns: [r.column] }, self);
        }
        return;
      }
      case 'dropColumn': {
        const table = this.#table(op.table, op.schema);
        if (!table) return;
        if (!table.columns.has(op.column)) {
          if (!op.ifExists) this.#columns(table, [op.column], q(op.table, op.schema));
          return;
        }
        const deps = this.#dropColumnDependents(table, op.column);
        if (deps.length > 0) this.#issue('still-used', `DROP COLUMN "${op.column}" of table ${q(op.table, op.schema)} would also drop ${list(deps)}`);
        return;
      }
      case 'alterColumn': {
        const table = this.#table(op.table, op.schema);
        if (!table || !this.#columns(table, [op.column], q(op.table, op.schema))) return;
        if (op.nullable === true) {
          const pk = s.primaryKeyOf(table);
          if (pk?.columns.includes(op.column)) {
            this.#issue('still-used', `column "${op.column}" of table ${q(op.table, op.schema)} is in primary key "${pk.name}", so it cannot be made nullable`);
          }
        }
        if (op.newName !== undefined && op.newName !== op.column && table.columns.has(op.newName)) {
          this.#issue('duplicate-column', `column "${op.newName}" of table ${q(op.table, op.schema)} already exists`);
        }
        return;
      }
      case 'createIndex': {
        const table = this.#table(op.table, op.schema);
        if (!table) return;
        const plain = op.columns.filter((c): c is string => typeof c === 'string');
        this.#columns(table, [...plain, ...(op.include ?? [])], q(op.table, op.schema));
        const name = s.finalName('ix', op.name, op.table, op.schema, plain.length === op.columns.length ? plain : undefined);
        if (!(op.ifNotExists && this.#taken(op.schema, name))) this.#nameFree(op.schema, name, 'index');
        return;
      }
      case 'dropIndex': {
        const name = s.finalName('ix', op.name, op.table, op.schema);
        if (s.index(name, op.schema) || !this.#schema(op.schema)) return;
        const by = this.#taken(op.schema, name);
        if (by?.startsWith('constraint ')) {
          const owner = [...s.tables.values()].find((t) => t.constraints.has(name) && s.schemaName(t.schema) === s.schemaName(op.schema));
          this.#issue(
            'wrong-kind',
            `index ${q(name, op.schema)} belongs to constraint "${name}"${owner ? ` of table ${q(owner.name, owner.schema)}` : ''} — drop the constraint with op.dropConstraint instead`,
          );
          return;
        }
        if (op.ifExists) return;
        const names = [...s.indexes.values()].filter((ix) => s.schemaName(ix.schema) === s.schemaName(op.schema)).map((ix) => ix.name);
        this.#issue('unknown-index', `index ${q(name, op.schema)} does not exist${didYouMean(name, names)}`);
        return;
      }
      case 'createPrimaryKey':
      case 'createUniqueConstraint':
      case 'createCheckConstraint':
      case 'createForeignKey': {
        const made = s.constraintOf(op);
        const table = this.#table(made.table, made.schema);
        if (!table) return;
        const c = made.constraint;
        const columnsOk = this.#columns(table, c.columns, q(made.table, made.schema));
        if (c.kind === 'primaryKey') {
          const pk = s.primaryKeyOf(table);
          if (pk) {
            this.#issue('duplicate-primary-key', `table ${q(made.table, made.schema)} already has a primary key, "${pk.name}"`);
            return;
          }
        }
        this.#constraintNameFree(table, c.name, c.kind);
        if (c.kind === 'foreignKey' && columnsOk) this.#reference({ name: c.name, refTable: c.refTable!, ...(c.refSchema !== undefined ? { refSchema: c.refSchema } : {}), refColumns: c.refColumns! });
        return;
      }
      case 'dropConstraint': {
        const table = this.#table(op.table, op.schema);
        if (!table) return;
        const name = s.dropConstraintName(op);
        const c = table.constraints.get(name);
        if (!c) {
          this.#issue('unknown-constraint', `constraint "${name}" of table ${q(op.table, op.schema)} does not exist${didYouMean(name, table.constraints.keys())}`);
          return;
        }
        if (op.type !== undefined && KIND_OF_TYPE[op.type] !== c.kind) {
          this.#issue('wrong-kind', `constraint "${name}" of table ${q(op.table, op.schema)} is ${KIND_LABEL[c.kind]}, not type '${op.type}'`);
          return;
        }
        if (c.kind === 'primaryKey' || c.kind === 'unique') {
          const same = (cols: readonly string[]) => [...cols].sort().join('\u0000') === [...c.columns].sort().join('\u0000');
          const others = this.#keysOf(table).filter((k) => k !== c.columns && same(k)).length;
          if (others === 0) {
            const deps = this.#dependentForeignKeys(table, (fk) => same(fk.refColumns ?? []));
            if (deps.length > 0) this.#issue('still-used', `DROP CONSTRAINT "${name}" of table ${q(op.table, op.schema)} would also drop ${list(deps)}`);
          }
        }
        return;
      }
      case 'createTableComment':
      case 'dropTableComment':
      case 'bulkInsert': {
        const table = this.#table(op.table, op.schema);
        if (table && op.kind === 'bulkInsert') {
          const keys = new Set<string>();
          for (const row of op.rows) for (const k of Object.keys(row)) keys.add(k);
          this.#columns(table, [...keys], q(op.table, op.schema));
        }
        return;
      }
      case 'createSchema':
        if (s.schemas.has(op.name) && !op.ifNotExists) this.#issue('duplicate-schema', `schema "${op.name}" already exists`);
        return;
      case 'dropSchema': {
        if (!s.schemas.has(op.name)) {
          if (!op.ifExists) this.#schema(op.name);
          return;
        }
        if (op.cascade) return;
        const held = [
          ...s.tablesIn(op.name).map((t) => `table ${q(t.name, op.name)}`),
          ...[...s.enums.values()].filter((e) => s.schemaName(e.type.schema) === op.name).map((e) => `type ${q(e.type.name, op.name)}`),
        ];
        if (held.length > 0) this.#issue('still-used', `DROP SCHEMA "${op.name}" would also drop ${held.join(', ')}; drop ${held.length === 1 ? 'it' : 'them'} first, or use cascade: true`);
        return;
      }
      case 'createEnum':
        if (!this.#schema(op.schema)) return;
        if (s.enumType(op.name, op.schema)) this.#issue('duplicate-type', `type ${q(op.name, op.schema)} already exists`);
        return;
      case 'dropEnum': {
        if (!this.#schema(op.schema)) return;
        const e = s.enumType(op.name, op.schema);
        if (!e) {
          const names = [...s.enums.values()].filter((x) => s.schemaName(x.type.schema) === s.schemaName(op.schema)).map((x) => x.type.name);
          this.#issue('unknown-type', `type ${q(op.name, op.schema)} does not exist${didYouMean(op.name, names)}`);
          return;
        }
        if (e.uses > 0) {
          const users: string[] = [];
          for (const t of s.tables.values()) {
            for (const c of t.columns.values()) {
              if (usesEnum(c, op.name, s.schemaName(op.schema), s)) users.push(`column "${c.name}" of table ${q(t.name, t.schema)}`);
            }
          }
          this.#issue('still-used', `DROP TYPE ${q(op.name, op.schema)} would also drop ${list(users.length > 0 ? users : ['the columns that use it'])}`);
        }
        return;
      }
      case 'execute':
        // Each declared effect is checked as an op of its own (see validateEffects).
        return;
    }
  }

  /**
   * What dropping `column` takes along that it must not: indexes and constraints it shares with other
   * columns, generated columns computed from it, and foreign keys that reference it.
   */
  #dropColumnDependents(table: TableState, column: string): string[] {
    const s = this.state;
    const others = [...table.columns.keys()].filter((c) => c !== column);
    const shared = (o: IndexState | ConstraintState) => s.involves(o, column) && others.some((c) => s.involves(o, c));
    const out: string[] = [];
    for (const ix of table.indexes.values()) if (shared(ix)) out.push(`index "${ix.name}"`);
    for (const c of table.constraints.values()) if (shared(c)) out.push(`constraint "${c.name}"`);
    for (const c of table.columns.values()) {
      if (c.name !== column && c.computed && s.involves({ kind: 'check', name: '', defaultName: false, columns: [], condition: c.computed.expression }, column)) {
        out.push(`generated column "${c.name}"`);
      }
    }
    out.push(...this.#dependentForeignKeys(table, (fk) => fk.refColumns?.includes(column) === true));
    return out;
  }
}

function usesEnum(c: Column, name: string, schema: string, s: SchemaState): boolean {
  let t = c.type;
  while (t.kind === 'array') t = t.item;
  return t.kind === 'enum' && t.name === name && s.schemaName(t.schema) === schema;
}
