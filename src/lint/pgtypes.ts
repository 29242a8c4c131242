/**
 * Column type changes on PostgreSQL, judged offline: does `ALTER COLUMN ... TYPE` rewrite the table, and
 * does it narrow the type (values that exist may no longer fit)?
 *
 * The rewrite rule is PostgreSQL 15's (docs, SQL Commands: ALTER TABLE, Notes): "changing the type of an
 * existing column will require the entire table and its indexes to be rewritten. As an exception, when
 * changing the type of an existing column, if the USING clause does not change the column contents and the
 * old type is either binary coercible to the new type or an unconstrained domain over the new type, a table
 * rewrite is not needed". What counts as binary coercible here is what the server's
 * `ATColumnChangeRequiresRewrite` accepts: a relabelling (text ↔ varchar), a length/precision coercion
 * that its support function proves to be a no-op (`varchar_support`: VARCHAR(n) → VARCHAR(m ≥ n) or
 * unbounded; `numeric_support`: NUMERIC(p, s) → NUMERIC(p' ≥ p, s) or unconstrained), and
 * timestamp ↔ timestamptz when the session TimeZone is UTC (PostgreSQL 12+). Everything else rewrites,
 * arrays included (an array coercion is never exempt, even varchar(10)[] → text[]). The test
 * `test/lint/postgres-facts.test.ts` checks each case against a real PostgreSQL (the table's relfilenode).
 */
import type { TypeSpec } from '../ops/types.js';
import { qualifiedKey } from '../state/schema.js';
import { renderType } from '../dialects/postgresql/types.js';

/** A PostgreSQL type, reduced to what decides rewrites and narrowing. */
export type PgType =
  | { readonly k: 'int'; readonly bytes: 2 | 4 | 8 }
  | { readonly k: 'numeric'; readonly precision?: number; readonly scale: number }
  | { readonly k: 'float'; readonly bytes: 4 | 8 }
  | { readonly k: 'varchar'; readonly length?: number }
  | { readonly k: 'text' }
  | { readonly k: 'timestamp'; readonly tz: boolean }
  | { readonly k: 'enum'; readonly key: string; readonly values?: readonly string[] }
  | { readonly k: 'array'; readonly item: PgType }
  /** Any other built-in type, by its canonical name (`date`, `uuid`, `jsonb`, `time`, `timetz`, ...). */
  | { readonly k: 'named'; readonly name: string }
  /** A custom type sqlscribe does not recognise, by its normalised text. */
  | { readonly k: 'opaque'; readonly text: string };

/** `float(p)`: 1–24 binary digits is REAL, 25–53 (or none) DOUBLE PRECISION (PostgreSQL 15 docs, 8.1.3). */
const floatBytes = (precision: number | undefined): 4 | 8 => (precision !== undefined && precision <= 24 ? 4 : 8);

/** The reduced form of a `t.*` type. */
export function pgTypeOf(type: TypeSpec): PgType {
  switch (type.kind) {
    case 'integer':
      return { k: 'int', bytes: 4 };
    case 'bigInteger':
      return { k: 'int', bytes: 8 };
    case 'smallInteger':
      return { k: 'int', bytes: 2 };
    case 'string':
      return type.length === undefined ? { k: 'varchar' } : { k: 'varchar', length: type.length };
    case 'text':
      return { k: 'text' };
    case 'numeric':
      return type.precision === undefined ? { k: 'numeric', scale: 0 } : { k: 'numeric', precision: type.precision, scale: type.scale ?? 0 };
    case 'float':
      return { k: 'float', bytes: floatBytes(type.precision) };
    case 'double':
      return { k: 'float', bytes: 8 };
    case 'dateTime':
      return { k: 'timestamp', tz: type.timezone };
    case 'time':
      return { k: 'named', name: type.timezone ? 'timetz' : 'time' };
    case 'binary':
      return { k: 'named', name: 'bytea' };
    case 'boolean':
    case 'date':
    case 'interval':
    case 'uuid':
    case 'json':
    case 'jsonb':
      return { k: 'named', name: type.kind };
    case 'enum':
      return { k: 'enum', key: qualifiedKey(type.name, type.schema), values: type.values };
    case 'array':
      return { k: 'array', item: pgTypeOf(type.item) };
    case 'custom':
      return parsePgType(type.postgresql ?? type.default);
  }
}

/**
 * Recognises the usual spellings of built-in types in a custom type's text (`int8`, `character varying(20)`,
 * `decimal(10,2)`, `timestamptz`, `text[]`); anything else is opaque.
 */
