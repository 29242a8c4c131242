/**
 * The data model of a migration: ops, columns, types and table constraints.
 *
 * Everything here is plain, JSON-serialisable data with a `kind` discriminant, so a migration file
 * evaluates to a value that can be validated, cached, replayed and rendered without running user code
 * again. The builders in `./builders.ts` (`op.*`, `column`, `t.*`, `sql`...) are the only intended way to
 * make these values; names follow Alembic's operations, camelCased (`../../../shared/spec/authoring.md`).
 */

/** Raw SQL text, written by the tagged template `sql\`...\``; rendered as written, never quoted. */
export interface Sql {
  readonly kind: 'sql';
  readonly text: string;
}

/** A value that renders as a literal: strings are quoted and escaped, numbers and booleans as written. */
export type Literal = string | number | boolean;

/** A server default: a literal (`'analyst'` → `DEFAULT 'analyst'`) or raw SQL (`sql\`now()\``). */
export type DefaultValue = Literal | Sql;

/**
 * SQLAlchemy's generic types. Each dialect renders them (PostgreSQL: `string(50)` → `VARCHAR(50)`,
 * `dateTime()` → `TIMESTAMP WITHOUT TIME ZONE`, ...).
 */
export type TypeSpec =
  | { readonly kind: 'integer' }
  | { readonly kind: 'bigInteger' }
  | { readonly kind: 'smallInteger' }
  | { readonly kind: 'string'; readonly length?: number }
  | { readonly kind: 'text' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'dateTime'; readonly timezone: boolean }
  | { readonly kind: 'date' }
  | { readonly kind: 'time'; readonly timezone: boolean }
  | { readonly kind: 'interval' }
  | { readonly kind: 'numeric'; readonly precision?: number; readonly scale?: number }
  | { readonly kind: 'float'; readonly precision?: number }
  | { readonly kind: 'double' }
  | { readonly kind: 'uuid' }
  | { readonly kind: 'json' }
  | { readonly kind: 'jsonb' }
  | { readonly kind: 'binary'; readonly length?: number }
  | EnumType
  | { readonly kind: 'array'; readonly item: TypeSpec }
  | CustomType;

/** `t.enum(values, { name })`: on PostgreSQL a named type, created before first use. */
export interface EnumType {
  readonly kind: 'enum';
  readonly name: string;
  readonly values: readonly string[];
  readonly schema?: string;
}

/** `t.custom({...})`: a type written per dialect, `default` for the others. Rendered as written. */
export interface CustomType {
  readonly kind: 'custom';
  readonly postgresql?: string;
  readonly sqlite?: string;
  readonly mysql?: string;
  readonly default: string;
}

/** The kinds of {@link TypeSpec}. */
export type TypeKind = TypeSpec['kind'];

/** Referential actions for foreign keys (SQL standard spelling). */
export type ReferentialAction = 'CASCADE' | 'SET NULL' | 'SET DEFAULT' | 'RESTRICT' | 'NO ACTION';

/** `initially` of a deferrable constraint. */
export type Initially = 'DEFERRED' | 'IMMEDIATE';

/** A column-level foreign key: `column(..., { references: {...} })`. */
export interface References {
  readonly table: string;
  readonly column: string;
  readonly schema?: string;
  readonly name?: string;
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly deferrable?: boolean;
  readonly initially?: Initially;
}

/** `identity: { always?, start?, increment? }`: `GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY`. */
export interface Identity {
  readonly always?: boolean;
  readonly start?: number;
  readonly increment?: number;
}

/** `computed: { expression, stored? }`: `GENERATED ALWAYS AS (expression) STORED`. */
export interface Computed {
  readonly expression: Sql;
  readonly stored?: boolean;
}

/**
 * A column definition, as written by `column(name, type, options)`. Options left out keep their
 * defaults, which are resolved when the column is rendered: `nullable` is true unless `primaryKey`;
 * `autoincrement` is true for a single integer primary key (SQLAlchemy's "auto").
 */
export interface Column {
  readonly kind: 'column';
  readonly name: string;
  readonly type: TypeSpec;
  readonly nullable?: boolean;
  readonly primaryKey?: boolean;
  readonly autoincrement?: boolean;
  readonly unique?: boolean;
  readonly serverDefault?: DefaultValue;
  readonly comment?: string;
  readonly references?: References;
  readonly identity?: Identity;
  readonly computed?: Computed;
  readonly collation?: string;
  /**
   * Not a user option (`column()` does not take it): set by derived downgrades that restore a column
   * whose sequence has a name PostgreSQL would not choose now (its table was renamed since), or a SERIAL
   * column outside its primary key. The name of the column's sequence: with `identity`, given as its
   * `SEQUENCE NAME`; without, the column is SERIAL wherever it is — its sequence created by that name
   * (`AS` the column's integer type), the column `DEFAULT nextval(...)` and the sequence `OWNED BY` it,
   * which is what SERIAL does (PostgreSQL 15 docs, 8.1.4 "Serial Types").
   */
  readonly sequenceName?: string;
}

