/**
 * Op → PostgreSQL statements. Every decision (quoting, defaults, SERIAL, names, order of statements) is
 * made here; the templates under `templates/postgresql/` only lay out the resolved, already-quoted values.
 * The output follows what Alembic's `PostgresqlImpl` and SQLAlchemy's PostgreSQL DDL compiler emit in
 * `--sql` mode, without their trailing spaces (see `README.md` of this folder for the departures).
 */
import { UserError } from '../../errors.js';
import type {
  AddColumnOp,
  AlterColumnOp,
  BulkInsertOp,
  CreateCheckConstraintOp,
  CreateEnumOp,
  CreateForeignKeyOp,
  CreateIndexOp,
  CreatePrimaryKeyOp,
  CreateSchemaOp,
  CreateTableCommentOp,
  CreateTableOp,
  CreateUniqueConstraintOp,
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
  Identity,
  Op,
  RenameTableOp,
  TypeSpec,
} from '../../ops/types.js';
import { conventionalName, type ConventionKey } from '../naming.js';
import { compileNamed, describeOp, dispatchOp, OpRenderer, type ConstraintView, type OpMethods } from '../render.js';
import type { CompileContext, NamingConvention, Statement } from '../types.js';
import { defaultExpression, isSqlValue, literal, MAX_IDENTIFIER_BYTES, qualify, quoteIdentifier, quoteString } from './quoting.js';
import { enumsUsed, resolveAddColumn, resolveTable, sqlText, type ResolvedColumn, type ResolvedConstraint } from './table.js';
import { renderType, serialType } from './types.js';

/** What the `column` partial lays out. */
export interface ColumnView {
  readonly name: string;
  readonly type: string;
  readonly collation: string | null;
  readonly default: string | null;
  readonly computed: string | null;
  readonly identity: { readonly always: boolean; readonly options: string | null } | null;
  readonly notNull: boolean;
}

/** What the `constraint` partial lays out (`../render.ts`). */
export type { ConstraintView };

/** How errors name an op (`op.createTable("users")`): the same for every dialect (`../render.ts`). */
export { describeOp };

/**
 * The statements for one op, in order (the `Dialect.compileOp` of PostgreSQL).
 * @throws UserError naming PostgreSQL and the op for what PostgreSQL cannot do.
 */
export function compileOp(op: Op, ctx: CompileContext): Statement[] {
  return compileNamed(op, (where) => dispatchOp(op, new Renderer(ctx, where), 'PostgreSQL: '));
}

