/**
 * What the script assembler needs from a dialect. A dialect is data (capabilities, quoting rules, type
 * names) plus one function that turns an op into statements through that dialect's templates.
 */
import type { EnumType, Op } from '../ops/types.js';
import type { TemplateSet } from '../render/templates.js';
import type { TableState } from '../state/schema.js';

/** The dialects of `--dialect`. */
export type DialectName = 'postgresql' | 'sqlite' | 'mysql' | 'mariadb';

/** One SQL statement, without its terminator. */
export interface Statement {
  /** The statement text, trimmed, without the trailing `;`. May span several lines. */
  readonly sql: string;
  /**
   * True when the statement cannot run inside a transaction block (PostgreSQL `CREATE INDEX
   * CONCURRENTLY`): the assembler puts it between `COMMIT;` and `BEGIN;`, as Alembic's
   * `autocommit_block()` does.
   */
  readonly autocommit?: boolean;
}

/** SQLAlchemy's naming-convention keys (spec "Names of constraints and indexes"). */
export interface NamingConvention {
  readonly ix?: string;
  readonly uq?: string;
  readonly ck?: string;
  readonly fk?: string;
  readonly pk?: string;
}

/** What an op's compilation may look up about the schema it meets. */
export interface CompileContext {
  /** The rendering templates of this dialect (built-in plus overrides). */
  readonly templates: TemplateSet;
  /** True when the enum type exists in the schema before this op (so it must not be created again). */
  enumExists(type: EnumType): boolean;
  /** From config; undefined leaves unnamed constraints to the database. */
  readonly namingConvention?: NamingConvention;
  /**
   * The table as the schema model has it right before this op (full column definitions, constraints with
   * their names, indexes), or undefined when there is none — what a dialect needs to restate a whole
   * column (MySQL `MODIFY COLUMN`) or rebuild a table (SQLite). Read-only: the model moves on after the op.
   */
  table(name: string, schema?: string): TableState | undefined;
  /**
   * `--idempotent`: render DDL that is harmless to run again (`IF [NOT] EXISTS` where the dialect has it,
   * else a catalog check). A dialect that cannot make an op re-runnable says so with a UserError.
   */
  readonly idempotent?: boolean;
}

/** A dialect: its name, capabilities, and how it renders ops and the version table. */
export interface Dialect {
  readonly name: DialectName;
  /** Alembic's `transactional_ddl`: true wraps the script in `BEGIN;` ... `COMMIT;`. */
  readonly transactionalDdl: boolean;
  /** Quotes an identifier only where the dialect needs it (SQLAlchemy's `_requires_quotes`). */
  quoteIdentifier(name: string): string;
  /** `schema.name`, each part quoted as needed. */
  qualify(name: string, schema?: string): string;
  /** A string literal with the dialect's escaping (`'O''Brien'`). */
  quoteString(value: string): string;
  /**
   * The statements for one op, in order.
   * @throws UserError (or SiteError) for a feature the dialect lacks; the caller adds the file and op.
   */
  compileOp(op: Op, ctx: CompileContext): Statement[];
  /**
   * Lines the script header adds for this dialect (without `-- `), after the tool's own: what a reviewer
   * must know about how the script behaves on this engine (MySQL: no transactional DDL). None: nothing.
   */
  readonly headerNotes?: readonly string[];
  /**
   * The command line a DBA applies a script file with, for the header's "Apply with:" line (the engine's
   * own client: `psql -X -f`, `sqlite3 -bail`, `mysql`/`mariadb`).
   */
  applyWith(file: string): string;
  /**
   * Optional: ops the dialect applies by rebuilding the table (SQLite's ALTER TABLE cannot add or drop a
   * constraint, or change a column's type, nullability or default). Dialects without it ignore all this.
   */
  readonly rebuild?: TableRebuild;
  /**
   * False when the dialect has no named enum types (SQLite: an enum column is a VARCHAR with a CHECK):
   * the enum types the schema model releases after their last use are then not dropped. Default true.
   */
  readonly namedEnumTypes?: boolean;
}

/**
 * A run of consecutive ops of one step on one table, all of which the dialect applies by rebuilding that
 * table; the pipeline (`src/plan/compile.ts`) hands it over once the run ends, as Alembic's batch mode
 * collects the ops of a `batch_alter_table` block into one "move and copy".
 */
export interface TableRebuildRun {
  /** The table's name, the same before and after the run (a rename ends a run). */
  readonly table: string;
  readonly schema?: string;
  /** The ops, in order, each already validated against the model and checked by `compileOp`. */
  readonly ops: readonly Op[];
  /** The table as the schema model had it before the first op of the run (a copy). */
  readonly before: TableState;
  /** The table as the schema model has it after the last op of the run. */
  readonly after: TableState;
  /** The other tables whose foreign keys reference this table after the run, in the model's order. */
  readonly referencedBy: readonly string[];
}

/** How a dialect rebuilds tables (see {@link Dialect.rebuild}). */
export interface TableRebuild {
  /**
   * The table that `op` rebuilds, or undefined when `compileOp` renders it. The pipeline still calls
   * `compileOp` for an op it claims, to check it (throwing what the dialect refuses), and ignores the
   * statements it returns (none, unless the op joined an open run): its SQL comes from
   * {@link TableRebuild.compile} with the rest of its run. `openRun` is the table of the run in
   * progress, if any: an op on that table that ALTER TABLE could do alone may still join the run (one
   * rebuild instead of a rebuild, an ALTER and another rebuild), as in Alembic's batch mode.
   */
  tableOf(op: Op, ctx: CompileContext, openRun?: { readonly table: string; readonly schema?: string }): { readonly table: string; readonly schema?: string } | undefined;
  /** The statements that rebuild the table for a run. @throws UserError as `compileOp`. */
  compile(run: TableRebuildRun, ctx: CompileContext): Statement[];
  /**
   * Statements that must run outside any transaction, written by the assembler before the first `BEGIN`
   * and after the last `COMMIT` of a script that has a rebuild (SQLite: `PRAGMA foreign_keys`, which is a
   * no-op inside a transaction — SQLite docs, pragma.html#pragma_foreign_keys).
   */
  readonly outside: { readonly before: readonly string[]; readonly after: readonly string[] };
}