export function parsePgType(text: string): PgType {
  const s = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1');
  if (s.endsWith('[]')) return { k: 'array', item: parsePgType(s.slice(0, -2)) };
  let m: RegExpMatchArray | null;
  if (/^(smallint|int2)$/.test(s)) return { k: 'int', bytes: 2 };
  if (/^(integer|int|int4)$/.test(s)) return { k: 'int', bytes: 4 };
  if (/^(bigint|int8)$/.test(s)) return { k: 'int', bytes: 8 };
  if (s === 'text') return { k: 'text' };
  if ((m = /^(?:varchar|character varying)(?:\((\d+)\))?$/.exec(s))) return m[1] === undefined ? { k: 'varchar' } : { k: 'varchar', length: Number(m[1]) };
  if ((m = /^(?:numeric|decimal)(?:\((\d+)(?:,(\d+))?\))?$/.exec(s))) {
    return m[1] === undefined ? { k: 'numeric', scale: 0 } : { k: 'numeric', precision: Number(m[1]), scale: Number(m[2] ?? 0) };
  }
  if (/^(real|float4)$/.test(s)) return { k: 'float', bytes: 4 };
  if (/^(double precision|float8)$/.test(s)) return { k: 'float', bytes: 8 };
  if ((m = /^float(?:\((\d+)\))?$/.exec(s))) return { k: 'float', bytes: floatBytes(m[1] === undefined ? undefined : Number(m[1])) };
  if (/^(timestamp|timestamp without time zone)$/.test(s)) return { k: 'timestamp', tz: false };
  if (/^(timestamptz|timestamp with time zone)$/.test(s)) return { k: 'timestamp', tz: true };
  if (/^(time|time without time zone)$/.test(s)) return { k: 'named', name: 'time' };
  if (/^(timetz|time with time zone)$/.test(s)) return { k: 'named', name: 'timetz' };
  if (/^(boolean|bool)$/.test(s)) return { k: 'named', name: 'boolean' };
  if (/^(date|uuid|json|jsonb|bytea|interval)$/.test(s)) return { k: 'named', name: s };
  return { k: 'opaque', text: s };
}

/** True when both are the same type with the same modifiers. */
export function sameType(a: PgType, b: PgType): boolean {
  return JSON.stringify(a, ['k', 'bytes', 'precision', 'scale', 'length', 'tz', 'key', 'name', 'text', 'item']) ===
    JSON.stringify(b, ['k', 'bytes', 'precision', 'scale', 'length', 'tz', 'key', 'name', 'text', 'item']);
}

const hasOpaque = (t: PgType): boolean => t.k === 'opaque' || (t.k === 'array' && hasOpaque(t.item));

/**
 * Whether changing a column from `from` to `to` (without USING) rewrites the table on PostgreSQL 15:
 * `none` (no rewrite), `rewrite`, `timezone` (timestamp ↔ timestamptz: no rewrite only when the session
 * TimeZone is UTC), `unknown` (a custom type sqlscribe does not recognise).
 */
export function typeChangeRewrite(from: PgType, to: PgType): 'none' | 'rewrite' | 'timezone' | 'unknown' {
  if (sameType(from, to)) return 'none';
  if (hasOpaque(from) || hasOpaque(to)) return 'unknown';
  const stringy = (t: PgType) => t.k === 'text' || t.k === 'varchar';
  if (stringy(from) && stringy(to)) {
    if (to.k === 'text' || (to.k === 'varchar' && to.length === undefined)) return 'none'; // relabel
    if (from.k === 'varchar' && from.length !== undefined && to.k === 'varchar' && to.length! >= from.length) return 'none'; // varchar_support
    return 'rewrite';
  }
  if (from.k === 'numeric' && to.k === 'numeric') {
    if (to.precision === undefined) return 'none'; // numeric_support: unconstrained target
    if (from.precision !== undefined && to.scale === from.scale && to.precision >= from.precision) return 'none';
    return 'rewrite';
  }
  if (from.k === 'timestamp' && to.k === 'timestamp') return 'timezone';
  return 'rewrite';
}

/** Decimal digits an integer type holds in full (smallint 4: 9999 ≤ 32767), and its widest value's digits. */
const INT_FULL_DIGITS = { 2: 4, 4: 9, 8: 18 } as const;
const INT_DIGITS = { 2: 5, 4: 10, 8: 19 } as const;
/** Characters of an integer type's longest text form (`-32768`, `-2147483648`, `-9223372036854775808`). */
const INT_TEXT = { 2: 6, 4: 11, 8: 20 } as const;
/** Significant decimal digits kept: REAL 6, DOUBLE PRECISION 15 (PostgreSQL 15 docs, 8.1.3). */
const FLOAT_DIGITS = { 4: 6, 8: 15 } as const;
/** Exact integers a float holds: 2^24 for REAL, 2^53 for DOUBLE PRECISION; so int4 fits REAL only up to 7 digits. */
const FLOAT_EXACT_INT_BYTES = { 4: 2, 8: 4 } as const;

