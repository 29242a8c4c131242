/**
 * PostgreSQL identifiers and literals, quoted as SQLAlchemy's PostgreSQL dialect does
 * (`IdentifierPreparer._requires_quotes`, `PGIdentifierPreparer`), and checked against what the server
 * would otherwise silently change (PostgreSQL 15 docs, 4.1.1 "Identifiers and Key Words": names longer
 * than NAMEDATALEN-1 = 63 bytes are truncated).
 */
import { UserError } from '../../errors.js';
import type { DefaultValue, Literal, RowValue, Sql } from '../../ops/types.js';

/**
 * SQLAlchemy's `RESERVED_WORDS` for PostgreSQL (`lib/sqlalchemy/dialects/postgresql/base.py`, 1.4):
 * names that are quoted even when all lower-case.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast',
  'check', 'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date', 'current_role',
  'current_time', 'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do',
  'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in',
  'initially', 'intersect', 'into', 'leading', 'limit', 'localtime', 'localtimestamp', 'new', 'not', 'null',
  'of', 'off', 'offset', 'old', 'on', 'only', 'or', 'order', 'placing', 'primary', 'references', 'returning',
  'select', 'session_user', 'some', 'symmetric', 'table', 'then', 'to', 'trailing', 'true', 'union', 'unique',
  'user', 'using', 'variadic', 'when', 'where', 'window', 'with', 'authorization', 'between', 'binary',
  'cross', 'current_schema', 'freeze', 'full', 'ilike', 'inner', 'is', 'isnull', 'join', 'left', 'like',
  'natural', 'notnull', 'outer', 'over', 'overlaps', 'right', 'similar', 'verbose',
]);

/** PostgreSQL's NAMEDATALEN - 1: the longest identifier, in bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

const LEGAL_CHARACTERS = /^[A-Z0-9_$]+$/i;
const ILLEGAL_INITIAL_CHARACTERS = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '$']);

/**
 * True when `name` must be written in double quotes: a reserved word, a leading digit or `$`, a character
 * outside `[A-Za-z0-9_$]`, or any upper-case letter (SQLAlchemy's `_requires_quotes`).
 */
export function requiresQuotes(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    RESERVED_WORDS.has(lower) ||
    ILLEGAL_INITIAL_CHARACTERS.has(name[0] ?? '') ||
    !LEGAL_CHARACTERS.test(name) ||
    lower !== name
  );
}

/**
 * An identifier as PostgreSQL needs it: `users` → `users`, `user` → `"user"`, `Users` → `"Users"`,
 * `a"b` → `"a""b"` (PostgreSQL 15 docs, 4.1.1 "Identifiers and Key Words").
 * @throws UserError for an empty name, a NUL character, or a name over 63 bytes (which PostgreSQL would
 *   silently truncate, so the schema would not have the name the migration says).
 */
export function quoteIdentifier(name: string): string {
  checkIdentifier(name);
  return requiresQuotes(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

/** Checks that PostgreSQL will keep `name` as written (see {@link quoteIdentifier}). */
export function checkIdentifier(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new UserError('PostgreSQL identifiers cannot be empty');
  if (name.includes('\0')) throw new UserError(`PostgreSQL identifiers cannot contain the NUL character: ${JSON.stringify(name)}`);
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new UserError(
      `identifier "${name}" is ${bytes} bytes long; PostgreSQL keeps only ${MAX_IDENTIFIER_BYTES} and would silently truncate it`,
    );
  }
}

/**
 * `schema.name`, each part quoted as needed; just `name` without a schema (PostgreSQL 15 docs, 5.9.3
 * "The Schema Search Path" / 4.1.1: a qualified name is `schema.object`).
 */
export function qualify(name: string, schema?: string): string {
  return schema === undefined ? quoteIdentifier(name) : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/**
 * A string constant: `O'Brien` → `'O''Brien'`. A value with a backslash becomes an escape string
 * constant with the backslashes doubled (`C:\dir` → `E'C:\\dir'`), which means the same text whatever
 * the server's `standard_conforming_strings` is (PostgreSQL 15 docs, 4.1.2.1 "String Constants" and
 * 4.1.2.2 "String Constants with C-Style Escapes"); a plain `'C:\dir'` would change meaning on a server
 * where it is off.
 * @throws UserError for a NUL character, which PostgreSQL text cannot hold.
 */
export function quoteString(value: string): string {
  if (value.includes('\0')) throw new UserError(`PostgreSQL text cannot contain the NUL character: ${JSON.stringify(value)}`);
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/** A number as a SQL numeric constant (PostgreSQL 15 docs, 4.1.2.6 "Numeric Constants"). */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new UserError(`PostgreSQL has no literal for the number ${String(value)}`);
  return Object.is(value, -0) ? '0' : String(value);
}

/**
 * A value as a literal: strings quoted, numbers as written, booleans `true`/`false`, null `NULL`
 * (PostgreSQL 15 docs, 4.1.2 "Constants"; 8.6 "Boolean Type").
 */
export function literal(value: Literal | RowValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new UserError(`PostgreSQL: cannot write ${JSON.stringify(value)} as a literal`);
}

/** A server default: a literal, or `sql\`...\`` as written, trimmed (PostgreSQL 15 docs, 5.2 "Default Values"). */
export function defaultExpression(value: DefaultValue): string {
  return isSqlValue(value) ? value.text.trim() : literal(value);
}

/** True for `sql\`...\``. */
export function isSqlValue(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'sql';
}
