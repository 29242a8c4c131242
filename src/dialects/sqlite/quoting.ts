/**
 * SQLite identifiers and literals, quoted as SQLAlchemy's SQLite dialect does (`SQLiteIdentifierPreparer`,
 * whose reserved words are below; `IdentifierPreparer._requires_quotes`), with SQLite's own escaping
 * (SQLite docs, "SQL As Understood By SQLite": lang_keywords.html — `"name"` with `""` for a quote inside;
 * a string literal in single quotes with `''` for a quote inside, and no backslash escapes).
 */
import { UserError } from '../../errors.js';
import type { DefaultValue, Literal, RowValue, Sql } from '../../ops/types.js';

/** SQLAlchemy 1.4's `SQLiteIdentifierPreparer.reserved_words`: names quoted even when all lower-case. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'add', 'after', 'all', 'alter', 'analyze', 'and', 'as', 'asc', 'attach', 'autoincrement', 'before', 'begin',
  'between', 'by', 'cascade', 'case', 'cast', 'check', 'collate', 'column', 'commit', 'conflict', 'constraint',
  'create', 'cross', 'current_date', 'current_time', 'current_timestamp', 'database', 'default', 'deferrable',
  'deferred', 'delete', 'desc', 'detach', 'distinct', 'drop', 'each', 'else', 'end', 'escape', 'except',
  'exclusive', 'exists', 'explain', 'fail', 'false', 'for', 'foreign', 'from', 'full', 'glob', 'group', 'having',
  'if', 'ignore', 'immediate', 'in', 'index', 'indexed', 'initially', 'inner', 'insert', 'instead', 'intersect',
  'into', 'is', 'isnull', 'join', 'key', 'left', 'like', 'limit', 'match', 'natural', 'not', 'notnull', 'null',
  'of', 'offset', 'on', 'or', 'order', 'outer', 'plan', 'pragma', 'primary', 'query', 'raise', 'references',
  'reindex', 'rename', 'replace', 'restrict', 'right', 'rollback', 'row', 'select', 'set', 'table', 'temp',
  'temporary', 'then', 'to', 'transaction', 'trigger', 'true', 'union', 'unique', 'update', 'using', 'vacuum',
  'values', 'view', 'virtual', 'when', 'where',
]);

const LEGAL_CHARACTERS = /^[A-Z0-9_$]+$/i;

/**
 * True when `name` must be written in double quotes: a reserved word, a leading digit or `$`, a character
 * outside `[A-Za-z0-9_$]`, or any upper-case letter (SQLAlchemy's `_requires_quotes`).
 */
export function requiresQuotes(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_WORDS.has(lower) || /^[0-9$]/.test(name) || !LEGAL_CHARACTERS.test(name) || lower !== name;
}

/**
 * An identifier as SQLite needs it: `users` → `users`, `order` → `"order"`, `Users` → `"Users"`,
 * `a"b` → `"a""b"`. SQLite has no length limit on names.
 * @throws UserError for an empty name or a NUL character (the `sqlite3` shell would cut the script there).
 */
export function quoteIdentifier(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new UserError('SQLite identifiers cannot be empty');
  if (name.includes('\0')) throw new UserError(`SQLite identifiers cannot contain the NUL character: ${JSON.stringify(name)}`);
  return requiresQuotes(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

/**
 * `name` (SQLite has no schemas in sqlscribe's sense: `schema.table` would name an attached database).
 * @throws UserError when a schema is given.
 */
export function qualify(name: string, schema?: string): string {
  if (schema !== undefined) throw new UserError(`SQLite has no schemas (schema "${schema}"): drop the schema option`);
  return quoteIdentifier(name);
}

/**
 * A string literal: `O'Brien` → `'O''Brien'`; a backslash is an ordinary character in SQLite strings.
 * @throws UserError for a NUL character, which the `sqlite3` shell cannot read from a script.
 */
export function quoteString(value: string): string {
  if (value.includes('\0')) throw new UserError(`SQLite scripts cannot contain the NUL character: ${JSON.stringify(value)}`);
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A value as a literal: strings quoted, numbers as written, booleans `1`/`0` (SQLite stores booleans as
 * integers — SQLite docs, datatype3.html §2.1 — and SQLAlchemy's SQLite dialect renders them so), null `NULL`.
 */
export function literal(value: Literal | RowValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UserError(`SQLite has no literal for the number ${String(value)}`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  throw new UserError(`SQLite: cannot write ${JSON.stringify(value)} as a literal`);
}

/** True for `sql\`...\``. */
export function isSqlValue(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'sql';
}

const BARE_DEFAULT = /^(CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|NULL|TRUE|FALSE|[-+]?\d+(\.\d+)?([eE][-+]?\d+)?|'([^']|'')*'|X'[0-9A-Fa-f]*')$/i;

/**
 * A server default as SQLite's `DEFAULT` clause takes it (SQLite docs, lang_createtable.html §3.2 "The
 * DEFAULT clause"): a literal; raw SQL that is a literal or one of `CURRENT_TIMESTAMP`, `CURRENT_DATE`,
 * `CURRENT_TIME` as written; any other expression in parentheses, which SQLite requires (SQLAlchemy's
 * SQLite DDL compiler parenthesises expressions likewise).
 */
export function defaultExpression(value: DefaultValue, where: string): string {
  if (!isSqlValue(value)) return literal(value);
  const text = value.text.trim();
  if (text.length === 0) throw new UserError(`${where}: serverDefault is empty SQL`);
  return BARE_DEFAULT.test(text) ? text : `(${text})`;
}

/**
 * True when `ALTER TABLE ... ADD COLUMN` refuses this default: `CURRENT_TIME`, `CURRENT_DATE`,
 * `CURRENT_TIMESTAMP`, or an expression in parentheses (SQLite docs, lang_altertable.html §5 "ADD COLUMN").
 */
export function isNonConstantDefault(rendered: string): boolean {
  return /^(CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME)$/i.test(rendered) || rendered.startsWith('(');
}
