/**
 * SQLite names of the generic types (`t.*`), as SQLAlchemy's `SQLiteTypeCompiler` writes them. SQLite
 * stores any value in any column and derives a column's *affinity* from the declared type's name (SQLite
 * docs, datatype3.html §3.1 "Determination Of Column Affinity"), so each name below is chosen for the
 * affinity it gives: INTEGER for the integer types, TEXT for strings, dates and JSON, NUMERIC for
 * NUMERIC/BOOLEAN, REAL for FLOAT/DOUBLE, BLOB for binary.
 */
import { UserError } from '../../errors.js';
import type { TypeSpec } from '../../ops/types.js';

/**
 * The declared type of a column: `INTEGER`, `BIGINT`, `VARCHAR(50)`, `DATETIME`, `NUMERIC(10, 2)`,
 * `CHAR(32)` (uuid, as SQLAlchemy's `Uuid` without a native type), `JSON` (json and jsonb), `BLOB`
 * (binary; SQLite has no length for it), `VARCHAR(n)` for an enum (n = its longest value; the column
 * gets a CHECK, see `compile.ts`), a custom type's `sqlite` text (else `default`) as written.
 * `timezone` of dateTime/time has no SQLite counterpart: DATETIME/TIME, as SQLAlchemy renders them.
 * @throws UserError for interval and array, which SQLite lacks.
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
      return type.length === undefined ? 'VARCHAR' : `VARCHAR(${type.length})`;
    case 'text':
      return 'TEXT';
    case 'boolean':
      return 'BOOLEAN';
    case 'dateTime':
      return 'DATETIME';
    case 'date':
      return 'DATE';
    case 'time':
      return 'TIME';
    case 'interval':
      throw new UserError('SQLite has no interval type (t.interval()): store seconds in t.integer(), or write t.custom({ sqlite: ... })');
    case 'numeric':
      if (type.precision === undefined) return 'NUMERIC';
      return type.scale === undefined ? `NUMERIC(${type.precision})` : `NUMERIC(${type.precision}, ${type.scale})`;
    case 'float':
      return type.precision === undefined ? 'FLOAT' : `FLOAT(${type.precision})`;
    case 'double':
      return 'DOUBLE';
    case 'uuid':
      return 'CHAR(32)';
    case 'json':
    case 'jsonb':
      return 'JSON';
    case 'binary':
      return 'BLOB';
    case 'enum':
      return `VARCHAR(${Math.max(1, ...type.values.map((v) => [...v].length))})`;
    case 'array':
      throw new UserError('SQLite has no array types (t.array()): store JSON in t.json(), or use a child table');
    case 'custom': {
      const text = (type.sqlite ?? type.default).trim();
      if (text.length === 0) throw new UserError('t.custom(): the SQLite type is empty');
      return text;
    }
    default: {
      const never: never = type;
      throw new UserError(`SQLite: unknown type ${JSON.stringify(never)}`);
    }
  }
}

/** True for `integer`, `bigInteger`, `smallInteger` (`../resolve.ts`). */
export { isIntegerType } from '../resolve.js';
