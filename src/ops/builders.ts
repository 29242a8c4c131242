/**
 * The authoring API that migration files import from `'sqlscribe'`: `migration`, `op.*`, `column`, `t.*`,
 * `sql`, and the table constraints. Each builder checks its arguments and returns frozen plain data
 * (`./types.ts`); a wrong argument throws a {@link UserError} naming the builder, which the loader
 * prefixes with the migration file. Signatures are those of `shared/spec/authoring.md`, which follow
 * Alembic's `op.*` operations, camelCased.
 */
import { UserError } from '../errors.js';
import { OP_KINDS } from './types.js';
import type {
  AddColumnOp,
  AlterColumnOp,
  BulkInsertOp,
  CheckConstraint,
  Column,
  Computed,
  ConstraintType,
  CreateCheckConstraintOp,
  CreateEnumOp,
  CreateForeignKeyOp,
  CreateIndexOp,
  CreatePrimaryKeyOp,
  CreateSchemaOp,
  CreateTableCommentOp,
  CreateTableOp,
  CreateUniqueConstraintOp,
  CustomType,
  DefaultValue,
  DropColumnOp,
  DropConstraintOp,
  DropEnumOp,
  DropIndexOp,
  DropSchemaOp,
  DropTableCommentOp,
  DropTableOp,
  EnumType,
  ExecuteOp,
  ExecuteText,
  ForeignKeyConstraint,
  Identity,
  Initially,
  Migration,
  Op,
  PrimaryKeyConstraint,
  ReferentialAction,
  References,
  RenameTableOp,
  RowValue,
  Sql,
  TableItem,
  TypeSpec,
  UniqueConstraint,
} from './types.js';

function fail(where: string, message: string): never {
  throw new UserError(`${where}: ${message}`);
}

function freezeDeep<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value as Record<string, unknown>)) freezeDeep(v);
    Object.freeze(value);
  }
  return value;
}

/** Drops keys whose value is `undefined`, so the data stays minimal and JSON-stable. */
function clean<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return freezeDeep(out as T);
}

function name(where: string, what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail(where, `${what} must be a non-empty string, got ${show(value)}`);
  return value;
}

function optName(where: string, what: string, value: unknown): string | undefined {
  return value === undefined ? undefined : name(where, what, value);
}

function names(where: string, what: string, value: unknown): string[] {
  if (typeof value === 'string') return [name(where, what, value)];
  if (!Array.isArray(value) || value.length === 0) fail(where, `${what} must be a non-empty array of names, got ${show(value)}`);
  return value.map((v) => name(where, what, v));
}

function optBool(where: string, what: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail(where, `${what} must be true or false, got ${show(value)}`);
  return value;
}

function optInt(where: string, what: string, value: unknown, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(where, `${what} must be an integer >= ${min}, got ${show(value)}`);
  }
  return value;
}

function options(where: string, value: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, `options must be an object, got ${show(value)}`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      fail(where, `unknown option '${key}' (allowed: ${allowed.join(', ')})`);
    }
  }
  return value as Record<string, unknown>;
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(value);
  }
}

/** True for a value made by `sql\`...\``. */
export function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'sql' && typeof (value as Sql).text === 'string';
}

function optSql(where: string, what: string, value: unknown): Sql | undefined {
  if (value === undefined) return undefined;
  if (!isSql(value)) fail(where, `${what} must be raw SQL written as sql\`...\`, got ${show(value)}`);
  return value;
}

/**
 * Marks raw SQL: a server default, a check condition, an index expression, a partial-index predicate, or
 * the text of `op.execute`. Interpolated values are pasted as written (`sql\`now() + ${'interval'}\``),
 * so use it only with trusted text. `sql('text')` works too.
 */
export function sql(strings: TemplateStringsArray | string, ...values: unknown[]): Sql {
  const text = typeof strings === 'string' ? strings : strings.reduce((acc, part, i) => acc + String(values[i - 1]) + part);
  return freezeDeep({ kind: 'sql', text });
}

const ACTIONS: readonly ReferentialAction[] = ['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION'];

function optAction(where: string, what: string, value: unknown): ReferentialAction | undefined {
  if (value === undefined) return undefined;
  const upper = typeof value === 'string' ? value.toUpperCase() : value;
  if (!ACTIONS.includes(upper as ReferentialAction)) fail(where, `${what} must be one of ${ACTIONS.join(', ')}, got ${show(value)}`);
  return upper as ReferentialAction;
}

