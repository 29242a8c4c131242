/**
 * Op → MySQL/MariaDB statements. Every decision (quoting, defaults, AUTO_INCREMENT, names, what MySQL
 * lacks) is made here; the templates under `templates/mysql/` (and `templates/mariadb/` for MariaDB's
 * own syntax) only lay out resolved, already-quoted values. The statements follow what Alembic's
 * `MySQLImpl` and SQLAlchemy's MySQL DDL compiler emit in `--sql` mode, with the departures listed in
 * `README.md` of this folder. Column changes restate the whole column (`MODIFY COLUMN`) from the schema
 * model (`ctx.table`), which is what Alembic asks the user to restate with `existing_type=` etc.
 */
import { UserError } from '../../errors.js';
import type {
  AddColumnOp,
  AlterColumnOp,
  BulkInsertOp,
  Column,
  CreateCheckConstraintOp,
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
  DropIndexOp,
  DropSchemaOp,
  DropTableCommentOp,
  DropTableOp,
  ExecuteOp,
  Op,
  RenameTableOp,
} from '../../ops/types.js';
import { mentionsColumn, type TableState } from '../../state/schema.js';
import { conventionalName, type ConventionKey } from '../naming.js';
import { compileNamed, dispatchOp, OpRenderer, type ConstraintView as SharedConstraintView, type OpMethods } from '../render.js';
import type { CompileContext, Statement } from '../types.js';
import { defaultExpression, isSqlValue, literal, MAX_IDENTIFIER_LENGTH, qualify, quoteIdentifier, quoteString } from './quoting.js';
import { checkConstraintOptions, display, resolveAddColumn, resolveTable, sqlText, type MysqlFlavour, type ResolvedColumn, type ResolvedConstraint } from './table.js';
import { isIntegerType, needsExpressionDefault, renderType } from './types.js';

/** What the `column` partial lays out. */
export interface ColumnView {
  readonly name: string;
  readonly type: string;
  readonly collation: string | null;
  /** `GENERATED ALWAYS AS (<computed>) STORED|VIRTUAL`. */
  readonly computed: string | null;
  readonly stored: boolean;
  readonly notNull: boolean;
  /** Writes `NULL` (a nullable TIMESTAMP, as SQLAlchemy; every nullable column of a MODIFY, as Alembic). */
  readonly explicitNull: boolean;
  readonly default: string | null;
  readonly autoIncrement: boolean;
  /** `PRIMARY KEY` in the column definition (addColumn of a primary key column). */
  readonly primaryKey: boolean;
  readonly comment: string | null;
}

/** What the `constraint` partial lays out (`../render.ts`): MySQL has no deferrable constraints. */
export type ConstraintView = Omit<SharedConstraintView, 'deferrable' | 'notDeferrable' | 'initially'>;

/**
 * The statements for one op (the `Dialect.compileOp` of `mysql` and `mariadb`).
 * @throws UserError naming the dialect and the op for what it cannot do.
 */
export function compileOp(flavour: MysqlFlavour, op: Op, ctx: CompileContext): Statement[] {
  return compileNamed(op, (where) => dispatchOp(op, new Renderer(flavour, ctx, where), ''));
}

const REFERENTIAL_ACTIONS = new Set(['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION']);

class Renderer extends OpRenderer implements OpMethods {
  readonly #D: string;

  constructor(
    readonly flavour: MysqlFlavour,
    ctx: CompileContext,
    where: string,
  ) {
    super(ctx, where);
    this.#D = display(flavour);
  }

