/**
 * Op → SQLite statements (SQLite 3.35 or later: `DROP COLUMN`). Every decision — quoting, types, which
 * ops SQLite's `ALTER TABLE` can do and which need the table rebuilt, the order of statements — is made
 * here and in `rebuild.ts`; the templates under `templates/sqlite/` only lay out resolved, quoted values.
 *
 * What SQLite's `ALTER TABLE` does directly (SQLite docs, lang_altertable.html): `RENAME TO`,
 * `RENAME COLUMN`, `ADD COLUMN` (not for a primary key or unique column, a NOT NULL column without a
 * default, a `CURRENT_*` or parenthesised default, a stored generated column, or one with a foreign key —
 * these are rebuilt), and `DROP COLUMN` of a column that no index, constraint or generated column uses.
 * Everything else that changes a table (a constraint added or dropped; a column's type, nullability,
 * default or comment changed; a table comment) is claimed by {@link tableOf} and rendered by
 * `rebuild.ts` as SQLite's documented rebuild, consecutive ops on one table sharing one rebuild.
 */
import { UserError } from '../../errors.js';
import type { Column, DefaultValue, Op, RowValue, TypeSpec } from '../../ops/types.js';
import type { ModelConstraint } from '../../state/dialect.js';
import { mentionsColumn, type IndexState, type TableState } from '../../state/schema.js';
import { sqliteModel } from '../../state/sqlite.js';
import { conventionalName } from '../naming.js';
import { compileNamed, describeOp, type ConstraintView } from '../render.js';
import { sqlText } from '../resolve.js';
import type { CompileContext, Statement } from '../types.js';
import { defaultExpression, isNonConstantDefault, isSqlValue, literal, quoteIdentifier, quoteString } from './quoting.js';
import { MAX_IDENTIFIER_LENGTH, resolveAddColumn } from './table.js';
import { isIntegerType, renderType } from './types.js';

/** How errors name an op (`op.createTable("users")`): the same for every dialect. */
export { describeOp };

const EMPTY_NAMESPACE = { relationExists: () => false, constraintExists: () => false };

/** A column as the `column` partial lays it out. */
export interface ColumnView {
  readonly name: string;
  readonly type: string;
  readonly collation: string | null;
  readonly computed: { readonly expression: string; readonly storage: string | null } | null;
  readonly default: string | null;
  readonly notNull: boolean;
  /** An enum column's `name IN (...)`. */
  readonly check: string | null;
  readonly comment: string | null;
}

/** A table constraint as the `constraint` partial lays it out (`../render.ts`). */
export type { ConstraintView };

/** A SQL comment's text, kept in the `CREATE TABLE` text that SQLite stores (`/* ... *\/`). */
export function commentText(comment: string, where: string): string {
  if (comment.includes('*/')) throw new UserError(`${where}: a comment cannot contain "*/" on SQLite (it is kept as a /* ... */ comment in the table's CREATE TABLE text)`);
  if (comment.includes('\0')) throw new UserError(`${where}: a comment cannot contain the NUL character`);
  return comment;
}


/**
 * The column that is SQLite's rowid alias (SQLite docs, lang_createtable.html §3.5 "ROWID and the INTEGER
 * PRIMARY KEY"): the one column of a single-column primary key of an integer type, without
 * `autoincrement: false` and not generated. It is declared `INTEGER` whatever its integer type (SQLite's
 * INTEGER is 64-bit; `BIGINT PRIMARY KEY` would not be the rowid, so it would not auto-increment).
 */
export function rowidColumn(columns: readonly Column[], constraints: readonly Pick<ModelConstraint, 'kind' | 'columns'>[]): string | undefined {
  const pk = constraints.find((c) => c.kind === 'primaryKey');
  if (!pk || pk.columns.length !== 1) return undefined;
  const col = columns.find((c) => c.name === pk.columns[0]);
  if (!col || !isIntegerType(col.type) || col.autoincrement === false || col.computed !== undefined) return undefined;
  return col.name;
}

