/**
 * PostgreSQL names of the generic types (`t.*`), as SQLAlchemy's `PGTypeCompiler` writes them
 * (PostgreSQL 15 docs, Chapter 8 "Data Types").
 */
import { UserError } from '../../errors.js';
import type { EnumType, TypeSpec } from '../../ops/types.js';
import { qualify } from './quoting.js';

/** PostgreSQL 15 docs, 8.1.2: numeric precision is at most 1000. */
const MAX_NUMERIC_PRECISION = 1000;
/** PostgreSQL 15 docs, 8.1.4: `float(p)` accepts 1 to 53 binary digits. */
const MAX_FLOAT_PRECISION = 53;
/** PostgreSQL 15 docs, 8.3: `varchar(n)` accepts n up to 10485760. */
const MAX_VARCHAR_LENGTH = 10485760;

/**
 * The SQL for a type: `INTEGER`, `VARCHAR(50)`, `TIMESTAMP WITH TIME ZONE`, `NUMERIC(10, 2)`,
 * `DOUBLE PRECISION`, `"Mood"` (an enum: its quoted, schema-qualified name), `INTEGER[]` (an array),
 * a custom type's `postgresql` text (else `default`) as written (PostgreSQL 15 docs, Chapter 8 "Data Types",
 * Table 8.1; 8.7 "Enumerated Types"; 8.15 "Arrays").
 * @throws UserError for sizes PostgreSQL refuses.
 */
export function renderType(type: TypeSpec): string {
  switch (type.kind) {
    case 'integer':
      return 'INTEGER';
    case 'bigInteger':
      return 'BIGINT';
    case 'smallInteger':
      return 'SMALLINT';
    case 'string':
      if (type.length === undefined) return 'VARCHAR';
      if (type.length > MAX_VARCHAR_LENGTH) throw new UserError(`t.string(${type.length}): PostgreSQL allows VARCHAR lengths up to ${MAX_VARCHAR_LENGTH} (use t.text())`);
      return `VARCHAR(${type.length})`;
    case 'text':
      return 'TEXT';
    case 'boolean':
      return 'BOOLEAN';
    case 'dateTime':
      return type.timezone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP WITHOUT TIME ZONE';
    case 'date':
      return 'DATE';
    case 'time':
      return type.timezone ? 'TIME WITH TIME ZONE' : 'TIME WITHOUT TIME ZONE';
    case 'interval':
      return 'INTERVAL';
    case 'numeric':
      if (type.precision === undefined) return 'NUMERIC';
      if (type.precision > MAX_NUMERIC_PRECISION) throw new UserError(`t.numeric(${type.precision}): PostgreSQL allows a NUMERIC precision of at most ${MAX_NUMERIC_PRECISION}`);
      return type.scale === undefined ? `NUMERIC(${type.precision})` : `NUMERIC(${type.precision}, ${type.scale})`;
    case 'float':
      if (type.precision === undefined) return 'FLOAT';
      if (type.precision > MAX_FLOAT_PRECISION) throw new UserError(`t.float(${type.precision}): PostgreSQL allows a FLOAT precision of 1 to ${MAX_FLOAT_PRECISION} bits`);
      return `FLOAT(${type.precision})`;
    case 'double':
      return 'DOUBLE PRECISION';
    case 'uuid':
      return 'UUID';
    case 'json':
      return 'JSON';
    case 'jsonb':
      return 'JSONB';
    case 'binary':
      return 'BYTEA';
    case 'enum':
      return qualify(type.name, type.schema);
    case 'array':
      return `${renderType(type.item)}[]`;
    case 'custom':
      return (type.postgresql ?? type.default).trim();
    default: {
      const never: never = type;
      throw new UserError(`PostgreSQL: unknown type ${JSON.stringify(never)}`);
    }
  }
}

/** True for `integer`, `bigInteger`, `smallInteger` (`../resolve.ts`). */
export { isIntegerType } from '../resolve.js';

/** SERIAL, BIGSERIAL or SMALLSERIAL for an integer type (PostgreSQL 15 docs, 8.1.4 "Serial Types"). */
export function serialType(type: TypeSpec): string {
  if (type.kind === 'bigInteger') return 'BIGSERIAL';
  if (type.kind === 'smallInteger') return 'SMALLSERIAL';
  return 'SERIAL';
}

/**
 * Whether `COLLATE` can follow the type: the string types, arrays of them, and custom types (which
 * PostgreSQL judges). PostgreSQL 15 docs, 24.2 "Collation Support".
 */
export function isCollatable(type: TypeSpec): boolean {
  if (type.kind === 'string' || type.kind === 'text' || type.kind === 'custom') return true;
  if (type.kind === 'array') return isCollatable(type.item);
  return false;
}

/** The enum types a type uses (itself, or an array's items), outermost first. */
export function enumsOf(type: TypeSpec): EnumType[] {
  if (type.kind === 'enum') return [type];
  if (type.kind === 'array') return enumsOf(type.item);
  return [];
}
