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
  /** The header's "Apply with:" line for an output file (default: PostgreSQL's `psql` line). */
  applyWith?(file: string): string;
}