class Renderer extends OpRenderer implements OpMethods {
  get #convention(): NamingConvention | undefined {
    return this.ctx.namingConvention;
  }

  /** `--idempotent` (CompileContext.idempotent): render DDL that is harmless to run again. */
  get #idempotent(): boolean {
    return this.ctx.idempotent === true;
  }

  /**
   * `--idempotent`: replaces the statements emitted since `from` by one `DO` block that runs them only
   * when `condition` (a boolean SQL expression over the catalogs) holds (PostgreSQL 15 docs, SQL
   * Commands: DO; PL/pgSQL 43.6.4 "Conditionals"). Template `guarded.sql`.
   */
  #guarded(from: number, condition: string): void {
    const statements = this.out.splice(from).map((st) => st.sql);
    if (statements.length === 0) return;
    const tag = dollarTag('sqlscribe', [condition, ...statements]);
    this.out.push({ sql: this.ctx.templates.render('guarded.sql', { tag, condition, statements }).trim() });
  }

  /** PostgreSQL 15 docs, SQL Commands: CREATE TYPE (enumerated types), for each enum not yet in the schema. */
  #createEnums(enums: readonly EnumType[]): void {
    for (const e of enums) if (!this.ctx.enumExists(e)) this.#createType(e.name, e.schema, e.values);
  }

  #createType(name: string, schema: string | undefined, values: readonly string[]): void {
    for (const v of values) {
      // PostgreSQL 15 docs, 8.7.4: "An enum value occupies four bytes on disk. The length of an enum value's
      // textual label is limited by the NAMEDATALEN setting compiled into PostgreSQL" (63 bytes).
      if (Buffer.byteLength(v, 'utf8') > MAX_IDENTIFIER_BYTES) this.fail(`enum "${name}": value ${JSON.stringify(v)} is longer than PostgreSQL's 63 bytes`);
    }
    const from = this.out.length;
    this.emit('createType', { name: qualify(name, schema), values: values.map(quoteString) });
    if (this.#idempotent) this.#guarded(from, `to_regtype(${quoteString(qualify(name, schema))}) IS NULL`);
  }

  #columnView(rc: ResolvedColumn, schema: string | undefined): ColumnView {
    const c = rc.column;
    // A SERIAL column whose sequence has a given name: what SERIAL does, spelled out (see #namedSequences).
    const named = rc.serial && c.sequenceName !== undefined;
    return {
      name: quoteIdentifier(c.name),
      type: rc.serial && !named ? serialType(c.type) : renderType(c.type),
      collation: c.collation === undefined ? null : `"${c.collation.replace(/"/g, '""')}"`,
      default: named
        ? `nextval(${quoteString(qualify(c.sequenceName!, schema))}::regclass)`
        : rc.serial || c.serverDefault === undefined
          ? null
          : this.#default(c.serverDefault, `column "${c.name}" serverDefault`),
      computed: c.computed === undefined ? null : sqlText(c.computed.expression.text, this.where, `column "${c.name}" computed.expression`),
      identity:
        c.identity === undefined
          ? null
          : { always: c.identity.always === true, options: this.#identityOptions(c.identity, c.name, c.sequenceName === undefined ? undefined : qualify(c.sequenceName, schema)) },
      // SQLAlchemy writes no NOT NULL for an identity column: PostgreSQL makes it NOT NULL itself.
      notNull: !rc.nullable && c.identity === undefined,
    };
  }

  #default(value: DefaultValue, what: string): string {
    return isSqlValue(value) ? sqlText(value.text, this.where, what) : defaultExpression(value);
  }

  /**
   * SQLAlchemy's `get_identity_options` order: INCREMENT BY, then START WITH; a given sequence name first,
   * as pg_dump writes it (PostgreSQL 15 docs, CREATE TABLE, GENERATED ... AS IDENTITY [ ( sequence_options ) ]).
   */
  #identityOptions(identity: Identity, column: string, sequenceName?: string): string | null {
    const parts: string[] = [];
    if (sequenceName !== undefined) parts.push(`SEQUENCE NAME ${sequenceName}`);
    if (identity.increment !== undefined) {
      if (identity.increment === 0) this.fail(`column "${column}": PostgreSQL identity increment must not be zero`);
      parts.push(`INCREMENT BY ${identity.increment}`);
    }
    if (identity.start !== undefined) parts.push(`START WITH ${identity.start}`);
    return parts.length === 0 ? null : parts.join(' ');
  }

  #constraintView(c: ResolvedConstraint): ConstraintView {
    return {
      body: c.kind,
      name: c.name === undefined ? null : quoteIdentifier(c.name),
      columns: c.columns.map(quoteIdentifier),
      condition: c.condition ?? null,
      refTable: c.refTable === undefined ? null : qualify(c.refTable, c.refSchema),
      refColumns: (c.refColumns ?? []).map(quoteIdentifier),
      onDelete: c.onDelete ?? null,
      onUpdate: c.onUpdate ?? null,
      deferrable: c.deferrable === true,
      notDeferrable: c.deferrable === false,
      initially: c.initially ?? null,
    };
  }

  #addConstraint(table: string, schema: string | undefined, c: ResolvedConstraint, notValid = false): void {
    this.emit('addConstraint', { table: qualify(table, schema), constraint: this.#constraintView(c), notValid });
  }

  /** An explicit constraint op; `--idempotent` guards it by the constraint's absence from `pg_constraint`. */
  #addNamedConstraint(table: string, schema: string | undefined, c: ResolvedConstraint & { name: string }, notValid = false): void {
    const from = this.out.length;
    this.#addConstraint(table, schema, c, notValid);
    if (this.#idempotent) {
      this.#guarded(from, `NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(${quoteString(qualify(table, schema))}) AND conname = ${quoteString(c.name)})`);
    }
  }

  #comment(table: string, schema: string | undefined, column: string | null, comment: string | null): void {
    this.emit('commentOn', {
      table: qualify(table, schema),
      column: column === null ? null : `${qualify(table, schema)}.${quoteIdentifier(column)}`,
      comment: comment === null ? null : quoteString(comment),
    });
  }

  /** A name given to an explicit op, through the naming convention (changed only by `%(constraint_name)s`). */
  #explicitName(key: ConventionKey, name: string, table: string | undefined, schema: string | undefined, columns?: readonly string[], referred?: { table: string; columns: readonly string[] }): string {
    return (
      conventionalName(
        this.#convention,
        { key, name, table, schema, columns, referredTable: referred?.table, referredColumns: referred?.columns },
        { maxIdentifierLength: MAX_IDENTIFIER_BYTES, where: this.where },
      ) ?? name
    );
  }

  /**
   * The sequences of SERIAL columns with a `sequenceName` (only derived downgrades give one): emits
   * `CREATE SEQUENCE ... AS <type>` now, and returns what emits `ALTER SEQUENCE ... OWNED BY` once the
   * column exists — PostgreSQL 15 docs, 8.1.4 "Serial Types", where SERIAL is defined as exactly this
   * (with the column `DEFAULT nextval(...)`, see #columnView).
   */
  #namedSequences(columns: readonly ResolvedColumn[], table: string, schema: string | undefined): () => void {
    const named = columns.filter((c) => c.serial && c.column.sequenceName !== undefined);
    for (const c of named) this.emit('createSequence', { name: qualify(c.column.sequenceName!, schema), type: renderType(c.column.type) });
    return () => {
      for (const c of named) this.emit('alterSequenceOwnedBy', { name: qualify(c.column.sequenceName!, schema), column: `${qualify(table, schema)}.${quoteIdentifier(c.column.name)}` });
    };
  }

  /** PostgreSQL 15 docs, SQL Commands: CREATE TABLE; COMMENT. */
  createTable(op: CreateTableOp): Statement[] {
    const t = resolveTable(op, this.#convention, this.where);
    this.#createEnums(enumsUsed(t.columns.map((c) => c.column), this.where));
    const sequences = this.#namedSequences(t.columns, op.table, op.schema);
    const items = [
      ...t.columns.map((c) => ({ column: this.#columnView(c, op.schema), constraint: null })),
      ...t.constraints.map((c) => ({ column: null, constraint: this.#constraintView(c) })),
    ];
    this.emit('createTable', { ifNotExists: op.ifNotExists === true || this.#idempotent, table: qualify(op.table, op.schema), items });
    sequences();
    if (op.comment) this.#comment(op.table, op.schema, null, op.comment);
    for (const c of t.columns) if (c.column.comment) this.#comment(op.table, op.schema, c.column.name, c.column.comment);
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: DROP TABLE. */
  dropTable(op: DropTableOp): Statement[] {
    this.emit('dropTable', { ifExists: op.ifExists === true || this.#idempotent, table: qualify(op.table, op.schema) });
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: ALTER TABLE, RENAME TO (the new name takes no schema). */
  renameTable(op: RenameTableOp): Statement[] {
    this.emit(this.#idempotent ? 'renameTableIfExists' : 'renameTable', { table: qualify(op.table, op.schema), newName: quoteIdentifier(op.newName) });
    return this.done();
  }

  /**
   * PostgreSQL 15 docs, SQL Commands: ALTER TABLE, ADD COLUMN; then, as Alembic, the column's constraints
   * as `ALTER TABLE ... ADD` statements (primary key, unique, foreign key) and its comment.
   */
  addColumn(op: AddColumnOp): Statement[] {
    const resolved = resolveAddColumn(op, this.#convention, this.where);
    this.#createEnums(enumsUsed([op.column], this.where));
    const from = this.out.length;
    const sequences = this.#namedSequences([resolved.column], op.table, op.schema);
    // --idempotent: IF NOT EXISTS alone would add the column's unnamed constraints (or a named sequence)
    // again on a re-run, so then the whole op is guarded by the column's absence.
    const wrap = this.#idempotent && (resolved.constraints.length > 0 || this.out.length > from);
    const ifNotExists = op.ifNotExists === true || (this.#idempotent && !wrap);
    this.emit('addColumn', { table: qualify(op.table, op.schema), ifNotExists, column: this.#columnView(resolved.column, op.schema) });
    sequences();
    for (const c of resolved.constraints) this.#addConstraint(op.table, op.schema, c);
    if (op.column.comment) this.#comment(op.table, op.schema, op.column.name, op.column.comment);
    if (wrap) this.#guarded(from, `NOT ${columnExists(op.table, op.schema, op.column.name)}`);
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: ALTER TABLE, DROP COLUMN. */
  dropColumn(op: DropColumnOp): Statement[] {
    this.emit('dropColumn', { table: qualify(op.table, op.schema), ifExists: op.ifExists === true || this.#idempotent, column: quoteIdentifier(op.column) });
    return this.done();
  }

  /**
   * PostgreSQL 15 docs, SQL Commands: ALTER TABLE (ALTER COLUMN ... TYPE / SET|DROP NOT NULL /
   * SET|DROP DEFAULT, RENAME); COMMENT. One statement per change, in Alembic's `PostgresqlImpl.alter_column`
   * order: type, nullable, server default, comment, and the new name last.
   */
  alterColumn(op: AlterColumnOp): Statement[] {
    const table = qualify(op.table, op.schema);
    const column = quoteIdentifier(op.column);
    if (op.type !== undefined) this.#createEnums(enumsFromType(op.type, this.where));
    const from = this.out.length;
    if (op.type !== undefined) {
      this.emit('alterColumnType', {
        table,
        column,
        type: renderType(op.type),
        collation: op.collation === undefined ? null : `"${op.collation.replace(/"/g, '""')}"`,
        using: op.using === undefined ? null : sqlText(op.using.text, this.where, 'using'),
      });
    } else if (op.using !== undefined) {
      this.fail("'using' goes with a 'type' change");
    }
    if (op.nullable !== undefined) this.emit('alterColumnNullable', { table, column, nullable: op.nullable });
    if (op.serverDefault !== undefined) {
      this.emit('alterColumnDefault', {
        table,
        column,
        default: op.serverDefault === null ? null : this.#default(op.serverDefault, 'serverDefault'),
      });
    }
    if (op.comment !== undefined) this.#comment(op.table, op.schema, op.column, op.comment);
    if (op.newName !== undefined) this.emit('renameColumn', { table, column, newName: quoteIdentifier(op.newName) });
    // --idempotent: after a rename the old name is gone, so a re-run skips the whole op. Without a rename
    // every ALTER COLUMN form sets a state and is harmless to repeat.
    if (this.#idempotent && op.newName !== undefined) this.#guarded(from, columnExists(op.table, op.schema, op.column));
    return this.done();
  }

  /**
   * PostgreSQL 15 docs, SQL Commands: CREATE INDEX. Column names are quoted; `sql` expressions are put in
   * parentheses, which PostgreSQL requires around any expression that is not a bare function call.
   * `concurrently` cannot run in a transaction block: the statement is marked `autocommit`.
   */
  createIndex(op: CreateIndexOp): Statement[] {
    let using: string | null = null;
    if (op.using !== undefined) {
      if (!/^\w+$/.test(op.using)) this.fail(`using must be the name of an index method such as btree, hash, gist, gin, brin; got ${JSON.stringify(op.using)}`);
      using = op.using.toLowerCase();
    }
    const plain = op.columns.every((c) => typeof c === 'string');
    const name = this.#explicitName('ix', op.name, op.table, op.schema, plain ? (op.columns as string[]) : undefined);
    if (op.concurrently === true && this.#idempotent) {
      // A failed concurrent build leaves an INVALID index (PostgreSQL 15 docs, CREATE INDEX, "Building
      // Indexes Concurrently"); a re-run drops only such a leftover and keeps a valid index.
      this.emit('dropInvalidIndex', { tag: dollarTag('sqlscribe', [name]), name: qualify(name, op.schema), nameLiteral: quoteString(name), schemaLiteral: op.schema === undefined ? null : quoteString(op.schema) }, true);
    } else if (op.concurrently === true && op.ifNotExists !== true && !this.ctx.table(op.table, op.schema)?.indexes.has(name)) {
      // The index did not exist before: whatever has its name is the INVALID leftover of a failed
      // concurrent build of this very op, which would make the re-run fail.
      this.emit('dropIndex', { concurrently: true, ifExists: true, name: qualify(name, op.schema) }, true);
    }
    this.emit(
      'createIndex',
      {
        unique: op.unique === true,
        concurrently: op.concurrently === true,
        ifNotExists: op.ifNotExists === true || this.#idempotent,
        name: quoteIdentifier(name),
        table: qualify(op.table, op.schema),
        using,
        columns: op.columns.map((c) => (typeof c === 'string' ? quoteIdentifier(c) : `(${sqlText(c.text, this.where, 'an index expression')})`)),
        include: op.include === undefined ? null : op.include.map(quoteIdentifier),
        where: op.where === undefined ? null : sqlText(op.where.text, this.where, 'where'),
      },
      op.concurrently === true,
    );
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: DROP INDEX (the index is named in its schema; the table is not needed). */
  dropIndex(op: DropIndexOp): Statement[] {
    const name = this.#explicitName('ix', op.name, op.table, op.schema);
    this.emit(
      'dropIndex',
      { concurrently: op.concurrently === true, ifExists: op.ifExists === true || this.#idempotent, name: qualify(name, op.schema) },
      op.concurrently === true,
    );
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: ALTER TABLE, ADD table_constraint (PRIMARY KEY). */
  createPrimaryKey(op: CreatePrimaryKeyOp): Statement[] {
    const name = this.#explicitName('pk', op.name, op.table, op.schema, op.columns);
    this.#addNamedConstraint(op.table, op.schema, { kind: 'primaryKey', name, columns: op.columns, origin: 'table' });
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: ALTER TABLE, ADD table_constraint (UNIQUE, DEFERRABLE, INITIALLY). */
  createUniqueConstraint(op: CreateUniqueConstraintOp): Statement[] {
    if (op.deferrable === false && op.initially === 'DEFERRED') this.fail("initially: 'DEFERRED' needs a deferrable constraint (deferrable: false contradicts it)");
    const name = this.#explicitName('uq', op.name, op.table, op.schema, op.columns);
    this.#addNamedConstraint(op.table, op.schema, {
      kind: 'unique',
      name,
      columns: op.columns,
      deferrable: op.deferrable,
      initially: op.initially,
      origin: 'table',
    });
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: ALTER TABLE, ADD table_constraint (CHECK) [NOT VALID]. */
  createCheckConstraint(op: CreateCheckConstraintOp): Statement[] {
    const name = this.#explicitName('ck', op.name, op.table, op.schema, []);
    this.#addNamedConstraint(
      op.table,
      op.schema,
      { kind: 'check', name, columns: [], condition: sqlText(op.condition.text, this.where, 'the condition'), origin: 'table' },
      op.notValid === true,
    );
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: ALTER TABLE, ADD table_constraint (FOREIGN KEY) [NOT VALID]. */
  createForeignKey(op: CreateForeignKeyOp): Statement[] {
    if (op.deferrable === false && op.initially === 'DEFERRED') this.fail("initially: 'DEFERRED' needs a deferrable constraint (deferrable: false contradicts it)");
    const name = this.#explicitName('fk', op.name, op.sourceTable, op.sourceSchema, op.localColumns, { table: op.referentTable, columns: op.remoteColumns });
    this.#addNamedConstraint(
      op.sourceTable,
      op.sourceSchema,
      {
        kind: 'foreignKey',
        name,
        columns: op.localColumns,
        refTable: op.referentTable,
        refSchema: op.referentSchema,
        refColumns: op.remoteColumns,
        onDelete: op.onDelete,
        onUpdate: op.onUpdate,
        deferrable: op.deferrable,
        initially: op.initially,
        origin: 'table',
      },
      op.notValid === true,
    );
    return this.done();
  }

  /**
   * PostgreSQL 15 docs, SQL Commands: ALTER TABLE, DROP CONSTRAINT. With a `type`, the name goes through
   * the naming convention of that kind, as Alembic's `drop_constraint` does.
   */
  dropConstraint(op: DropConstraintOp): Statement[] {
    const keys = { foreignkey: 'fk', unique: 'uq', check: 'ck', primary: 'pk' } as const;
    const name = op.type === undefined ? op.name : this.#explicitName(keys[op.type], op.name, op.table, op.schema);
    this.emit('dropConstraint', { table: qualify(op.table, op.schema), name: quoteIdentifier(name), ifExists: this.#idempotent });
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: COMMENT (ON TABLE). */
  createTableComment(op: CreateTableCommentOp): Statement[] {
    this.#comment(op.table, op.schema, null, op.comment);
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: COMMENT (`IS NULL` drops it). */
  dropTableComment(op: DropTableCommentOp): Statement[] {
    this.#comment(op.table, op.schema, null, null);
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: CREATE SCHEMA. */
  createSchema(op: CreateSchemaOp): Statement[] {
    this.emit('createSchema', { ifNotExists: op.ifNotExists === true || this.#idempotent, name: quoteIdentifier(op.name) });
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: DROP SCHEMA. */
  dropSchema(op: DropSchemaOp): Statement[] {
    this.emit('dropSchema', { ifExists: op.ifExists === true || this.#idempotent, name: quoteIdentifier(op.name), cascade: op.cascade === true });
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: CREATE TYPE (AS ENUM). Always emitted: the op asks for it. */
  createEnum(op: CreateEnumOp): Statement[] {
    this.#createType(op.name, op.schema, op.values);
    return this.done();
  }

  /** PostgreSQL 15 docs, SQL Commands: DROP TYPE. */
  dropEnum(op: DropEnumOp): Statement[] {
    this.emit('dropType', { name: qualify(op.name, op.schema), ifExists: this.#idempotent });
    return this.done();
  }

  /**
   * Raw SQL: the `postgresql` text, else `default` (a plain string or `sql` is for every dialect),
   * trimmed, one trailing `;` removed (the script adds it).
   */
  execute(op: ExecuteOp): Statement[] {
    const s = op.sql;
    let chosen: unknown;
    if (typeof s === 'string' || isSqlValue(s)) chosen = s;
    else chosen = s.postgresql ?? s.default;
    if (chosen === undefined) throw new UserError('op.execute has no SQL for postgresql (give postgresql: or default:)');
    const raw = typeof chosen === 'string' ? chosen : isSqlValue(chosen) ? chosen.text : '';
    const text = raw.trim().replace(/;$/, '').trimEnd();
    if (text.length === 0) this.fail('the SQL for postgresql is empty');
    this.emit('execute', { sql: text });
    return this.done();
  }

  /**
   * PostgreSQL 15 docs, SQL Commands: INSERT. One statement per row, with that row's keys as the columns,
   * in the row's key order, values as literals (Alembic's offline `bulk_insert`).
   */
  bulkInsert(op: BulkInsertOp): Statement[] {
    return this.insertRows(qualify(op.table, op.schema), op.rows, quoteIdentifier, literal);
  }
}

/** A boolean SQL expression: the column exists in the table (`pg_attribute`, dropped columns excluded). */
function columnExists(table: string, schema: string | undefined, column: string): string {
  return `EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(${quoteString(qualify(table, schema))}) AND attname = ${quoteString(column)} AND attnum > 0 AND NOT attisdropped)`;
}

/** A dollar-quote tag `$<base>$` (or `$<base>_<n>$`) that occurs in none of `texts` (PostgreSQL 15 docs, 4.1.2.4). */
function dollarTag(base: string, texts: readonly string[]): string {
  for (let n = 0; ; n++) {
    const tag = n === 0 ? `$${base}$` : `$${base}_${n}$`;
    if (!texts.some((t) => t.includes(tag))) return tag;
  }
}

function enumsFromType(type: TypeSpec, where: string): EnumType[] {
  return enumsUsed([{ kind: 'column', name: '', type }], where);
}