/** `primaryKey(columns, { name? })`. */
export interface PrimaryKeyConstraint {
  readonly kind: 'primaryKey';
  readonly columns: readonly string[];
  readonly name?: string;
}

/** `unique(columns, { name? })`. */
export interface UniqueConstraint {
  readonly kind: 'unique';
  readonly columns: readonly string[];
  readonly name?: string;
  readonly deferrable?: boolean;
  readonly initially?: Initially;
}

/** `foreignKey(columns, refTable, refColumns, {...})`. */
export interface ForeignKeyConstraint {
  readonly kind: 'foreignKey';
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly name?: string;
  readonly refSchema?: string;
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly deferrable?: boolean;
  readonly initially?: Initially;
}

/** `check(sql\`...\`, { name? })`. */
export interface CheckConstraint {
  readonly kind: 'check';
  readonly condition: Sql;
  readonly name?: string;
}

/** A table constraint given to `createTable`. */
export type Constraint = PrimaryKeyConstraint | UniqueConstraint | ForeignKeyConstraint | CheckConstraint;

/** An item of `createTable`: a column or a table constraint. */
export type TableItem = Column | Constraint;

/** Row values for `bulkInsert`. */
export type RowValue = string | number | boolean | null;

/** The text of `op.execute`: one text for all dialects, or one per dialect with `default` for the rest. */
export type ExecuteText =
  | Sql
  | string
  | { readonly postgresql?: string | Sql; readonly sqlite?: string | Sql; readonly mysql?: string | Sql; readonly default?: string | Sql };

export interface CreateTableOp {
  readonly kind: 'createTable';
  readonly table: string;
  readonly items: readonly TableItem[];
  readonly schema?: string;
  readonly comment?: string;
  readonly ifNotExists?: boolean;
}
export interface DropTableOp {
  readonly kind: 'dropTable';
  readonly table: string;
  readonly schema?: string;
  readonly ifExists?: boolean;
}
export interface RenameTableOp {
  readonly kind: 'renameTable';
  readonly table: string;
  readonly newName: string;
  readonly schema?: string;
}
export interface AddColumnOp {
  readonly kind: 'addColumn';
  readonly table: string;
  readonly column: Column;
  readonly schema?: string;
  readonly ifNotExists?: boolean;
}
export interface DropColumnOp {
  readonly kind: 'dropColumn';
  readonly table: string;
  readonly column: string;
  readonly schema?: string;
  readonly ifExists?: boolean;
}
/**
 * `alterColumn`: only the keys present are changed. `serverDefault: null` and `comment: null` drop the
 * default / comment; `using` is PostgreSQL's `USING` expression for a type change.
 */
