/**
 * Is a column's server default volatile? PostgreSQL 11+ evaluates a non-volatile default once, when
 * `ADD COLUMN` runs, and stores it in the catalog for the existing rows: no rewrite. A VOLATILE default
 * (`random()`, `gen_random_uuid()`, `clock_timestamp()`, `nextval()`) must be computed per row, so the
 * table is rewritten (PostgreSQL 15 docs, SQL Commands: ALTER TABLE, ADD COLUMN and Notes: "Adding a
 * column with a volatile DEFAULT ... will require the entire table and its indexes to be rewritten";
 * 38.7 "Function Volatility Categories": `now()` and the other transaction-time functions are STABLE).
 *
 * Offline, the default is raw SQL text: its function calls are found by a scan that skips string literals,
 * quoted identifiers and casts (`'{}'::jsonb`, `CAST(x AS varchar(10))`). A call of a function listed as
 * VOLATILE makes the default volatile; a call of a function on neither list makes it unknown (a user's
 * function may be volatile: the linter says so rather than stay silent, as squawk does). Each name's
 * volatility is checked against `pg_proc.provolatile` of a real PostgreSQL 15 in
 * `test/lint/postgres-facts.test.ts`.
 */
import type { DefaultValue } from '../ops/types.js';

/** Functions whose every overload is VOLATILE (`pg_proc.provolatile = 'v'`). */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'random',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setval',
  'currval',
  'lastval',
  'gen_random_uuid',
  // uuid-ossp and pgcrypto (extensions)
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'gen_random_bytes',
  'gen_salt',
  // newer than PostgreSQL 15 (docs of 16 and 18): not in a 15 catalog
  'random_normal',
  'uuidv4',
  'uuidv7',
]);

/** Of {@link VOLATILE_FUNCTIONS}, those a PostgreSQL 15 catalog (with its contrib extensions) does not have. */
export const VOLATILE_FUNCTIONS_AFTER_15: ReadonlySet<string> = new Set(['random_normal', 'uuidv4', 'uuidv7']);

/**
 * Functions whose every overload is STABLE or IMMUTABLE, seen in server defaults: no rewrite. The
 * transaction-time functions are here (`now()` is STABLE: one value per transaction).
 */
export const NON_VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'now',
  'statement_timestamp',
  'transaction_timestamp',
  'timezone',
  'date_trunc',
  'current_setting',
  'txid_current',
  'pg_current_xact_id',
  'lower',
  'upper',
  'md5',
  'concat',
  'to_jsonb',
  'to_json',
  'jsonb_build_object',
  'json_build_object',
  'jsonb_build_array',
  'json_build_array',
  'make_interval',
  'make_date',
  'to_char',
  'to_timestamp',
  'uuid_generate_v3',
  'uuid_generate_v5',
  'uuid_nil',
]);

/**
 * SQL constructs written like calls that are not functions of their own (their arguments are scanned
 * like the rest), and the SQL-standard value functions that take an optional precision
 * (`CURRENT_TIMESTAMP(3)`, STABLE like `now()`).
 */
const CONSTRUCTS: ReadonlySet<string> = new Set([
  'cast',
  'coalesce',
  'nullif',
  'greatest',
  'least',
  'array',
  'row',
  'in',
  'and',
  'or',
  'not',
  'exists',
  'values',
  'when',
  'then',
  'else',
  'is',
  'from',
  'like',
  'ilike',
  'between',
  'extract',
  'position',
  'substring',
  'trim',
  'overlay',
  'any',
  'all',
  'some',
  'current_timestamp',
  'current_time',
  'localtimestamp',
  'localtime',
]);

/** What a default does to `ADD COLUMN` on a table with rows. */
export type DefaultVolatility =
  | { readonly kind: 'constant' }
  | { readonly kind: 'volatile'; readonly fn: string }
  | { readonly kind: 'unknown'; readonly fn: string };

/**
 * The function names called in SQL text, in order: unquoted names lower-cased (as PostgreSQL folds them),
 * quoted ones as written, schema prefixes dropped.
 */
export function calledFunctions(text: string): string[] {
  // Blank out string literals ('...' with '' escapes, E'...' with backslash escapes, $tag$...$tag$) and
  // quoted identifiers, keeping positions.
  const blank = (m: string) => ' '.repeat(m.length);
  const scrubbed = text
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, blank)
    .replace(/[Ee]'(?:[^'\\]|\\.|'')*'/g, blank)
    .replace(/'(?:[^']|'')*'/g, blank)
    .replace(/(?:"(?:[^"]|"")*"|[A-Za-z_][\w$]*)\s*\.\s*(?=[A-Za-z_"])/g, blank); // a schema prefix: the function name follows
  const out: string[] = [];
  const call = /(?:"((?:[^"]|"")+)"|([A-Za-z_][\w$]*))\s*\(/g;
  let m: RegExpExecArray | null;
  while ((m = call.exec(scrubbed))) {
    const name = m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase();
    const before = scrubbed.slice(0, m.index);
    if (/::\s*$/.test(before)) continue; // a cast's type: '...'::varchar(10)
    if (/\bas\s+$/i.test(before)) continue; // CAST(x AS numeric(10, 2))
    if (/::\s*(?:character|double|timestamp|time|bit)\s+$/i.test(before)) continue; // ::character varying(10)
    if (CONSTRUCTS.has(name)) continue;
    out.push(name);
  }
  return out;
}

/** Judges a server default (a literal is a constant). */
export function defaultVolatility(value: DefaultValue): DefaultVolatility {
  if (typeof value !== 'object') return { kind: 'constant' };
  const fns = calledFunctions(value.text);
  const volatile = fns.find((f) => VOLATILE_FUNCTIONS.has(f));
  if (volatile) return { kind: 'volatile', fn: volatile };
  const unknown = fns.find((f) => !NON_VOLATILE_FUNCTIONS.has(f));
  if (unknown) return { kind: 'unknown', fn: unknown };
  return { kind: 'constant' };
}