function optInitially(where: string, value: unknown): Initially | undefined {
  if (value === undefined) return undefined;
  const upper = typeof value === 'string' ? value.toUpperCase() : value;
  if (upper !== 'DEFERRED' && upper !== 'IMMEDIATE') fail(where, `initially must be 'DEFERRED' or 'IMMEDIATE', got ${show(value)}`);
  return upper;
}

function defaultValue(where: string, value: unknown): DefaultValue | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean' || isSql(value)) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return fail(where, `serverDefault must be a string, number, boolean or sql\`...\`, got ${show(value)}`);
}

const TYPE_KINDS = new Set([
  'integer', 'bigInteger', 'smallInteger', 'string', 'text', 'boolean', 'dateTime', 'date', 'time', 'interval',
  'numeric', 'float', 'double', 'uuid', 'json', 'jsonb', 'binary', 'enum', 'array', 'custom',
]);

/** True for a value made by one of the `t.*` builders. */
export function isType(value: unknown): value is TypeSpec {
  return typeof value === 'object' && value !== null && TYPE_KINDS.has((value as { kind?: string }).kind ?? '');
}

function typeArg(where: string, value: unknown): TypeSpec {
  if (!isType(value)) fail(where, `the type must be one of t.*(), e.g. t.integer(), got ${show(value)}`);
  return value;
}

/** SQLAlchemy's generic types (spec "Columns and types"); each dialect renders them. */
export const t = {
  integer: (): TypeSpec => freezeDeep({ kind: 'integer' }),
  bigInteger: (): TypeSpec => freezeDeep({ kind: 'bigInteger' }),
  smallInteger: (): TypeSpec => freezeDeep({ kind: 'smallInteger' }),
  /** `VARCHAR(length)`; without a length `VARCHAR` (PostgreSQL) — MySQL needs one. */
  string: (length?: number): TypeSpec => clean({ kind: 'string', length: optInt('t.string', 'length', length) }),
  text: (): TypeSpec => freezeDeep({ kind: 'text' }),
  boolean: (): TypeSpec => freezeDeep({ kind: 'boolean' }),
  dateTime: (opts?: { timezone?: boolean }): TypeSpec => {
    const o = options('t.dateTime', opts, ['timezone']);
    return freezeDeep({ kind: 'dateTime', timezone: optBool('t.dateTime', 'timezone', o.timezone) ?? false });
  },
  date: (): TypeSpec => freezeDeep({ kind: 'date' }),
  time: (opts?: { timezone?: boolean }): TypeSpec => {
    const o = options('t.time', opts, ['timezone']);
    return freezeDeep({ kind: 'time', timezone: optBool('t.time', 'timezone', o.timezone) ?? false });
  },
  interval: (): TypeSpec => freezeDeep({ kind: 'interval' }),
  numeric: (precision?: number, scale?: number): TypeSpec => {
    if (scale !== undefined && precision === undefined) fail('t.numeric', 'a scale needs a precision');
    return clean({ kind: 'numeric', precision: optInt('t.numeric', 'precision', precision), scale: optInt('t.numeric', 'scale', scale, 0) });
  },
  float: (precision?: number): TypeSpec => clean({ kind: 'float', precision: optInt('t.float', 'precision', precision) }),
  double: (): TypeSpec => freezeDeep({ kind: 'double' }),
  uuid: (): TypeSpec => freezeDeep({ kind: 'uuid' }),
  json: (): TypeSpec => freezeDeep({ kind: 'json' }),
  /** `JSONB` on PostgreSQL, `JSON` where the dialect has no jsonb. */
  jsonb: (): TypeSpec => freezeDeep({ kind: 'jsonb' }),
  /** `BYTEA` on PostgreSQL; `length` is used by dialects with sized binaries. */
  binary: (length?: number): TypeSpec => clean({ kind: 'binary', length: optInt('t.binary', 'length', length) }),
  /** A named enum. On PostgreSQL: `CREATE TYPE name AS ENUM (...)` before first use, `DROP TYPE` after last. */
  enum: (values: readonly string[], opts: { name: string; schema?: string }): EnumType => {
    const o = options('t.enum', opts, ['name', 'schema']);
    const vals = names('t.enum', 'values', values);
    if (new Set(vals).size !== vals.length) fail('t.enum', `values must be distinct, got ${show(vals)}`);
    return clean({ kind: 'enum', name: name('t.enum', 'name (t.enum(values, { name }))', o.name), values: vals, schema: optName('t.enum', 'schema', o.schema) });
  },
  /** PostgreSQL arrays (`INTEGER[]`); an error on other dialects. */
  array: (item: TypeSpec): TypeSpec => freezeDeep({ kind: 'array', item: typeArg('t.array', item) }),
  /** A type written per dialect, as is: `t.custom({ postgresql: 'CITEXT', default: 'TEXT' })`. */
  custom: (spec: { postgresql?: string; sqlite?: string; mysql?: string; default: string }): CustomType => {
    const o = options('t.custom', spec, ['postgresql', 'sqlite', 'mysql', 'default']);
    return clean({
      kind: 'custom',
      postgresql: optName('t.custom', 'postgresql', o.postgresql),
      sqlite: optName('t.custom', 'sqlite', o.sqlite),
      mysql: optName('t.custom', 'mysql', o.mysql),
      default: name('t.custom', 'default', o.default),
    });
  },
};

