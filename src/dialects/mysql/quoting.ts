/**
 * MySQL/MariaDB identifiers and literals.
 *
 * Identifiers are always written in backticks, a backtick doubled (MySQL 8.0 Reference Manual, 11.2
 * "Schema Object Names": "If any components of a multiple-part name require quoting, quote them
 * individually"; "Identifier quote characters can be included within an identifier if you quote the
 * identifier. If the character to be included within the identifier is the same as that used to quote
 * the identifier itself, then you need to double the character"). SQLAlchemy quotes only reserved words;
 * quoting every name is a deliberate difference (no reserved-word list to keep in step with two servers).
 *
 * String literals double `'` and escape `\` as `\\` (MySQL 8.0 Reference Manual, 11.1.1 "String
 * Literals", Table 11.1 "Special Character Escape Sequences"). That assumes an `sql_mode` without
 * `NO_BACKSLASH_ESCAPES` (the default of MySQL and MariaDB); the script header says so.
 */
import { UserError } from '../../errors.js';
import type { DefaultValue, Literal, RowValue, Sql } from '../../ops/types.js';

/** MySQL 8.0 Reference Manual, 11.2.1 "Identifier Length Limits": 64 characters for tables, columns, indexes, constraints, databases. */
export const MAX_IDENTIFIER_LENGTH = 64;

/**
 * Checks that MySQL keeps `name` as written.
 * @throws UserError for an empty name, NUL, a name over 64 characters, or a name ending in a space
 *   (MySQL 8.0 Reference Manual, 11.2 "Schema Object Names": "Database, table, and column names cannot
 *   end with space characters"; "ASCII NUL (U+0000) ... not permitted in quoted or unquoted identifiers").
 */
export function checkIdentifier(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new UserError('MySQL identifiers cannot be empty');
  if (name.includes('\0')) throw new UserError(`MySQL identifiers cannot contain the NUL character: ${JSON.stringify(name)}`);
  if (/\s$/.test(name)) throw new UserError(`MySQL identifiers cannot end with a space: ${JSON.stringify(name)}`);
  const length = [...name].length;
  if (length > MAX_IDENTIFIER_LENGTH) {
    throw new UserError(`identifier "${name}" is ${length} characters long; MySQL allows at most ${MAX_IDENTIFIER_LENGTH}`);
  }
}

/** `users` → `` `users` ``, ``a`b`` → `` `a``b` `` (always quoted, see the module comment). @throws UserError as {@link checkIdentifier}. */
export function quoteIdentifier(name: string): string {
  checkIdentifier(name);
  return `\`${name.replace(/`/g, '``')}\``;
}

/** `` `db`.`name` ``, or `` `name` `` without a database (MySQL: a schema is a database). */
export function qualify(name: string, schema?: string): string {
  return schema === undefined ? quoteIdentifier(name) : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/**
 * A string literal: `O'Brien` → `'O''Brien'`, `C:\dir` → `'C:\\dir'`, NUL → `\0` (MySQL 8.0 Reference
 * Manual, 11.1.1 "String Literals"; assumes `NO_BACKSLASH_ESCAPES` is off).
 */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0')}'`;
}

/** A number as a numeric literal (MySQL 8.0 Reference Manual, 11.1.2 "Numeric Literals"). */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new UserError(`MySQL has no literal for the number ${String(value)}`);
  return Object.is(value, -0) ? '0' : String(value);
}

/**
 * A value as a literal: strings quoted, numbers as written, booleans `TRUE`/`FALSE` (MySQL 8.0 Reference
 * Manual, 11.1.6 "Boolean Literals": the constants TRUE and FALSE evaluate to 1 and 0), null `NULL`.
 */
export function literal(value: Literal | RowValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  throw new UserError(`MySQL: cannot write ${JSON.stringify(value)} as a literal`);
}

/** True for `sql\`...\``. */
export function isSqlValue(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'sql';
}

/** A server default: a literal, or `sql\`...\`` trimmed, as written. */
export function defaultExpression(value: DefaultValue): string {
  return isSqlValue(value) ? value.text.trim() : literal(value);
}