/** The view of one column (`rowid`: it is the rowid alias, see {@link rowidColumn}). */
export function columnView(c: Column, rowid: boolean, where: string): ColumnView {
  const w = `${where}: column "${c.name}"`;
  let type: string;
  try {
    type = rowid ? 'INTEGER' : renderType(c.type);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${w}: ${err.message}`);
    throw err;
  }
  const name = quoteIdentifier(c.name);
  return {
    name,
    type,
    collation: c.collation === undefined ? null : quoteIdentifier(c.collation),
    computed:
      c.computed === undefined
        ? null
        : { expression: sqlText(c.computed.expression.text, w, 'computed.expression'), storage: c.computed.stored === true ? 'STORED' : c.computed.stored === false ? 'VIRTUAL' : null },
    default: c.serverDefault === undefined ? null : defaultExpression(c.serverDefault, w),
    notNull: c.nullable === false,
    // SQLAlchemy's non-native Enum with create_constraint: VARCHAR with a CHECK of the values.
    check: c.type.kind === 'enum' ? `${name} IN (${c.type.values.map(quoteString).join(', ')})` : null,
    comment: c.comment === undefined ? null : commentText(c.comment, w),
  };
}

/** The view of a table constraint; a name the model made up for an unnamed one is not written. */
export function constraintView(c: ModelConstraint, where: string): ConstraintView {
  if (c.refSchema !== undefined) throw new UserError(`${where}: SQLite has no schemas (a foreign key into schema "${c.refSchema}")`);
  return {
    body: c.kind,
    name: c.defaultName ? null : quoteIdentifier(c.name),
    columns: c.columns.map(quoteIdentifier),
    condition: c.condition === undefined ? null : sqlText(c.condition.text, where, 'a check condition'),
    refTable: c.refTable === undefined ? null : quoteIdentifier(c.refTable),
    refColumns: (c.refColumns ?? []).map(quoteIdentifier),
    onDelete: c.onDelete ?? null,
    onUpdate: c.onUpdate ?? null,
    deferrable: c.deferrable === true,
    notDeferrable: c.deferrable === false,
    initially: c.initially ?? null,
  };
}

/** The `createTable` view of a table: its columns, then its constraints. */
export function tableItems(columns: readonly Column[], constraints: readonly ModelConstraint[], where: string): object[] {
  const rowid = rowidColumn(columns, constraints);
  return [
    ...columns.map((c) => ({ column: columnView(c, c.name === rowid, where), constraint: null })),
    ...constraints.map((c) => ({ column: null, constraint: constraintView(c, where) })),
  ];
}

/** The `createIndex` view of an index. */
export function indexView(ix: Pick<IndexState, 'name' | 'table' | 'columns' | 'unique' | 'where'>, ifNotExists: boolean, where: string): object {
  return {
    unique: ix.unique,
    ifNotExists,
    name: quoteIdentifier(ix.name),
    table: quoteIdentifier(ix.table),
    columns: ix.columns.map((c) => (typeof c === 'string' ? quoteIdentifier(c) : `(${sqlText(c.text, where, 'an index expression')})`)),
    where: ix.where === undefined ? null : sqlText(ix.where.text, where, 'where'),
  };
}

function noSchema(schema: string | undefined, where: string): void {
  if (schema !== undefined) throw new UserError(`${where}: SQLite has no schemas (schema "${schema}"); drop the schema option`);
}

/** True when another column's generated expression, or an index or constraint, uses `column` (so `DROP COLUMN` refuses). */
function columnIsUsed(table: TableState, column: string): boolean {
  for (const c of table.constraints.values()) {
    if (c.columns.includes(column) || (c.condition !== undefined && mentionsColumn(c.condition.text, column))) return true;
  }
  for (const ix of table.indexes.values()) {
    if (ix.columns.some((c) => (typeof c === 'string' ? c === column : mentionsColumn(c.text, column)))) return true;
    if (ix.where !== undefined && mentionsColumn(ix.where.text, column)) return true;
  }
  for (const c of table.columns.values()) if (c.name !== column && c.computed && mentionsColumn(c.computed.expression.text, column)) return true;
  // An enum column's own CHECK goes with it: SQLite drops such a column directly.
  return false;
}

/** Whether `ADD COLUMN` can add this column (module comment); otherwise the table is rebuilt. */
function addColumnDirect(op: Extract<Op, { kind: 'addColumn' }>): boolean {
  const c = op.column;
  if (c.primaryKey || c.unique || c.references) return false;
  if (c.computed?.stored === true) return false;
  if (c.nullable === false && c.computed === undefined && (c.serverDefault === undefined || (isSqlValue(c.serverDefault) && /^null$/i.test(c.serverDefault.text.trim())))) return false;
  if (c.serverDefault !== undefined) {
    try {
      if (isNonConstantDefault(defaultExpression(c.serverDefault, ''))) return false;
    } catch {
      return true; // compileOp reports it
    }
  }
  return true;
}

/**
 * The table an op rebuilds on SQLite (`Dialect.rebuild.tableOf`), or undefined for an op that
 * {@link compileOp} renders (module comment). A column op on the table of `openRun` joins that rebuild.
 */
export function tableOf(op: Op, ctx: CompileContext, openRun?: { readonly table: string; readonly schema?: string }): { table: string; schema?: string } | undefined {
  const at = (table: string, schema: string | undefined) => (ctx.table(table, schema) ? { table, ...(schema !== undefined ? { schema } : {}) } : undefined);
  // A column op on the table being rebuilt joins the rebuild (one rebuild for the whole run, as Alembic's batch).
  if ((op.kind === 'addColumn' || op.kind === 'dropColumn' || op.kind === 'alterColumn') && openRun && openRun.table === op.table && openRun.schema === op.schema) {
    return at(op.table, op.schema);
  }
  switch (op.kind) {
    case 'addColumn':
      return addColumnDirect(op) ? undefined : at(op.table, op.schema);
    case 'dropColumn': {
      const t = ctx.table(op.table, op.schema);
      return t && t.columns.has(op.column) && columnIsUsed(t, op.column) ? at(op.table, op.schema) : undefined;
    }
    case 'alterColumn':
      return op.type !== undefined || op.nullable !== undefined || op.serverDefault !== undefined || op.comment !== undefined ? at(op.table, op.schema) : undefined;
    case 'createPrimaryKey':
    case 'createUniqueConstraint':
    case 'createCheckConstraint':
    case 'dropConstraint':
    case 'createTableComment':
    case 'dropTableComment':
      return at(op.table, op.schema);
    case 'createForeignKey':
      return at(op.sourceTable, op.sourceSchema);
    default:
      return undefined;
  }
}

/**
 * The statements for one op (`Dialect.compileOp` of SQLite). For an op that {@link tableOf} claims it only
 * checks the op and returns no statements: the rebuild renders it (`src/dialects/types.ts`, `TableRebuild`).
 * @throws UserError naming SQLite and the op for what SQLite lacks.
 */
export function compileOp(op: Op, ctx: CompileContext): Statement[] {
  return compileNamed(op, (where) => compile(op, ctx, where));
}

function compile(op: Op, ctx: CompileContext, where: string): Statement[] {
  const out: Statement[] = [];
  const emit = (template: string, view: object): void => {
    out.push({ sql: ctx.templates.render(`${template}.sql`, view).trim() });
  };
  const fail = (message: string): never => {
    throw new UserError(`${where}: ${message}`);
  };
  const rebuilt = tableOf(op, ctx) !== undefined;
  switch (op.kind) {
    case 'createTable': {
      noSchema(op.schema, where);
      const shape = sqliteModel.createTable(op, EMPTY_NAMESPACE, ctx.namingConvention);
      emit('createTable', {
        ifNotExists: op.ifNotExists === true,
        table: quoteIdentifier(op.table),
        comment: op.comment === undefined ? null : commentText(op.comment, where),
        items: tableItems(
          shape.columns.map((c) => c.column),
          shape.constraints,
          where,
        ),
      });
      break;
    }
    case 'dropTable':
      noSchema(op.schema, where);
      emit('dropTable', { ifExists: op.ifExists === true, table: quoteIdentifier(op.table) });
      break;
    case 'renameTable':
      noSchema(op.schema, where);
      emit('renameTable', { table: quoteIdentifier(op.table), newName: quoteIdentifier(op.newName) });
      break;
    case 'addColumn': {
      const shape = resolveAddColumn(op, ctx.namingConvention, where);
      const col = shape.columns[0]!;
      const view = columnView(col, false, where);
      if (op.ifNotExists) fail('SQLite has no ADD COLUMN IF NOT EXISTS; drop ifNotExists');
      if (!rebuilt) emit('addColumn', { table: quoteIdentifier(op.table), column: view });
      break;
    }
    case 'dropColumn':
      noSchema(op.schema, where);
      if (op.ifExists) fail('SQLite has no DROP COLUMN IF EXISTS; drop ifExists');
      if (!rebuilt) emit('dropColumn', { table: quoteIdentifier(op.table), column: quoteIdentifier(op.column) });
      break;
    case 'alterColumn': {
      noSchema(op.schema, where);
      if (op.using !== undefined) fail("SQLite has no USING: the table rebuild copies the column with CAST(... AS <type>); drop 'using' (or write the copy with op.execute)");
      if (op.type !== undefined) columnView({ kind: 'column', name: op.column, type: op.type }, false, where);
      if (op.serverDefault !== undefined && op.serverDefault !== null) defaultExpression(op.serverDefault as DefaultValue, where);
      if (op.comment !== undefined && op.comment !== null) commentText(op.comment, where);
      if (op.newName !== undefined) quoteIdentifier(op.newName);
      if (!rebuilt && op.newName !== undefined) emit('renameColumn', { table: quoteIdentifier(op.table), column: quoteIdentifier(op.column), newName: quoteIdentifier(op.newName) });
      break;
    }
    case 'createIndex': {
      noSchema(op.schema, where);
      if (op.concurrently) fail('SQLite has no CREATE INDEX CONCURRENTLY; drop concurrently');
      if (op.using !== undefined) fail(`SQLite has no index methods (using: ${JSON.stringify(op.using)}); drop using`);
      if (op.include !== undefined) fail('SQLite has no INCLUDE columns; drop include');
      const plain = op.columns.every((c) => typeof c === 'string') ? (op.columns as string[]) : undefined;
      const name = conventionalName(ctx.namingConvention, { key: 'ix', name: op.name, table: op.table, columns: plain }, { maxIdentifierLength: MAX_IDENTIFIER_LENGTH, where }) ?? op.name;
      emit('createIndex', indexView({ name, table: op.table, columns: op.columns, unique: op.unique === true, ...(op.where ? { where: op.where } : {}) }, op.ifNotExists === true, where));
      break;
    }
    case 'dropIndex': {
      noSchema(op.schema, where);
      if (op.concurrently) fail('SQLite has no DROP INDEX CONCURRENTLY; drop concurrently');
      const name = conventionalName(ctx.namingConvention, { key: 'ix', name: op.name, table: op.table }, { maxIdentifierLength: MAX_IDENTIFIER_LENGTH, where }) ?? op.name;
      emit('dropIndex', { ifExists: op.ifExists === true, name: quoteIdentifier(name) });
      break;
    }
    case 'createPrimaryKey':
      noSchema(op.schema, where);
      break;
    case 'createUniqueConstraint':
      noSchema(op.schema, where);
      if (op.deferrable !== undefined || op.initially !== undefined) fail('SQLite unique constraints cannot be deferrable (only foreign keys can); drop deferrable/initially');
      break;
    case 'createCheckConstraint':
      noSchema(op.schema, where);
      if (op.notValid) fail('SQLite has no NOT VALID: the rebuild checks every existing row; drop notValid');
      sqlText(op.condition.text, where, 'the condition');
      break;
    case 'createForeignKey':
      noSchema(op.sourceSchema, where);
      noSchema(op.referentSchema, where);
      if (op.notValid) fail('SQLite has no NOT VALID: the rebuild checks every existing row (PRAGMA foreign_key_check); drop notValid');
      if (op.deferrable === false && op.initially === 'DEFERRED') fail("initially: 'DEFERRED' needs a deferrable constraint (deferrable: false contradicts it)");
      break;
    case 'dropConstraint':
      noSchema(op.schema, where);
      break;
    case 'createTableComment':
      noSchema(op.schema, where);
      commentText(op.comment, where);
      break;
    case 'dropTableComment':
      noSchema(op.schema, where);
      break;
    case 'createSchema':
    case 'dropSchema':
      fail('SQLite has no schemas (an attached database is not created by DDL); remove this op for SQLite');
      break;
    case 'createEnum':
    case 'dropEnum':
      fail('SQLite has no enum types; a t.enum(...) column is rendered VARCHAR with a CHECK of its values, so no type op is needed');
      break;
    case 'execute': {
      const s = op.sql;
      const chosen = typeof s === 'string' || isSqlValue(s) ? s : (s.sqlite ?? s.default);
      if (chosen === undefined) throw new UserError(`${where} has no SQL for sqlite (give sqlite: or default:)`);
      const text = (typeof chosen === 'string' ? chosen : chosen.text).trim().replace(/;$/, '').trimEnd();
      if (text.length === 0) fail('the SQL for sqlite is empty');
      emit('execute', { sql: text });
      break;
    }
    case 'bulkInsert': {
      noSchema(op.schema, where);
      for (const row of op.rows) {
        const keys = Object.keys(row);
        if (keys.length === 0) fail('a row has no columns');
        emit('insert', { table: quoteIdentifier(op.table), columns: keys.map(quoteIdentifier), values: keys.map((k) => literal(row[k] as RowValue)) });
      }
      break;
    }
    default:
      fail(`SQLite: unknown op ${JSON.stringify((op as { kind?: unknown }).kind)}`);
  }
  return out;
}

/** The SQL type of a column, for the `CAST` of a rebuild's copy. */
export function castType(c: Column, rowid: boolean): string {
  return rowid ? 'INTEGER' : renderType(c.type as TypeSpec);
}