const list = (parts: string[]): string => (parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`);

/**
 * What a type change loses, as a phrase for the finding ("existing values longer than 20 characters make
 * the ALTER fail"), or undefined when `to` holds every value of `from`. Judged for the changes that have a
 * clear order: strings by length, integers by width, numerics by integer digits and scale, floats by
 * width, across integer / numeric / float, timestamps to dates, integers/numerics/uuids to bounded
 * strings, enums by values, and arrays by their items. Other changes (text to integer, json to jsonb,
 * custom types) are not judged here.
 * @param toLabel the new type's SQL name, for the phrase
 */
export function narrowing(from: PgType, to: PgType, toLabel: string): string | undefined {
  const fail: string[] = [];
  const silent: string[] = [];
  const digitsFail = (n: number) => fail.push(`values with more than ${n} digit${n === 1 ? '' : 's'} before the decimal point`);
  const rangeFail = () => fail.push(`values outside the range of ${toLabel}`);
  switch (to.k) {
    case 'varchar': {
      if (to.length === undefined) return undefined;
      let longest: number | undefined | 'unbounded';
      if (from.k === 'text' || (from.k === 'varchar' && from.length === undefined)) longest = 'unbounded';
      else if (from.k === 'varchar') longest = from.length;
      else if (from.k === 'int') longest = INT_TEXT[from.bytes];
      else if (from.k === 'named' && from.name === 'uuid') longest = 36;
      else if (from.k === 'numeric') longest = from.precision === undefined ? 'unbounded' : from.precision + (from.scale > 0 ? 2 : 1);
      else return undefined;
      if (longest === undefined || (longest !== 'unbounded' && longest <= to.length)) return undefined;
      const what = from.k === 'text' || from.k === 'varchar' ? 'values' : 'values whose text is';
      fail.push(`${what} longer than ${to.length} character${to.length === 1 ? '' : 's'}`);
      break;
    }
    case 'int': {
      if (from.k === 'int') {
        if (from.bytes > to.bytes) rangeFail();
      } else if (from.k === 'numeric') {
        if (from.precision === undefined || from.scale > 0) silent.push('fractional parts of existing values are silently rounded away');
        if (from.precision === undefined || from.precision - from.scale > INT_FULL_DIGITS[to.bytes]) rangeFail();
      } else if (from.k === 'float') {
        silent.push('fractional parts of existing values are silently rounded away');
        rangeFail();
      } else return undefined;
      break;
    }
    case 'numeric': {
      if (to.precision === undefined) return undefined;
      const intDigits = to.precision - to.scale;
      if (from.k === 'int') {
        if (INT_DIGITS[from.bytes] > intDigits) digitsFail(intDigits);
      } else if (from.k === 'numeric') {
        if (from.precision === undefined || from.scale > to.scale) silent.push(`existing values are silently rounded to ${to.scale} decimal place${to.scale === 1 ? '' : 's'}`);
        if (from.precision === undefined || from.precision - from.scale > intDigits) digitsFail(intDigits);
      } else if (from.k === 'float') {
        silent.push(`existing values are silently rounded to ${to.scale} decimal place${to.scale === 1 ? '' : 's'}`);
        digitsFail(intDigits);
      } else return undefined;
      break;
    }
    case 'float': {
      const keep = `${toLabel} keeps about ${FLOAT_DIGITS[to.bytes]} significant digits`;
      if (from.k === 'float') {
        if (from.bytes > to.bytes) {
          silent.push(`existing values silently lose precision (${keep})`);
          rangeFail();
        }
      } else if (from.k === 'int') {
        if (from.bytes > FLOAT_EXACT_INT_BYTES[to.bytes]) silent.push(`large existing values silently lose precision (${keep})`);
      } else if (from.k === 'numeric') {
        if (from.precision === undefined || from.precision > FLOAT_DIGITS[to.bytes]) silent.push(`existing values silently lose precision (${keep})`);
        if (to.bytes === 4 && (from.precision === undefined || from.precision - from.scale > 38)) rangeFail();
      } else return undefined;
      break;
    }
    case 'named': {
      if (to.name === 'date' && from.k === 'timestamp') silent.push('the time of day of existing values is silently dropped');
      else return undefined;
      break;
    }
    case 'enum': {
      if (from.k !== 'enum' || from.key === to.key || !from.values || !to.values) return undefined;
      const missing = from.values.filter((v) => !to.values!.includes(v));
      if (missing.length === 0) return undefined;
      fail.push(`values ${list(missing.map((v) => `'${v}'`))} (not in ${toLabel})`);
      break;
    }
    case 'array': {
      if (from.k !== 'array') return undefined;
      const inner = narrowing(from.item, to.item, toLabel.replace(/\[\]$/, ''));
      return inner === undefined ? undefined : `in the array elements, ${inner}`;
    }
    default:
      return undefined;
  }
  const parts: string[] = [];
  if (fail.length > 0) parts.push(`existing ${list(fail)} make the ALTER fail`);
  parts.push(...silent);
  return parts.length === 0 ? undefined : list(parts);
}

/** The SQL name of a type on PostgreSQL (`VARCHAR(20)`, `NUMERIC(10, 2)`), for messages. */
export function pgTypeLabel(type: TypeSpec): string {
  try {
    return renderType(type);
  } catch {
    return type.kind; // a size PostgreSQL refuses: compiling the op reports it
  }
}