/** The options of {@link column}. */
export interface ColumnOptions {
  nullable?: boolean;
  primaryKey?: boolean;
  autoincrement?: boolean;
  unique?: boolean;
  serverDefault?: DefaultValue;
  comment?: string;
  references?: References;
  identity?: Identity;
  computed?: Computed;
  collation?: string;
}

const COLUMN_OPTIONS = ['nullable', 'primaryKey', 'autoincrement', 'unique', 'serverDefault', 'comment', 'references', 'identity', 'computed', 'collation'];

/** A column: `column('email', t.string(255), { nullable: false, unique: true })`. */
export function column(colName: string, type: TypeSpec, opts?: ColumnOptions): Column {
  const where = `column(${show(colName)})`;
  const o = options(where, opts, COLUMN_OPTIONS);
  let references: References | undefined;
  if (o.references !== undefined) {
    const r = options(`${where} references`, o.references, ['table', 'column', 'schema', 'name', 'onDelete', 'onUpdate', 'deferrable', 'initially']);
    references = clean({
      table: name(where, 'references.table', r.table),
      column: name(where, 'references.column', r.column),
      schema: optName(where, 'references.schema', r.schema),
      name: optName(where, 'references.name', r.name),
      onDelete: optAction(where, 'references.onDelete', r.onDelete),
      onUpdate: optAction(where, 'references.onUpdate', r.onUpdate),
      deferrable: optBool(where, 'references.deferrable', r.deferrable),
      initially: optInitially(where, r.initially),
    });
  }
  let identity: Identity | undefined;
  if (o.identity !== undefined) {
    const i = options(`${where} identity`, o.identity, ['always', 'start', 'increment']);
    identity = clean({
      always: optBool(where, 'identity.always', i.always),
      start: optInt(where, 'identity.start', i.start, Number.MIN_SAFE_INTEGER),
      increment: optInt(where, 'identity.increment', i.increment, Number.MIN_SAFE_INTEGER),
    });
  }
  let computed: Computed | undefined;
  if (o.computed !== undefined) {
    const c = options(`${where} computed`, o.computed, ['expression', 'stored']);
    computed = clean({ expression: optSql(where, 'computed.expression', c.expression) ?? fail(where, 'computed needs an expression'), stored: optBool(where, 'computed.stored', c.stored) });
  }
  if (o.comment !== undefined && typeof o.comment !== 'string') fail(where, `comment must be a string, got ${show(o.comment)}`);
  return clean({
    kind: 'column',
    name: name('column', 'the column name', colName),
    type: typeArg(where, type),
    nullable: optBool(where, 'nullable', o.nullable),
    primaryKey: optBool(where, 'primaryKey', o.primaryKey),
    autoincrement: optBool(where, 'autoincrement', o.autoincrement),
    unique: optBool(where, 'unique', o.unique),
    serverDefault: defaultValue(where, o.serverDefault),
    comment: o.comment as string | undefined,
    references,
    identity,
    computed,
    collation: optName(where, 'collation', o.collation),
  });
}

/** `primaryKey(['a', 'b'], { name? })`: a composite or named primary key for `createTable`. */
export function primaryKey(columns: readonly string[], opts?: { name?: string }): PrimaryKeyConstraint {
  const o = options('primaryKey', opts, ['name']);
  return clean({ kind: 'primaryKey', columns: names('primaryKey', 'columns', columns), name: optName('primaryKey', 'name', o.name) });
}