export interface AlterColumnOp {
  readonly kind: 'alterColumn';
  readonly table: string;
  readonly column: string;
  readonly schema?: string;
  readonly nullable?: boolean;
  readonly type?: TypeSpec;
  readonly using?: Sql;
  readonly serverDefault?: DefaultValue | null;
  readonly newName?: string;
  readonly comment?: string | null;
  /**
   * With `type`: the column's collation after the change (`ALTER COLUMN ... TYPE ... COLLATE ...`); without
   * it the column gets its new type's default collation (PostgreSQL 15 docs, ALTER TABLE, SET DATA TYPE).
   * Not a user option (`op.alterColumn` does not take it): set by derived downgrades, which give a
   * collated column its collation back.
   */
  readonly collation?: string;
}
export interface CreateIndexOp {
  readonly kind: 'createIndex';
  readonly name: string;
  readonly table: string;
  readonly columns: readonly (string | Sql)[];
  readonly schema?: string;
  readonly unique?: boolean;
  readonly where?: Sql;
  readonly using?: string;
  readonly include?: readonly string[];
  readonly concurrently?: boolean;
  readonly ifNotExists?: boolean;
}
export interface DropIndexOp {
  readonly kind: 'dropIndex';
  readonly name: string;
  readonly table?: string;
  readonly schema?: string;
  readonly concurrently?: boolean;
  readonly ifExists?: boolean;
}
export interface CreatePrimaryKeyOp {
  readonly kind: 'createPrimaryKey';
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly schema?: string;
}
export interface CreateUniqueConstraintOp {
  readonly kind: 'createUniqueConstraint';
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly schema?: string;
  readonly deferrable?: boolean;
  readonly initially?: Initially;
}
export interface CreateCheckConstraintOp {
  readonly kind: 'createCheckConstraint';
  readonly name: string;
  readonly table: string;
  readonly condition: Sql;
  readonly schema?: string;
  readonly notValid?: boolean;
}
export interface CreateForeignKeyOp {
  readonly kind: 'createForeignKey';
  readonly name: string;
  readonly sourceTable: string;
  readonly referentTable: string;
  readonly localColumns: readonly string[];
  readonly remoteColumns: readonly string[];
  readonly sourceSchema?: string;
  readonly referentSchema?: string;
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly deferrable?: boolean;
  readonly initially?: Initially;
  readonly notValid?: boolean;
}
/** The constraint types `dropConstraint` accepts (Alembic's `type_`). */
export type ConstraintType = 'foreignkey' | 'unique' | 'check' | 'primary';
export interface DropConstraintOp {
  readonly kind: 'dropConstraint';
  readonly name: string;
  readonly table: string;
  readonly type?: ConstraintType;
  readonly schema?: string;
}
export interface CreateTableCommentOp {
  readonly kind: 'createTableComment';
  readonly table: string;
  readonly comment: string;
  readonly schema?: string;
}
export interface DropTableCommentOp {
  readonly kind: 'dropTableComment';
  readonly table: string;
  readonly schema?: string;
}
export interface CreateSchemaOp {
  readonly kind: 'createSchema';
  readonly name: string;
  readonly ifNotExists?: boolean;
}
export interface DropSchemaOp {
  readonly kind: 'dropSchema';
  readonly name: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
}
export interface CreateEnumOp {
  readonly kind: 'createEnum';
  readonly name: string;
  readonly values: readonly string[];
  readonly schema?: string;
}
export interface DropEnumOp {
  readonly kind: 'dropEnum';
  readonly name: string;
  readonly schema?: string;
}
/**
 * `op.execute(sql, { effects? })`. The SQL is rendered as written and is opaque to the schema model.
 * `effects` declares what it did to the schema, as ops that the model applies in its place and that are
 * never rendered: `[op.addColumn(...)]`, or `[]` for SQL that changes no table, column, constraint,
 * index, type or schema. Without `effects`, SQL that may change the schema leaves the model stale from
 * that point on (README "Raw SQL and effects").
 */
export interface ExecuteOp {
  readonly kind: 'execute';
  readonly sql: ExecuteText;
  readonly effects?: readonly Op[];
}
export interface BulkInsertOp {
  readonly kind: 'bulkInsert';
  readonly table: string;
  readonly rows: readonly Readonly<Record<string, RowValue>>[];
  readonly schema?: string;
}

/** Every op of the spec's op table. */
export type Op =
  | CreateTableOp
  | DropTableOp
  | RenameTableOp
  | AddColumnOp
  | DropColumnOp
  | AlterColumnOp
  | CreateIndexOp
  | DropIndexOp
  | CreatePrimaryKeyOp
  | CreateUniqueConstraintOp
  | CreateCheckConstraintOp
  | CreateForeignKeyOp
  | DropConstraintOp
  | CreateTableCommentOp
  | DropTableCommentOp
  | CreateSchemaOp
  | DropSchemaOp
  | CreateEnumOp
  | DropEnumOp
  | ExecuteOp
  | BulkInsertOp;

/** The op names (`'createTable'`, ...). */
export type OpKind = Op['kind'];

/** Every op kind, in the spec's table order. */
export const OP_KINDS: readonly OpKind[] = [
  'createTable',
  'dropTable',
  'renameTable',
  'addColumn',
  'dropColumn',
  'alterColumn',
  'createIndex',
  'dropIndex',
  'createPrimaryKey',
  'createUniqueConstraint',
  'createCheckConstraint',
  'createForeignKey',
  'dropConstraint',
  'createTableComment',
  'dropTableComment',
  'createSchema',
  'dropSchema',
  'createEnum',
  'dropEnum',
  'execute',
  'bulkInsert',
];

/**
 * A migration, the default export of a migration file (`migration({...})`).
 * `down` is Alembic's `down_revision`: `null` for a base, an array for a merge point.
 * `downgrade` left out means "derive it from `upgrade`". `assumes` declares objects that exist before
 * it without the history having made them (README "Raw SQL and effects").
 */
export interface Migration {
  readonly kind: 'migration';
  readonly revision: string;
  readonly down: string | readonly string[] | null;
  readonly message: string;
  readonly branchLabels?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly transactional?: boolean;
  readonly upgrade: readonly Op[];
  readonly downgrade?: readonly Op[];
  /**
   * What exists before this migration without the history having made it (a table that predates the
   * migrations, a schema made by the DBA): ops the schema model applies before `upgrade`, never rendered.
   */
  readonly assumes?: readonly Op[];
}
