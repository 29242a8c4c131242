/**
 * What the three dialects' `compile.ts` share to turn one op into statements: how an error names the op
 * ({@link describeOp}, as the builders in `src/ops/builders.ts` name it), the prefixing of errors raised
 * by shared helpers that do not know the op ({@link compileNamed}), the statement list with its
 * template rendering and op-named failures ({@link OpRenderer}), the dispatch of an op to the method of
 * its kind ({@link dispatchOp}), and the view the `constraint` partials lay out ({@link ConstraintView}).
 * Decisions about SQL stay in the dialects.
 */
import { UserError } from '../errors.js';
import { OP_KINDS, type BulkInsertOp, type Op, type OpKind, type RowValue } from '../ops/types.js';
import type { CompileContext, Statement } from './types.js';

/**
 * How errors name an op: `op.createTable("users")`, `op.alterColumn("users", "email")`,
 * `op.createIndex("ix_users_email")`, `op.execute` — the op's builder call with its first argument(s),
 * as the builders' own errors name it (`src/ops/builders.ts`).
 */
export function describeOp(op: Op): string {
  switch (op.kind) {
    case 'createTable':
    case 'dropTable':
    case 'renameTable':
    case 'addColumn':
    case 'dropColumn':
    case 'createTableComment':
    case 'dropTableComment':
    case 'bulkInsert':
      return `op.${op.kind}(${JSON.stringify(op.table)})`;
    case 'alterColumn':
      return `op.alterColumn(${JSON.stringify(op.table)}, ${JSON.stringify(op.column)})`;
    case 'createForeignKey':
    case 'createIndex':
    case 'dropIndex':
    case 'createPrimaryKey':
    case 'createUniqueConstraint':
    case 'createCheckConstraint':
    case 'dropConstraint':
    case 'createSchema':
    case 'dropSchema':
    case 'createEnum':
    case 'dropEnum':
      return `op.${op.kind}(${JSON.stringify(op.name)})`;
    case 'execute':
      return 'op.execute';
    default:
      return `op.${(op as { kind: string }).kind}`;
  }
}

/**
 * Runs a dialect's compilation of `op` with `where` = {@link describeOp}(op), and names the op in the
 * errors of shared helpers (types, quoting, naming) that do not: a plain `UserError` whose message does
 * not start with `where` is thrown again as `<where>: <message>`. Other errors (a `SiteError`, an
 * internal error) pass unchanged.
 */
export function compileNamed(op: Op, compile: (where: string) => Statement[]): Statement[] {
  const where = describeOp(op);
  try {
    return compile(where);
  } catch (err) {
    if (err instanceof UserError && err.name === 'UserError' && !err.message.startsWith(where)) throw new UserError(`${where}: ${err.message}`);
    throw err;
  }
}

/** One method per op kind, each taking the op of its kind and returning its statements in order. */
export type OpMethods = { [K in OpKind]: (op: Extract<Op, { kind: K }>) => Statement[] };

const KNOWN_KINDS = new Set<string>(OP_KINDS);

/**
 * Calls the method of `op.kind` on `methods`.
 * @param unknownPrefix what precedes `unknown op "<kind>"` in the error for a kind no op has (the
 *   dialect's name and `: `, or empty).
 * @throws UserError for an op of an unknown kind (only a value that bypassed the builders has one).
 */
export function dispatchOp(op: Op, methods: OpMethods, unknownPrefix: string): Statement[] {
  if (!KNOWN_KINDS.has(op.kind)) throw new UserError(`${unknownPrefix}unknown op ${JSON.stringify((op as { kind?: unknown }).kind)}`);
  return (methods[op.kind] as (op: Op) => Statement[]).call(methods, op);
}

/**
 * The statements of one op as they are rendered: `emit` renders a template of the dialect's
 * {@link CompileContext.templates} (`<name>.sql`, trimmed) and appends it, `fail` throws a UserError
 * naming the op (`<where>: <message>`), `done` hands the statements over. A dialect's renderer extends
 * it with one method per op kind ({@link OpMethods}).
 */
export class OpRenderer {
  /** The statements so far, in order. */
  protected readonly out: Statement[] = [];

  constructor(
    /** The compile context of the op. */
    readonly ctx: CompileContext,
    /** The op, as {@link describeOp} names it. */
    readonly where: string,
  ) {}

  /**
   * Renders `<template>.sql` with `view` and appends it.
   * @param autocommit marks the statement as one that cannot run in a transaction block (`Statement.autocommit`).
   */
  protected emit(template: string, view: object, autocommit = false): void {
    const sql = this.ctx.templates.render(`${template}.sql`, view).trim();
    this.out.push(autocommit ? { sql, autocommit: true } : { sql });
  }

  /** @throws UserError `<where>: <message>`. */
  protected fail(message: string): never {
    throw new UserError(`${this.where}: ${message}`);
  }

  /** The statements emitted. */
  protected done(): Statement[] {
    return this.out;
  }

  /**
   * A `bulkInsert` op's rows, as Alembic's offline `bulk_insert` writes them: one `insert` statement per
   * row, with that row's keys as the columns in the row's key order and its values as literals.
   * @param table the table, already quoted (and qualified).
   * @throws UserError `<where>: a row has no columns` for an empty row.
   */
  protected insertRows(table: string, rows: BulkInsertOp['rows'], quoteIdentifier: (name: string) => string, literal: (value: RowValue) => string): Statement[] {
    for (const row of rows) {
      const keys = Object.keys(row);
      if (keys.length === 0) this.fail('a row has no columns');
      this.emit('insert', { table, columns: keys.map(quoteIdentifier), values: keys.map((k) => literal(row[k] as RowValue)) });
    }
    return this.done();
  }
}

/**
 * What the `constraint` partials lay out (PostgreSQL, SQLite; MySQL without the deferrable fields): every
 * value already quoted; `body` names the partial of its kind.
 */
export interface ConstraintView {
  readonly body: 'primaryKey' | 'unique' | 'foreignKey' | 'check';
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly condition: string | null;
  readonly refTable: string | null;
  readonly refColumns: readonly string[];
  readonly onDelete: string | null;
  readonly onUpdate: string | null;
  readonly deferrable: boolean;
  readonly notDeferrable: boolean;
  readonly initially: string | null;
}