/** `unique(['a', 'b'], { name? })`: a unique constraint for `createTable`. */
export function unique(columns: readonly string[], opts?: { name?: string; deferrable?: boolean; initially?: Initially }): UniqueConstraint {
  const o = options('unique', opts, ['name', 'deferrable', 'initially']);
  return clean({
    kind: 'unique',
    columns: names('unique', 'columns', columns),
    name: optName('unique', 'name', o.name),
    deferrable: optBool('unique', 'deferrable', o.deferrable),
    initially: optInitially('unique', o.initially),
  });
}

/** `foreignKey(['owner_id'], 'users', ['id'], { onDelete: 'CASCADE' })`: a foreign key for `createTable`. */
export function foreignKey(
  columns: readonly string[],
  refTable: string,
  refColumns: readonly string[],
  opts?: { name?: string; refSchema?: string; onDelete?: ReferentialAction; onUpdate?: ReferentialAction; deferrable?: boolean; initially?: Initially },
): ForeignKeyConstraint {
  const o = options('foreignKey', opts, ['name', 'refSchema', 'onDelete', 'onUpdate', 'deferrable', 'initially']);
  const cols = names('foreignKey', 'columns', columns);
  const refCols = names('foreignKey', 'refColumns', refColumns);
  if (cols.length !== refCols.length) fail('foreignKey', `${cols.length} local columns but ${refCols.length} referenced columns`);
  return clean({
    kind: 'foreignKey',
    columns: cols,
    refTable: name('foreignKey', 'refTable', refTable),
    refColumns: refCols,
    name: optName('foreignKey', 'name', o.name),
    refSchema: optName('foreignKey', 'refSchema', o.refSchema),
    onDelete: optAction('foreignKey', 'onDelete', o.onDelete),
    onUpdate: optAction('foreignKey', 'onUpdate', o.onUpdate),
    deferrable: optBool('foreignKey', 'deferrable', o.deferrable),
    initially: optInitially('foreignKey', o.initially),
  });
}

/** `check(sql\`price > 0\`, { name? })`: a check constraint for `createTable`. */
export function check(condition: Sql, opts?: { name?: string }): CheckConstraint {
  const o = options('check', opts, ['name']);
  return clean({ kind: 'check', condition: optSql('check', 'the condition', condition) ?? fail('check', 'the condition must be sql`...`'), name: optName('check', 'name', o.name) });
}

function tableItems(where: string, items: unknown): TableItem[] {
  if (!Array.isArray(items) || items.length === 0) fail(where, 'the second argument must be a non-empty array of column(...) and constraints');
  return items.map((item, i) => {
    const k = (item as { kind?: unknown } | null)?.kind;
    if (k === 'column' || k === 'primaryKey' || k === 'unique' || k === 'foreignKey' || k === 'check') return item as TableItem;
    return fail(where, `item ${i + 1} must be column(...), primaryKey(...), unique(...), foreignKey(...) or check(...), got ${show(item)}`);
  });
}

function columnArg(where: string, value: unknown): Column {
  if ((value as { kind?: unknown } | null)?.kind !== 'column') fail(where, `the column must be column(name, type, options), got ${show(value)}`);
  return value as Column;
}

