/**
 * MySQL/MariaDB names of the generic types (`t.*`), as SQLAlchemy's `MySQLTypeCompiler` writes them
 * (MySQL 8.0 Reference Manual, Chapter 13 "Data Types"; MariaDB Server documentation, "Data Types"),
 * with the departures listed in `README.md` of this folder.
 */
import { UserError } from '../../errors.js';
import type { TypeSpec } from '../../ops/types.js';
import { quoteString } from './quoting.js';

/** MySQL 8.0 Reference Manual, 13.1.3: DECIMAL precision is at most 65, scale at most 30. */
const MAX_DECIMAL_PRECISION = 65;
const MAX_DECIMAL_SCALE = 30;
/** MySQL 8.0 Reference Manual, 13.1.4: FLOAT(p) takes p from 0 to 53. */
const MAX_FLOAT_PRECISION = 53;
/** MySQL 8.0 Reference Manual, 13.3.2: VARCHAR length 0 to 65,535 (less the row's other columns). */
const MAX_VARCHAR_LENGTH = 65535;

/**
 * The SQL for a type: `INTEGER`, `VARCHAR(50)`, `BOOLEAN`, `DATETIME`, `TIMESTAMP` (`dateTime({ timezone:
 * true })`), `NUMERIC(10, 2)`, `DOUBLE`, `CHAR(36)` (uuid), `JSON` (json and jsonb), `BLOB`/`VARBINARY(n)`,
 * `ENUM('a', 'b')` inline, a custom type's `mysql` text (else `default`).
 * @param dialect `mysql` or `mariadb`, for messages.
 * @throws UserError for what MySQL lacks (interval, arrays, time with time zone, VARCHAR without a length)
 *   and for sizes it refuses.
 */
export function renderType(type: TypeSpec, dialect: string): string {
  const D = dialect === 'mariadb' ? 'MariaDB' : 'MySQL';
  switch (type.kind) {
    case 'integer':
      return 'INTEGER';
    case 'bigInteger':
      return 'BIGINT';
    case 'smallInteger':
      return 'SMALLINT';
    case 'string':
      // SQLAlchemy: "VARCHAR requires a length on dialect mysql".
      if (type.length === undefined) throw new UserError(`t.string() needs a length on ${D} (VARCHAR(n)); give t.string(n) or use t.text()`);
      if (type.length > MAX_VARCHAR_LENGTH) throw new UserError(`t.string(${type.length}): ${D} allows VARCHAR lengths up to ${MAX_VARCHAR_LENGTH} (use t.text())`);
      return `VARCHAR(${type.length})`;
    case 'text':
      return 'TEXT';
    case 'boolean':
      // MySQL 8.0 Reference Manual, 13.1.1: "BOOL, BOOLEAN: These types are synonyms for TINYINT(1)".
      // SQLAlchemy writes BOOL; BOOLEAN is the same type and the spelling node-sql-parser knows.
      return 'BOOLEAN';
    case 'dateTime':
      // TIMESTAMP is stored in UTC and converted from/to the session time zone (13.2.2): the nearest
      // to a time-zone-aware timestamp. SQLAlchemy writes DATETIME either way.
      return type.timezone ? 'TIMESTAMP' : 'DATETIME';
    case 'date':
      return 'DATE';
    case 'time':
      if (type.timezone) throw new UserError(`t.time({ timezone: true }): ${D} has no time with time zone (use t.time())`);
      return 'TIME';
    case 'interval':
      throw new UserError(`t.interval(): ${D} has no interval type (store a number of seconds, or use t.custom)`);
    case 'numeric':
      if (type.precision === undefined) return 'NUMERIC';
      if (type.precision > MAX_DECIMAL_PRECISION) throw new UserError(`t.numeric(${type.precision}): ${D} allows a NUMERIC precision of at most ${MAX_DECIMAL_PRECISION}`);
      if (type.scale !== undefined && type.scale > MAX_DECIMAL_SCALE) throw new UserError(`t.numeric(${type.precision}, ${type.scale}): ${D} allows a scale of at most ${MAX_DECIMAL_SCALE}`);
      return type.scale === undefined ? `NUMERIC(${type.precision})` : `NUMERIC(${type.precision}, ${type.scale})`;
    case 'float':
      if (type.precision === undefined) return 'FLOAT';
      if (type.precision > MAX_FLOAT_PRECISION) throw new UserError(`t.float(${type.precision}): ${D} allows a FLOAT precision of 0 to ${MAX_FLOAT_PRECISION} bits`);
      return `FLOAT(${type.precision})`;
    case 'double':
      return 'DOUBLE';
    case 'uuid':
      // SQLAlchemy 2's Uuid on MySQL: CHAR(32) hex; CHAR(36) keeps the canonical text with hyphens.
      return 'CHAR(36)';
    case 'json':
    case 'jsonb':
      // MariaDB: JSON is an alias of LONGTEXT with a json_valid() check (MariaDB docs, "JSON Data Type").
      return 'JSON';
    case 'binary':
      // Unsized: BLOB, as SQLAlchemy's LargeBinary. Sized: VARBINARY(n), the binary string of at most n bytes
      // (13.3.3); SQLAlchemy writes BLOB(n), which MySQL turns into the smallest BLOB type that fits.
      if (type.length === undefined) return 'BLOB';
      if (type.length > MAX_VARCHAR_LENGTH) throw new UserError(`t.binary(${type.length}): ${D} allows VARBINARY lengths up to ${MAX_VARCHAR_LENGTH} (use t.binary())`);
      return `VARBINARY(${type.length})`;
    case 'enum':
      // MySQL 8.0 Reference Manual, 13.3.5 "The ENUM Type": the values are part of the column type.
      if (type.values.length === 0) throw new UserError(`enum "${type.name}" has no values`);
      return `ENUM(${type.values.map(quoteString).join(', ')})`;
    case 'array':
      throw new UserError(`t.array(): ${D} has no array types (use t.json())`);
    case 'custom':
      return (type.mysql ?? type.default).trim();
    default: {
      const never: never = type;
      throw new UserError(`${D}: unknown type ${JSON.stringify(never)}`);
    }
  }
}

/** True for `integer`, `bigInteger`, `smallInteger` (`../resolve.ts`). */
export { isIntegerType } from '../resolve.js';

/**
 * True for the types whose literal default MySQL 8.0.13+ accepts only as a parenthesised expression
 * (MySQL 8.0 Reference Manual, 13.6 "Data Type Default Values": "The BLOB, TEXT, GEOMETRY, and JSON
 * data types can be assigned a default value only if the value is written as an expression").
 */
export function needsExpressionDefault(type: TypeSpec): boolean {
  return type.kind === 'text' || type.kind === 'json' || type.kind === 'jsonb' || (type.kind === 'binary' && type.length === undefined);
}

/** Whether `COLLATE` can follow the type: string, text, enum and custom types. */
export function isCollatable(type: TypeSpec): boolean {
  return type.kind === 'string' || type.kind === 'text' || type.kind === 'enum' || type.kind === 'custom';
}