  /** A MariaDB-only clause (`IF [NOT] EXISTS` on columns and indexes): an error on MySQL. */
  #mariadbOnly(flag: boolean | undefined, what: string): boolean {
    if (flag !== true) return false;
    if (this.flavour !== 'mariadb') this.fail(`MySQL has no ${what} (MariaDB has; use --dialect mariadb, or drop the option)`);
    return true;
  }

  #default(value: DefaultValue, column: Column, what: string): string {
    if (isSqlValue(value)) return sqlText(value.text, this.where, what);
    const text = defaultExpression(value);
    return needsExpressionDefault(column.type) ? `(${text})` : text;
  }

  #collation(c: Column): string | null {
    if (c.collation === undefined) return null;
    if (!/^\w+$/.test(c.collation)) this.fail(`column "${c.name}": collation must be a MySQL collation name such as utf8mb4_bin, got ${JSON.stringify(c.collation)}`);
    return c.collation;
  }

  #columnView(c: Column, opts: { nullable: boolean; autoIncrement: boolean; primaryKey?: boolean; modify?: boolean }): ColumnView {
    const type = renderType(c.type, this.flavour);
    return {
      name: quoteIdentifier(c.name),
      type,
      collation: this.#collation(c),
      computed: c.computed === undefined ? null : sqlText(c.computed.expression.text, this.where, `column "${c.name}" computed.expression`),
      stored: c.computed?.stored !== false,
      notNull: !opts.nullable,
      explicitNull: opts.nullable && (opts.modify === true || type === 'TIMESTAMP'),
      default: c.serverDefault === undefined ? null : this.#default(c.serverDefault, c, `column "${c.name}" serverDefault`),
      autoIncrement: opts.autoIncrement,
      primaryKey: opts.primaryKey === true,
      comment: c.comment ? quoteString(c.comment) : null,
    };
  }

  #resolvedColumnView(rc: ResolvedColumn, primaryKeyInline = false): ColumnView {
    return this.#columnView(rc.column, { nullable: rc.nullable, autoIncrement: rc.autoIncrement, primaryKey: primaryKeyInline });
  }

  #constraintView(c: ResolvedConstraint): ConstraintView {
    for (const action of [c.onDelete, c.onUpdate]) {
      if (action !== undefined && !REFERENTIAL_ACTIONS.has(action)) this.fail(`${this.#D} has no referential action ${JSON.stringify(action)}`);
    }
    return {
      body: c.kind,
      // The server ignores a primary key's name (it is always PRIMARY): it is not written.
      name: c.name === undefined || c.kind === 'primaryKey' ? null : quoteIdentifier(c.name),
      columns: c.columns.map(quoteIdentifier),
      condition: c.condition ?? null,
      refTable: c.refTable === undefined ? null : qualify(c.refTable, c.refSchema),
      refColumns: (c.refColumns ?? []).map(quoteIdentifier),
      onDelete: c.onDelete ?? null,
      onUpdate: c.onUpdate ?? null,
    };
  }

  #addConstraint(table: string, schema: string | undefined, c: ResolvedConstraint): void {
    this.emit('addConstraint', { table: qualify(table, schema), constraint: this.#constraintView(c) });
  }

  #explicitName(key: ConventionKey, name: string, table: string | undefined, schema: string | undefined, columns?: readonly string[], referred?: { table: string; columns: readonly string[] }): string {
    return (
      conventionalName(
        this.ctx.namingConvention,
        { key, name, table, schema, columns, referredTable: referred?.table, referredColumns: referred?.columns },
        { maxIdentifierLength: MAX_IDENTIFIER_LENGTH, where: this.where },
      ) ?? name
    );
  }

  #modelTable(table: string, schema: string | undefined, why: string): TableState {
    const t = this.ctx.table(table, schema);
    if (!t) this.fail(`${why}, but sqlscribe's schema model has no table "${table}" here (raw SQL it cannot follow?); declare it with op.execute(sql, { effects: [...] })`);
    return t;
  }

  /** MySQL 8.0 Reference Manual, 15.1.20 "CREATE TABLE Statement" (COMMENT as a column and a table option). */
  createTable(op: CreateTableOp): Statement[] {
    const t = resolveTable(op, this.ctx.namingConvention, this.flavour, this.where);
    const items = [
      ...t.columns.map((c) => ({ column: this.#resolvedColumnView(c), constraint: null })),
      ...t.constraints.map((c) => ({ column: null, constraint: this.#constraintView(c) })),
    ];
    this.emit('createTable', {
      ifNotExists: op.ifNotExists === true,
      table: qualify(op.table, op.schema),
      items,
      comment: op.comment ? quoteString(op.comment) : null,
    });
    return this.done();
  }

  /** MySQL 8.0 Reference Manual, 15.1.32 "DROP TABLE Statement". */
  dropTable(op: DropTableOp): Statement[] {
    this.emit('dropTable', { ifExists: op.ifExists === true, table: qualify(op.table, op.schema) });
    return this.done();
  }

  /** MySQL 8.0 Reference Manual, 15.1.36 "RENAME TABLE Statement" (the new name in the same database). */
  renameTable(op: RenameTableOp): Statement[] {
    this.emit('renameTable', { table: qualify(op.table, op.schema), newName: qualify(op.newName, op.schema) });
    return this.done();
  }

  /**
   * MySQL 8.0 Reference Manual, 15.1.9 "ALTER TABLE Statement": ADD COLUMN (a primary key column with
   * `PRIMARY KEY` in its definition, so that AUTO_INCREMENT has its key in the same statement), then
   * `ADD UNIQUE` and `ADD FOREIGN KEY` statements, as Alembic emits them.
   */
  addColumn(op: AddColumnOp): Statement[] {
    const r = resolveAddColumn(op, this.ctx.namingConvention, this.flavour, this.where);
    this.emit('addColumn', {
      table: qualify(op.table, op.schema),
      ifNotExists: this.#mariadbOnly(op.ifNotExists, 'ADD COLUMN IF NOT EXISTS'),
      column: this.#resolvedColumnView(r.column, r.column.primaryKey),
    });
    for (const c of r.constraints) this.#addConstraint(op.table, op.schema, c);
    return this.done();
  }

  /**
   * A check constraint of the model that keeps the server from dropping (or, on MySQL, renaming) `column`:
   * MySQL 8 refuses both for any check that uses the column (error 3959, "Check constraint ... uses column
   * ..., hence column cannot be dropped or renamed"); MariaDB renames the column inside its checks and
   * drops a check that uses only the dropped column, but refuses to drop a column a check shares with
   * other columns (MDEV-11114).
   */
  #blockingCheck(table: string, schema: string | undefined, column: string, action: 'drop' | 'rename'): void {
    const t = this.ctx.table(table, schema);
    if (!t) return;
    if (action === 'rename' && this.flavour === 'mariadb') return;
    for (const c of t.constraints.values()) {
      if (c.kind !== 'check' || c.condition === undefined || !mentionsColumn(c.condition.text, column)) continue;
      const others = [...t.columns.keys()].some((other) => other !== column && mentionsColumn(c.condition!.text, other));
      if (this.flavour === 'mariadb' && !others) continue;
      this.fail(`${this.#D} refuses to ${action} column "${column}" of table "${table}": check constraint "${c.name}" uses it (drop the constraint first, and re-create it after if needed)`);
    }
  }

  /** MySQL 8.0 Reference Manual, 15.1.9: DROP COLUMN (MariaDB: DROP COLUMN IF EXISTS). */
  dropColumn(op: DropColumnOp): Statement[] {
    this.#blockingCheck(op.table, op.schema, op.column, 'drop');
    this.emit('dropColumn', {
      table: qualify(op.table, op.schema),
      ifExists: this.#mariadbOnly(op.ifExists, 'DROP COLUMN IF EXISTS'),
      column: quoteIdentifier(op.column),
    });
    return this.done();
  }

  /**
   * MySQL 8.0 Reference Manual, 15.1.9: a change of type, nullability or comment is `MODIFY COLUMN` with
   * the whole new definition, taken from the schema model (as Alembic's `MySQLImpl.alter_column` with
   * `existing_*`); a default alone is `ALTER COLUMN ... SET DEFAULT` / `DROP DEFAULT`; a new name is
   * `RENAME COLUMN` (MySQL 8.0, MariaDB 10.5), last.
   */
  alterColumn(op: AlterColumnOp): Statement[] {
    const table = qualify(op.table, op.schema);
    if (op.using !== undefined) this.fail(`${this.#D} has no USING for a type change (convert the data with op.execute before or after)`);
    const modify = op.type !== undefined || op.nullable !== undefined || op.comment !== undefined;
    if (modify) {
      const t = this.#modelTable(op.table, op.schema, `${this.#D} MODIFY COLUMN restates the whole column`);
      const col = t.columns.get(op.column);
      if (!col) this.fail(`column "${op.column}" of table "${op.table}" is not in sqlscribe's schema model here, and ${this.#D} MODIFY COLUMN restates the whole column`);
      const next: { -readonly [K in keyof Column]: Column[K] } = { ...col };
      if (op.type !== undefined) next.type = op.type;
      if (op.nullable !== undefined) next.nullable = op.nullable;
      if (op.serverDefault === null) delete next.serverDefault;
      else if (op.serverDefault !== undefined) next.serverDefault = op.serverDefault;
      if (op.comment === null) delete next.comment;
      else if (op.comment !== undefined) next.comment = op.comment;
      const autoIncrement = t.sequences.get(op.column)?.kind === 'serial';
      if (autoIncrement && !isIntegerType(next.type)) this.fail(`column "${op.column}" is AUTO_INCREMENT and cannot become ${next.type.kind}`);
      const inPk = [...t.constraints.values()].some((c) => c.kind === 'primaryKey' && c.columns.includes(op.column));
      if (inPk && next.nullable === true) this.fail(`column "${op.column}" is in the primary key and cannot be nullable in ${this.#D}`);
      this.emit('modifyColumn', { table, column: this.#columnView(next as Column, { nullable: next.nullable !== false, autoIncrement, modify: true }) });
    } else if (op.serverDefault !== undefined) {
      const t = this.ctx.table(op.table, op.schema);
      const col = t?.columns.get(op.column);
      const asColumn: Column = col ?? { kind: 'column', name: op.column, type: { kind: 'integer' } };
      this.emit('alterColumnDefault', {
        table,
        column: quoteIdentifier(op.column),
        default: op.serverDefault === null ? null : this.#default(op.serverDefault, asColumn, 'serverDefault'),
      });
    }
    if (op.newName !== undefined) this.#blockingCheck(op.table, op.schema, op.column, 'rename');
    if (op.newName !== undefined) this.emit('renameColumn', { table, column: quoteIdentifier(op.column), newName: quoteIdentifier(op.newName) });
    return this.done();
  }

  /**
   * MySQL 8.0 Reference Manual, 15.1.15 "CREATE INDEX Statement": `USING BTREE|HASH` as an index option;
   * an `sql` item is a functional key part `((expr))` (MySQL 8.0.13; MariaDB has none: an error).
   * Partial indexes (`where`), `include` and `concurrently` do not exist in MySQL: errors.
   */
  createIndex(op: CreateIndexOp): Statement[] {
    if (op.where !== undefined) this.fail(`${this.#D} has no partial indexes (where)`);
    if (op.include !== undefined && op.include.length > 0) this.fail(`${this.#D} has no covering-index INCLUDE columns (include)`);
    if (op.concurrently === true) this.fail(`${this.#D} has no CREATE INDEX CONCURRENTLY (InnoDB builds indexes online by default; drop concurrently)`);
    let using: string | null = null;
    if (op.using !== undefined) {
      const u = op.using.toUpperCase();
      if (u !== 'BTREE' && u !== 'HASH') this.fail(`${this.#D} index methods are BTREE and HASH, got ${JSON.stringify(op.using)}`);
      using = u;
    }
    const plain = op.columns.every((c) => typeof c === 'string');
    const name = this.#explicitName('ix', op.name, op.table, op.schema, plain ? (op.columns as string[]) : undefined);
    const columns = op.columns.map((c) => {
      if (typeof c === 'string') return quoteIdentifier(c);
      if (this.flavour === 'mariadb') this.fail('MariaDB has no functional index key parts (an sql`...` item); index a generated column instead');
      return `(${sqlText(c.text, this.where, 'an index expression')})`;
    });
    this.emit('createIndex', {
      unique: op.unique === true,
      ifNotExists: this.#mariadbOnly(op.ifNotExists, 'CREATE INDEX IF NOT EXISTS'),
      name: quoteIdentifier(name),
      table: qualify(op.table, op.schema),
      columns,
      using,
    });
    return this.done();
  }

  /**
   * MySQL 8.0 Reference Manual, 15.1.27 "DROP INDEX Statement": `DROP INDEX name ON table` (index names
   * are per table). When the index is the one a foreign key of the table uses (MySQL refuses to drop it,
   * error 1553) and no other index of the model serves that key, the statement is
   * `ALTER TABLE ... DROP INDEX ..., ADD INDEX <fk name> (<fk columns>)`: the index MySQL would have made
   * for the foreign key itself (15.1.20.5: "MySQL requires indexes on foreign keys ... Such an index is
   * created on the referencing table automatically if it does not exist", named after the constraint).
   */
  dropIndex(op: DropIndexOp): Statement[] {
    if (op.concurrently === true) this.fail(`${this.#D} has no DROP INDEX CONCURRENTLY (drop concurrently)`);
    if (op.table === undefined) this.fail(`${this.#D} index names are per table: give the table, op.dropIndex(${JSON.stringify(op.name)}, { table: '...' })`);
    const name = this.#explicitName('ix', op.name, op.table, op.schema);
    const ifExists = this.#mariadbOnly(op.ifExists, 'DROP INDEX IF EXISTS');
    const t = this.ctx.table(op.table, op.schema);
    const ix = t?.indexes.get(name);
    const keep = t && ix && !ifExists ? this.#foreignKeyIndexLost(t, name, ix.columns) : undefined;
    if (keep) {
      this.emit('dropIndexKeepForeignKey', {
        table: qualify(op.table, op.schema),
        name: quoteIdentifier(name),
        fkIndex: quoteIdentifier(keep.name),
        columns: keep.columns.map(quoteIdentifier),
      });
    } else {
      this.emit('dropIndex', { ifExists, name: quoteIdentifier(name), table: qualify(op.table, op.schema) });
    }
    return this.done();
  }

  /**
   * The foreign key of `t` that would be left without an index when the index (or unique key) `name`
   * with `columns` goes, if any: one whose columns are a leading prefix of `columns` and of no other
   * index, primary key or unique key of the model.
   */
  #foreignKeyIndexLost(t: TableState, name: string, columns: readonly (string | { kind: 'sql' })[]): { name: string; columns: readonly string[] } | undefined {
    const covers = (cols: readonly (string | { kind: 'sql' })[], fk: readonly string[]): boolean => fk.every((c, i) => cols[i] === c);
    const others: (readonly (string | { kind: 'sql' })[])[] = [];
    for (const ix of t.indexes.values()) if (ix.name !== name) others.push(ix.columns);
    for (const c of t.constraints.values()) if ((c.kind === 'primaryKey' || c.kind === 'unique') && c.name !== name) others.push(c.columns);
    for (const fk of t.constraints.values()) {
      if (fk.kind !== 'foreignKey' || !covers(columns, fk.columns)) continue;
      if (!others.some((cols) => covers(cols, fk.columns))) return { name: fk.name, columns: fk.columns };
    }
    return undefined;
  }

  /** MySQL 8.0 Reference Manual, 15.1.9: ADD PRIMARY KEY (its name is always PRIMARY: a given name is not written). */
  createPrimaryKey(op: CreatePrimaryKeyOp): Statement[] {
    this.#addConstraint(op.table, op.schema, { kind: 'primaryKey', name: undefined, columns: op.columns });
    return this.done();
  }

  /** MySQL 8.0 Reference Manual, 15.1.9: ADD CONSTRAINT name UNIQUE (a unique index of that name). */
  createUniqueConstraint(op: CreateUniqueConstraintOp): Statement[] {
    checkConstraintOptions(op, this.flavour, this.where);
    const name = this.#explicitName('uq', op.name, op.table, op.schema, op.columns);
    this.#addConstraint(op.table, op.schema, { kind: 'unique', name, columns: op.columns });
    return this.done();
  }

  /** MySQL 8.0 Reference Manual, 15.1.20.6 "CHECK Constraints" (MySQL 8.0.16; MariaDB 10.2). NOT VALID does not exist. */
  createCheckConstraint(op: CreateCheckConstraintOp): Statement[] {
    if (op.notValid === true) this.fail(`${this.#D} has no NOT VALID constraints: existing rows are always checked (drop notValid)`);
    const name = this.#explicitName('ck', op.name, op.table, op.schema, []);
    this.#addConstraint(op.table, op.schema, { kind: 'check', name, columns: [], condition: sqlText(op.condition.text, this.where, 'the condition') });
    return this.done();
  }

  /** MySQL 8.0 Reference Manual, 15.1.20.5 "FOREIGN KEY Constraints". NOT VALID and DEFERRABLE do not exist. */
  createForeignKey(op: CreateForeignKeyOp): Statement[] {
    if (op.notValid === true) this.fail(`${this.#D} has no NOT VALID foreign keys (drop notValid)`);
    checkConstraintOptions(op, this.flavour, this.where);
    const name = this.#explicitName('fk', op.name, op.sourceTable, op.sourceSchema, op.localColumns, { table: op.referentTable, columns: op.remoteColumns });
    this.#addConstraint(op.sourceTable, op.sourceSchema, {
      kind: 'foreignKey',
      name,
      columns: op.localColumns,
      refTable: op.referentTable,
      ...(op.referentSchema !== undefined ? { refSchema: op.referentSchema } : {}),
      refColumns: op.remoteColumns,
      ...(op.onDelete !== undefined ? { onDelete: op.onDelete } : {}),
      ...(op.onUpdate !== undefined ? { onUpdate: op.onUpdate } : {}),
    });
    return this.done();
  }

  /**
   * MySQL 8.0 Reference Manual, 15.1.9: DROP PRIMARY KEY, DROP INDEX (a unique key), DROP FOREIGN KEY,
   * DROP CHECK (MariaDB: DROP CONSTRAINT), by the constraint's kind: the op's `type`, else the kind the
   * schema model has for that name (Alembic needs `type_=` on MySQL for the same reason). A unique key
   * that a foreign key needs is replaced by the foreign key's own index, as in {@link dropIndex}.
   */
  dropConstraint(op: DropConstraintOp): Statement[] {
    const keys = { foreignkey: 'fk', unique: 'uq', check: 'ck', primary: 'pk' } as const;
    const kinds = { foreignkey: 'foreignKey', unique: 'unique', check: 'check', primary: 'primaryKey' } as const;
    const name = op.type === undefined ? op.name : this.#explicitName(keys[op.type], op.name, op.table, op.schema);
    const t = this.ctx.table(op.table, op.schema);
    const known = t?.constraints.get(name);
    const kind = op.type !== undefined ? kinds[op.type] : known?.kind;
    if (kind === undefined) {
      this.fail(`${this.#D} drops each kind of constraint with its own statement and sqlscribe's schema model does not know "${name}": give its type, op.dropConstraint(${JSON.stringify(op.name)}, ${JSON.stringify(op.table)}, { type: 'unique' | 'foreignkey' | 'check' | 'primary' })`);
    }
    const table = qualify(op.table, op.schema);
    switch (kind) {
      case 'primaryKey':
        this.emit('dropPrimaryKey', { table });
        break;
      case 'unique': {
        const keep = t && known ? this.#foreignKeyIndexLost(t, name, known.columns) : undefined;
        if (keep) this.emit('dropIndexKeepForeignKey', { table, name: quoteIdentifier(name), fkIndex: quoteIdentifier(keep.name), columns: keep.columns.map(quoteIdentifier) });
        else this.emit('dropUnique', { table, name: quoteIdentifier(name) });
        break;
      }
      case 'foreignKey':
        this.emit('dropForeignKey', { table, name: quoteIdentifier(name) });
        break;
      case 'check':
        this.emit('dropCheck', { table, name: quoteIdentifier(name) });
        break;
    }
    return this.done();
  }

  /** MySQL 8.0 Reference Manual, 15.1.9: the table option COMMENT (`''` removes it). */
  #tableComment(table: string, schema: string | undefined, comment: string): Statement[] {
    this.emit('tableComment', { table: qualify(table, schema), comment: quoteString(comment) });
    return this.done();
  }

  createTableComment(op: CreateTableCommentOp): Statement[] {
    return this.#tableComment(op.table, op.schema, op.comment);
  }

  dropTableComment(op: DropTableCommentOp): Statement[] {
    return this.#tableComment(op.table, op.schema, '');
  }

  /**
   * MySQL 8.0 Reference Manual, 13.3.5: ENUM values belong to the column type; there is no type object
   * to create or drop. SQLAlchemy's Enum.create()/drop() do nothing on MySQL either.
   */
  createEnum(): Statement[] {
    return [];
  }

  /** As {@link createEnum}: nothing to drop. */
  dropEnum(): Statement[] {
    return [];
  }

  /** MySQL 8.0 Reference Manual, 15.1.12 "CREATE DATABASE Statement" (CREATE SCHEMA is a synonym). */
  createSchema(op: CreateSchemaOp): Statement[] {
    this.emit('createSchema', { ifNotExists: op.ifNotExists === true, name: quoteIdentifier(op.name) });
    return this.done();
  }

  /**
   * MySQL 8.0 Reference Manual, 15.1.24 "DROP DATABASE Statement". It always drops what the database
   * holds; without `cascade` the schema model has already checked that it is empty.
   */
  dropSchema(op: DropSchemaOp): Statement[] {
    this.emit('dropSchema', { ifExists: op.ifExists === true, name: quoteIdentifier(op.name) });
    return this.done();
  }

  /** Raw SQL: the `mysql` text, else `default`; trimmed, one trailing `;` removed. */
  execute(op: ExecuteOp): Statement[] {
    const s = op.sql;
    const chosen = typeof s === 'string' || isSqlValue(s) ? s : (s.mysql ?? s.default);
    if (chosen === undefined) this.fail(`op.execute has no SQL for ${this.#D} (give mysql: or default:)`);
    const raw = typeof chosen === 'string' ? chosen : chosen.text;
    const text = raw.trim().replace(/;$/, '').trimEnd();
    if (text.length === 0) this.fail(`the SQL for ${this.#D} is empty`);
    this.emit('execute', { sql: text });
    return this.done();
  }

  /** MySQL 8.0 Reference Manual, 15.2.7 "INSERT Statement": one statement per row, as Alembic's offline bulk_insert. */
  bulkInsert(op: BulkInsertOp): Statement[] {
    return this.insertRows(qualify(op.table, op.schema), op.rows, quoteIdentifier, literal);
  }
}