/** The ops (spec "Ops"): each returns plain data; nothing runs until the migration is compiled. */
export const op = {
  createTable(table: string, items: readonly TableItem[], opts?: { schema?: string; comment?: string; ifNotExists?: boolean }): CreateTableOp {
    const w = `op.createTable(${show(table)})`;
    const o = options(w, opts, ['schema', 'comment', 'ifNotExists']);
    if (o.comment !== undefined && typeof o.comment !== 'string') fail(w, 'comment must be a string');
    return clean({ kind: 'createTable', table: name(w, 'the table name', table), items: tableItems(w, items), schema: optName(w, 'schema', o.schema), comment: o.comment as string | undefined, ifNotExists: optBool(w, 'ifNotExists', o.ifNotExists) });
  },
  dropTable(table: string, opts?: { schema?: string; ifExists?: boolean }): DropTableOp {
    const w = `op.dropTable(${show(table)})`;
    const o = options(w, opts, ['schema', 'ifExists']);
    return clean({ kind: 'dropTable', table: name(w, 'the table name', table), schema: optName(w, 'schema', o.schema), ifExists: optBool(w, 'ifExists', o.ifExists) });
  },
  renameTable(oldName: string, newName: string, opts?: { schema?: string }): RenameTableOp {
    const w = `op.renameTable(${show(oldName)})`;
    const o = options(w, opts, ['schema']);
    return clean({ kind: 'renameTable', table: name(w, 'the old name', oldName), newName: name(w, 'the new name', newName), schema: optName(w, 'schema', o.schema) });
  },
  addColumn(table: string, col: Column, opts?: { schema?: string; ifNotExists?: boolean }): AddColumnOp {
    const w = `op.addColumn(${show(table)})`;
    const o = options(w, opts, ['schema', 'ifNotExists']);
    return clean({ kind: 'addColumn', table: name(w, 'the table name', table), column: columnArg(w, col), schema: optName(w, 'schema', o.schema), ifNotExists: optBool(w, 'ifNotExists', o.ifNotExists) });
  },
  dropColumn(table: string, columnName: string, opts?: { schema?: string; ifExists?: boolean }): DropColumnOp {
    const w = `op.dropColumn(${show(table)})`;
    const o = options(w, opts, ['schema', 'ifExists']);
    return clean({ kind: 'dropColumn', table: name(w, 'the table name', table), column: name(w, 'the column name', columnName), schema: optName(w, 'schema', o.schema), ifExists: optBool(w, 'ifExists', o.ifExists) });
  },
  alterColumn(
    table: string,
    columnName: string,
    opts: { schema?: string; nullable?: boolean; type?: TypeSpec; using?: Sql; serverDefault?: DefaultValue | null; newName?: string; comment?: string | null },
  ): AlterColumnOp {
    const w = `op.alterColumn(${show(table)}, ${show(columnName)})`;
    const o = options(w, opts, ['schema', 'nullable', 'type', 'using', 'serverDefault', 'newName', 'comment']);
    const changes = ['nullable', 'type', 'serverDefault', 'newName', 'comment'].filter((k) => k in o && o[k] !== undefined);
    if (changes.length === 0) fail(w, 'nothing to change: give at least one of nullable, type, serverDefault, newName, comment');
    if (o.using !== undefined && o.type === undefined) fail(w, "'using' goes with a 'type' change");
    if (o.comment !== undefined && o.comment !== null && typeof o.comment !== 'string') fail(w, 'comment must be a string, or null to drop it');
    return clean({
      kind: 'alterColumn',
      table: name(w, 'the table name', table),
      column: name(w, 'the column name', columnName),
      schema: optName(w, 'schema', o.schema),
      nullable: optBool(w, 'nullable', o.nullable),
      type: o.type === undefined ? undefined : typeArg(w, o.type),
      using: optSql(w, 'using', o.using),
      serverDefault: o.serverDefault === null ? null : defaultValue(w, o.serverDefault),
      newName: optName(w, 'newName', o.newName),
      comment: o.comment as string | null | undefined,
    });
  },
  createIndex(
    indexName: string,
    table: string,
    columns: readonly (string | Sql)[],
    opts?: { schema?: string; unique?: boolean; where?: Sql; using?: string; include?: readonly string[]; concurrently?: boolean; ifNotExists?: boolean },
  ): CreateIndexOp {
    const w = `op.createIndex(${show(indexName)})`;
    const o = options(w, opts, ['schema', 'unique', 'where', 'using', 'include', 'concurrently', 'ifNotExists']);
    if (!Array.isArray(columns) || columns.length === 0) fail(w, 'columns must be a non-empty array of column names or sql`...` expressions');
    const cols = columns.map((c) => (isSql(c) ? c : name(w, 'a column', c)));
    return clean({
      kind: 'createIndex',
      name: name(w, 'the index name', indexName),
      table: name(w, 'the table name', table),
      columns: cols,
      schema: optName(w, 'schema', o.schema),
      unique: optBool(w, 'unique', o.unique),
      where: optSql(w, 'where', o.where),
      using: optName(w, 'using', o.using),
      include: o.include === undefined ? undefined : names(w, 'include', o.include),
      concurrently: optBool(w, 'concurrently', o.concurrently),
      ifNotExists: optBool(w, 'ifNotExists', o.ifNotExists),
    });
  },
  dropIndex(indexName: string, opts?: { table?: string; schema?: string; concurrently?: boolean; ifExists?: boolean }): DropIndexOp {
    const w = `op.dropIndex(${show(indexName)})`;
    const o = options(w, opts, ['table', 'schema', 'concurrently', 'ifExists']);
    return clean({
      kind: 'dropIndex',
      name: name(w, 'the index name', indexName),
      table: optName(w, 'table', o.table),
      schema: optName(w, 'schema', o.schema),
      concurrently: optBool(w, 'concurrently', o.concurrently),
      ifExists: optBool(w, 'ifExists', o.ifExists),
    });
  },
  createPrimaryKey(constraintName: string, table: string, columns: readonly string[], opts?: { schema?: string }): CreatePrimaryKeyOp {
    const w = `op.createPrimaryKey(${show(constraintName)})`;
    const o = options(w, opts, ['schema']);
    return clean({ kind: 'createPrimaryKey', name: name(w, 'the constraint name', constraintName), table: name(w, 'the table name', table), columns: names(w, 'columns', columns), schema: optName(w, 'schema', o.schema) });
  },
  createUniqueConstraint(constraintName: string, table: string, columns: readonly string[], opts?: { schema?: string; deferrable?: boolean; initially?: Initially }): CreateUniqueConstraintOp {
    const w = `op.createUniqueConstraint(${show(constraintName)})`;
    const o = options(w, opts, ['schema', 'deferrable', 'initially']);
    return clean({
      kind: 'createUniqueConstraint',
      name: name(w, 'the constraint name', constraintName),
      table: name(w, 'the table name', table),
      columns: names(w, 'columns', columns),
      schema: optName(w, 'schema', o.schema),
      deferrable: optBool(w, 'deferrable', o.deferrable),
      initially: optInitially(w, o.initially),
    });
  },
  createCheckConstraint(constraintName: string, table: string, condition: Sql, opts?: { schema?: string; notValid?: boolean }): CreateCheckConstraintOp {
    const w = `op.createCheckConstraint(${show(constraintName)})`;
    const o = options(w, opts, ['schema', 'notValid']);
    return clean({
      kind: 'createCheckConstraint',
      name: name(w, 'the constraint name', constraintName),
      table: name(w, 'the table name', table),
      condition: optSql(w, 'the condition', condition) ?? fail(w, 'the condition must be sql`...`'),
      schema: optName(w, 'schema', o.schema),
      notValid: optBool(w, 'notValid', o.notValid),
    });
  },
  createForeignKey(
    constraintName: string,
    sourceTable: string,
    referentTable: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    opts?: { sourceSchema?: string; referentSchema?: string; onDelete?: ReferentialAction; onUpdate?: ReferentialAction; deferrable?: boolean; initially?: Initially; notValid?: boolean },
  ): CreateForeignKeyOp {
    const w = `op.createForeignKey(${show(constraintName)})`;
    const o = options(w, opts, ['sourceSchema', 'referentSchema', 'onDelete', 'onUpdate', 'deferrable', 'initially', 'notValid']);
    const local = names(w, 'localColumns', localColumns);
    const remote = names(w, 'remoteColumns', remoteColumns);
    if (local.length !== remote.length) fail(w, `${local.length} local columns but ${remote.length} remote columns`);
    return clean({
      kind: 'createForeignKey',
      name: name(w, 'the constraint name', constraintName),
      sourceTable: name(w, 'the source table', sourceTable),
      referentTable: name(w, 'the referent table', referentTable),
      localColumns: local,
      remoteColumns: remote,
      sourceSchema: optName(w, 'sourceSchema', o.sourceSchema),
      referentSchema: optName(w, 'referentSchema', o.referentSchema),
      onDelete: optAction(w, 'onDelete', o.onDelete),
      onUpdate: optAction(w, 'onUpdate', o.onUpdate),
      deferrable: optBool(w, 'deferrable', o.deferrable),
      initially: optInitially(w, o.initially),
      notValid: optBool(w, 'notValid', o.notValid),
    });
  },
  dropConstraint(constraintName: string, table: string, opts?: { type?: ConstraintType; schema?: string }): DropConstraintOp {
    const w = `op.dropConstraint(${show(constraintName)})`;
    const o = options(w, opts, ['type', 'schema']);
    if (o.type !== undefined && !['foreignkey', 'unique', 'check', 'primary'].includes(o.type as string)) {
      fail(w, `type must be 'foreignkey', 'unique', 'check' or 'primary', got ${show(o.type)}`);
    }
    return clean({ kind: 'dropConstraint', name: name(w, 'the constraint name', constraintName), table: name(w, 'the table name', table), type: o.type as ConstraintType | undefined, schema: optName(w, 'schema', o.schema) });
  },
  createTableComment(table: string, comment: string, opts?: { schema?: string }): CreateTableCommentOp {
    const w = `op.createTableComment(${show(table)})`;
    const o = options(w, opts, ['schema']);
    if (typeof comment !== 'string') fail(w, 'the comment must be a string');
    return clean({ kind: 'createTableComment', table: name(w, 'the table name', table), comment, schema: optName(w, 'schema', o.schema) });
  },
  dropTableComment(table: string, opts?: { schema?: string }): DropTableCommentOp {
    const w = `op.dropTableComment(${show(table)})`;
    const o = options(w, opts, ['schema']);
    return clean({ kind: 'dropTableComment', table: name(w, 'the table name', table), schema: optName(w, 'schema', o.schema) });
  },
  createSchema(schemaName: string, opts?: { ifNotExists?: boolean }): CreateSchemaOp {
    const w = `op.createSchema(${show(schemaName)})`;
    const o = options(w, opts, ['ifNotExists']);
    return clean({ kind: 'createSchema', name: name(w, 'the schema name', schemaName), ifNotExists: optBool(w, 'ifNotExists', o.ifNotExists) });
  },
  dropSchema(schemaName: string, opts?: { ifExists?: boolean; cascade?: boolean }): DropSchemaOp {
    const w = `op.dropSchema(${show(schemaName)})`;
    const o = options(w, opts, ['ifExists', 'cascade']);
    return clean({ kind: 'dropSchema', name: name(w, 'the schema name', schemaName), ifExists: optBool(w, 'ifExists', o.ifExists), cascade: optBool(w, 'cascade', o.cascade) });
  },
  createEnum(enumName: string, values: readonly string[], opts?: { schema?: string }): CreateEnumOp {
    const w = `op.createEnum(${show(enumName)})`;
    const o = options(w, opts, ['schema']);
    const vals = names(w, 'values', values);
    if (new Set(vals).size !== vals.length) fail(w, `values must be distinct, got ${show(vals)}`);
    return clean({ kind: 'createEnum', name: name(w, 'the type name', enumName), values: vals, schema: optName(w, 'schema', o.schema) });
  },
  dropEnum(enumName: string, opts?: { schema?: string }): DropEnumOp {
    const w = `op.dropEnum(${show(enumName)})`;
    const o = options(w, opts, ['schema']);
    return clean({ kind: 'dropEnum', name: name(w, 'the type name', enumName), schema: optName(w, 'schema', o.schema) });
  },
  /**
   * Raw SQL, emitted as written (trimmed, `;` added unless present). It has no inverse. `effects` declares
   * what it does to the schema, as ops the schema model applies instead of the SQL (never rendered):
   * `op.execute(sql, { effects: [op.addColumn(...)] })`; `effects: []` says it changes no schema object.
   */
  execute(sqlText: ExecuteText, opts?: { effects?: readonly Op[] }): ExecuteOp {
    const w = 'op.execute';
    const o = options(w, opts, ['effects']);
    const effects = o.effects === undefined ? undefined : modelOps(w, 'effects', o.effects);
    const isText = (v: unknown): boolean => (typeof v === 'string' && v.trim().length > 0) || isSql(v);
    if (typeof sqlText === 'object' && sqlText !== null && !isSql(sqlText)) {
      const o = options(w, sqlText, ['postgresql', 'sqlite', 'mysql', 'default']);
      if (Object.keys(o).length === 0) fail(w, 'give the SQL for at least one dialect, or default');
      for (const [k, v] of Object.entries(o)) if (!isText(v)) fail(w, `${k} must be non-empty SQL text`);
    } else if (!isText(sqlText)) {
      fail(w, 'the SQL must be a non-empty string, sql`...`, or { postgresql?, sqlite?, mysql?, default? }');
    }
    return freezeDeep(effects === undefined ? { kind: 'execute', sql: sqlText } : { kind: 'execute', sql: sqlText, effects });
  },
  /** One INSERT per row, with only that row's keys as columns (Alembic's offline `bulk_insert`). */
  bulkInsert(table: string, rows: readonly Record<string, RowValue>[], opts?: { schema?: string }): BulkInsertOp {
    const w = `op.bulkInsert(${show(table)})`;
    const o = options(w, opts, ['schema']);
    if (!Array.isArray(rows)) fail(w, 'rows must be an array of objects');
    rows.forEach((row, i) => {
      if (row === null || typeof row !== 'object' || Array.isArray(row) || Object.keys(row).length === 0) fail(w, `row ${i + 1} must be a non-empty object`);
      for (const [k, v] of Object.entries(row)) {
        if (!(v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
          fail(w, `row ${i + 1} column '${k}' must be a string, number, boolean or null, got ${show(v)}`);
        }
      }
    });
    return clean({ kind: 'bulkInsert', table: name(w, 'the table name', table), rows: rows.map((r) => ({ ...r })), schema: optName(w, 'schema', o.schema) });
  },
};

/** Op kinds that say something about the schema: all but raw SQL and row inserts. */
const MODEL_OP_KINDS = new Set<string>(OP_KINDS.filter((k) => k !== 'execute' && k !== 'bulkInsert'));

/**
 * Checks a list of ops given to the schema model (`effects`, `assumes`): each made by `op.*`, and none
 * raw SQL or rows (they would say nothing the model can follow).
 */
function modelOps(where: string, what: string, value: unknown): Op[] {
  if (!Array.isArray(value)) fail(where, `${what} must be an array of op.*(...) values, got ${show(value)}`);
  return value.map((item, i) => {
    const k = (item as { kind?: unknown } | null)?.kind;
    if (typeof k !== 'string' || !(OP_KINDS as readonly string[]).includes(k)) fail(where, `${what} item ${i + 1} is not an op (use op.*(...)), got ${show(item)}`);
    if (!MODEL_OP_KINDS.has(k)) fail(where, `${what} item ${i + 1} is op.${k}, which says nothing about the schema — declare what it does with the other op.* (op.addColumn(...), op.createTable(...), ...)`);
    return item as Op;
  });
}

/** The fields a migration file gives to {@link migration}. */
export interface MigrationInput {
  revision: string;
  down: string | readonly string[] | null;
  message: string;
  branchLabels?: string | readonly string[];
  dependsOn?: string | readonly string[];
  transactional?: boolean;
  upgrade: readonly Op[];
  downgrade?: readonly Op[];
  /** Objects that exist before this migration without the history having made them (never rendered). */
  assumes?: readonly Op[];
}

/**
 * Declares a migration: the default export of a migration file. The fields are checked here; the
 * loader checks the graph-level rules (unique revision, existing parents) once all files are read.
 * A revision id may not contain `@ - + :` or white space (Alembic's `Revision.verify_rev_id`).
 */
export function migration(input: MigrationInput): Migration {
  const w = 'migration';
  const o = options(w, input, ['revision', 'down', 'message', 'branchLabels', 'dependsOn', 'transactional', 'upgrade', 'downgrade', 'assumes']);
  const revision = name(w, 'revision', o.revision);
  checkRevisionId(revision);
  let down: string | string[] | null;
  if (o.down === null) down = null;
  else if (typeof o.down === 'string') down = checkRevisionId(name(w, 'down', o.down));
  else if (Array.isArray(o.down) && o.down.length > 0) down = o.down.map((d) => checkRevisionId(name(w, 'down', d)));
  else return fail(w, `down must be null (a base), a revision id, or an array of revision ids (a merge point), got ${show(o.down)}`);
  if (typeof o.message !== 'string') fail(w, `message must be a string, got ${show(o.message)}`);
  const list = (key: 'upgrade' | 'downgrade'): Op[] | undefined => {
    const v = o[key];
    if (v === undefined && key === 'downgrade') return undefined;
    if (!Array.isArray(v)) return fail(w, `${key} must be an array of op.*(...) values, got ${show(v)}`);
    return v.map((item, i) => {
      if (item === null || typeof item !== 'object' || typeof (item as { kind?: unknown }).kind !== 'string') {
        fail(w, `${key} item ${i + 1} is not an op (use op.*(...)), got ${show(item)}`);
      }
      return item as Op;
    });
  };
  const labels = o.branchLabels === undefined ? undefined : names(w, 'branchLabels', o.branchLabels);
  const deps = o.dependsOn === undefined ? undefined : names(w, 'dependsOn', o.dependsOn);
  return clean({
    kind: 'migration',
    revision,
    down,
    message: o.message as string,
    branchLabels: labels,
    dependsOn: deps,
    transactional: optBool(w, 'transactional', o.transactional),
    upgrade: list('upgrade') ?? [],
    downgrade: list('downgrade'),
    assumes: o.assumes === undefined ? undefined : modelOps(w, 'assumes', o.assumes),
  });
}

/** Alembic's `Revision.verify_rev_id`, plus white space: ids go into SQL literals and file names. */
export function checkRevisionId(id: string): string {
  const bad = [...new Set(id.match(/[@\-+:\s'"\\]/g) ?? [])];
  if (bad.length > 0) {
    throw new UserError(`Character(s) '${bad.join('')}' not allowed in revision identifier '${id}'`);
  }
  return id;
}

/** Re-exported for type-only use by migration files. */
export type { Op };
