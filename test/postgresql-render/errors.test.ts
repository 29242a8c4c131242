/**
 * What PostgreSQL cannot do, or what would be lost silently, is a UserError naming the op (and PostgreSQL
 * where the limit is PostgreSQL's) — never dropped from the output.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { check, column, foreignKey, op, primaryKey, sql, t, unique } from '../../src/ops/builders.js';
import type { Op } from '../../src/ops/types.js';
import type { NamingConvention } from '../../src/dialects/types.js';
import { compileAll } from './support.js';

interface ErrorCase {
  readonly label: string;
  readonly op: Op;
  readonly message: RegExp;
  readonly namingConvention?: NamingConvention;
}

const long = 'x'.repeat(64);

const CASES: readonly ErrorCase[] = [
  {
    label: 'a virtual computed column',
    op: op.createTable('t', [column('a', t.integer()), column('b', t.integer(), { computed: { expression: sql`a * 2`, stored: false } })]),
    message: /^op\.createTable\("t"\): column "b": PostgreSQL has only stored generated columns \(computed\.stored: false, a virtual column, is not supported\)$/,
  },
  {
    label: 'a virtual computed column in addColumn',
    op: op.addColumn('t', column('b', t.integer(), { computed: { expression: sql`a * 2`, stored: false } })),
    message: /^op\.addColumn\("t"\): column "b": PostgreSQL has only stored generated columns/,
  },
  {
    label: 'computed with a server default',
    op: op.createTable('t', [column('b', t.integer(), { computed: { expression: sql`1` }, serverDefault: 1 })]),
    message: /^op\.createTable\("t"\): column "b": PostgreSQL does not allow both computed and serverDefault/,
  },
  {
    label: 'identity with a server default',
    op: op.createTable('t', [column('id', t.integer(), { identity: {}, serverDefault: 1 })]),
    message: /PostgreSQL does not allow both identity and serverDefault/,
  },
  {
    label: 'identity with computed',
    op: op.createTable('t', [column('id', t.integer(), { identity: {}, computed: { expression: sql`1` } })]),
    message: /PostgreSQL does not allow both identity and computed/,
  },
  {
    label: 'a nullable identity column',
    op: op.addColumn('t', column('id', t.integer(), { identity: { always: true }, nullable: true })),
    message: /^op\.addColumn\("t"\): column "id": PostgreSQL identity columns are always NOT NULL/,
  },
  {
    label: 'identity on a text column',
    op: op.createTable('t', [column('id', t.text(), { identity: {} })]),
    message: /PostgreSQL identity columns must be smallInteger, integer or bigInteger, not text/,
  },
  {
    label: 'identity with autoincrement: false',
    op: op.createTable('t', [column('id', t.integer(), { primaryKey: true, identity: {}, autoincrement: false })]),
    message: /identity and autoincrement: false contradict each other/,
  },
  {
    label: 'identity increment 0',
    op: op.createTable('t', [column('id', t.integer(), { identity: { increment: 0 } })]),
    message: /^op\.createTable\("t"\): column "id": PostgreSQL identity increment must not be zero$/,
  },
  {
    label: 'a collation on an integer',
    op: op.createTable('t', [column('n', t.integer(), { collation: 'C' })]),
    message: /^op\.createTable\("t"\): column "n": PostgreSQL cannot apply a collation to type integer/,
  },
  {
    label: 'a collation on an enum',
    op: op.addColumn('t', column('n', t.enum(['a'], { name: 'e' }), { collation: 'C' })),
    message: /PostgreSQL cannot apply a collation to type enum/,
  },
  {
    label: 'a nullable primary key',
    op: op.createTable('t', [column('id', t.integer(), { primaryKey: true, nullable: true })]),
    message: /^op\.createTable\("t"\): column "id": a primary key column cannot be nullable in PostgreSQL/,
  },
  {
    label: 'a nullable column of primaryKey(...)',
    op: op.createTable('t', [column('id', t.integer(), { nullable: true }), primaryKey(['id'])]),
    message: /column "id": a primary key column cannot be nullable in PostgreSQL/,
  },
  {
    label: 'autoincrement on a column that is not a primary key',
    op: op.createTable('t', [column('n', t.integer(), { autoincrement: true })]),
    message: /column "n": autoincrement: true applies to a primary key column only \(use identity for other columns\)/,
  },
  {
    label: 'autoincrement on a text primary key',
    op: op.createTable('t', [column('id', t.text(), { primaryKey: true, autoincrement: true })]),
    message: /autoincrement: true needs an integer type for PostgreSQL SERIAL, not text/,
  },
  {
    label: 'autoincrement with a server default (SERIAL would drop it)',
    op: op.createTable('t', [column('id', t.integer(), { primaryKey: true, autoincrement: true, serverDefault: 1 })]),
    message: /autoincrement: true \(SERIAL\) cannot have a serverDefault in PostgreSQL/,
  },
  {
    label: 'two autoincrement columns in a composite key',
    op: op.createTable('t', [column('a', t.integer(), { primaryKey: true, autoincrement: true }), column('b', t.integer(), { primaryKey: true, autoincrement: true })]),
    message: /only one column of a primary key can have autoincrement: true \("a", "b"\)/,
  },
  {
    label: 'two primaryKey(...) items',
    op: op.createTable('t', [column('a', t.integer()), primaryKey(['a']), primaryKey(['a'])]),
    message: /^op\.createTable\("t"\): a table can have only one primaryKey\(\.\.\.\)$/,
  },
  {
    label: 'a primaryKey: true column outside primaryKey(...)',
    op: op.createTable('t', [column('a', t.integer(), { primaryKey: true }), column('b', t.integer()), primaryKey(['b'])]),
    message: /column "a" has primaryKey: true but is not in primaryKey\(\['b'\]\)/,
  },
  {
    label: 'a constraint on an unknown column',
    op: op.createTable('t', [column('a', t.integer()), unique(['b'])]),
    message: /unique\(\.\.\.\) names column "b", which the table does not have/,
  },
  {
    label: 'a foreign key on an unknown column',
    op: op.createTable('t', [column('a', t.integer()), foreignKey(['b'], 'r', ['id'])]),
    message: /foreignKey\(\.\.\.\) names column "b"/,
  },
  {
    label: 'a column given twice',
    op: op.createTable('t', [column('a', t.integer()), column('a', t.text())]),
    message: /column "a" is given twice/,
  },
  {
    label: 'an enum name with two value lists',
    op: op.createTable('t', [column('a', t.enum(['x'], { name: 'e' })), column('b', t.enum(['y'], { name: 'e' }))]),
    message: /^op\.createTable\("t"\): enum type "e" is used with two different value lists$/,
  },
  {
    label: 'initially deferred on a constraint that is not deferrable',
    op: op.createTable('t', [column('a', t.integer()), unique(['a'], { deferrable: false, initially: 'DEFERRED' })]),
    message: /initially: 'DEFERRED' needs a deferrable constraint/,
  },
  {
    label: 'initially deferred on a not deferrable foreign key op',
    op: op.createForeignKey('fk', 't', 'r', ['a'], ['id'], { deferrable: false, initially: 'DEFERRED' }),
    message: /^op\.createForeignKey\("fk"\): initially: 'DEFERRED' needs a deferrable constraint/,
  },
  {
    label: 'an identifier over 63 bytes',
    op: op.createTable(long, [column('a', t.integer())]),
    message: new RegExp(`^op\\.createTable\\("${long}"\\): identifier "${long}" is 64 bytes long; PostgreSQL keeps only 63 and would silently truncate it$`),
  },
  {
    label: 'a multi-byte identifier over 63 bytes',
    op: op.addColumn('t', column('é'.repeat(32), t.integer())),
    message: /is 64 bytes long; PostgreSQL keeps only 63/,
  },
  {
    label: 'an index name over 63 bytes',
    op: op.createIndex(long, 't', ['a']),
    message: /is 64 bytes long/,
  },
  {
    label: 'an enum value over 63 bytes',
    op: op.createEnum('e', ['ok', long]),
    message: /^op\.createEnum\("e"\): enum "e": value "x{64}" is longer than PostgreSQL's 63 bytes$/,
  },
  {
    label: 'an implicit enum value over 63 bytes',
    op: op.addColumn('t', column('c', t.enum([long], { name: 'e' }))),
    message: /^op\.addColumn\("t"\): enum "e": value/,
  },
  {
    label: 'a NUL character in a literal',
    op: op.bulkInsert('t', [{ a: 'x\0y' }]),
    message: /^op\.bulkInsert\("t"\): PostgreSQL text cannot contain the NUL character/,
  },
  {
    label: 'a NUL character in a comment',
    op: op.createTableComment('t', 'a\0b'),
    message: /PostgreSQL text cannot contain the NUL character/,
  },
  {
    label: 'execute without SQL for postgresql',
    op: op.execute({ sqlite: 'SELECT 1', mysql: 'SELECT 1' }),
    message: /^op\.execute has no SQL for postgresql \(give postgresql: or default:\)$/,
  },
  {
    label: 'execute with only a semicolon for postgresql',
    op: op.execute({ postgresql: ' ; ' }),
    message: /^op\.execute: the SQL for postgresql is empty$/,
  },
  {
    label: 'an empty check condition',
    op: op.createTable('t', [column('a', t.integer()), check(sql`  `)]),
    message: /^op\.createTable\("t"\): a check condition is empty SQL$/,
  },
  {
    label: 'an empty server default expression',
    op: op.alterColumn('t', 'a', { serverDefault: sql`` }),
    message: /^op\.alterColumn\("t", "a"\): serverDefault is empty SQL$/,
  },
  {
    label: 'an empty index expression',
    op: op.createIndex('ix', 't', [sql` `]),
    message: /an index expression is empty SQL/,
  },
  {
    label: 'an index method that is not a name',
    op: op.createIndex('ix', 't', ['a'], { using: 'gin; DROP TABLE t' }),
    message: /^op\.createIndex\("ix"\): using must be the name of an index method/,
  },
  {
    label: 'FLOAT precision over 53',
    op: op.addColumn('t', column('f', t.float(54))),
    message: /^op\.addColumn\("t"\): t\.float\(54\): PostgreSQL allows a FLOAT precision of 1 to 53 bits$/,
  },
  {
    label: 'NUMERIC precision over 1000',
    op: op.alterColumn('t', 'n', { type: t.numeric(1001) }),
    message: /t\.numeric\(1001\): PostgreSQL allows a NUMERIC precision of at most 1000/,
  },
  {
    label: 'VARCHAR longer than PostgreSQL allows',
    op: op.createTable('t', [column('s', t.string(10485761))]),
    message: /t\.string\(10485761\): PostgreSQL allows VARCHAR lengths up to 10485760/,
  },
  {
    label: 'a convention with %(constraint_name)s on an unnamed constraint',
    op: op.createTable('t', [column('a', t.integer()), check(sql`a > 0`)]),
    namingConvention: { ck: 'ck_%(table_name)s_%(constraint_name)s' },
    message: /^op\.createTable\("t"\): naming convention ck 'ck_%\(table_name\)s_%\(constraint_name\)s': %\(constraint_name\)s needs the constraint to be named explicitly/,
  },
  {
    label: 'a convention with an unknown token',
    op: op.addColumn('t', column('a', t.integer(), { unique: true })),
    namingConvention: { uq: 'uq_%(table)s' },
    message: /naming convention uq 'uq_%\(table\)s': unknown token %\(table\)s/,
  },
  {
    label: 'a convention with a stray %',
    op: op.addColumn('t', column('a', t.integer(), { unique: true })),
    namingConvention: { uq: 'uq_100%_%(table_name)s' },
    message: /a '%' must start a token like %\(table_name\)s/,
  },
  {
    label: 'a convention that needs the columns of a drop by name',
    op: op.dropConstraint('x', 't', { type: 'unique' }),
    namingConvention: { uq: 'uq_%(column_0_name)s_%(constraint_name)s' },
    message: /%\(column_0_name\)s needs the constraint's columns, which this op does not give/,
  },
  {
    label: 'a convention that needs the table of a dropIndex without table',
    op: op.dropIndex('x'),
    namingConvention: { ix: 'ix_%(table_name)s_%(constraint_name)s' },
    message: /^op\.dropIndex\("x"\): naming convention ix .*: %\(table_name\)s needs the table/,
  },
  {
    label: 'a convention that gives an empty name',
    op: op.createTable('t', [column('a', t.integer()), unique(['a'])]),
    namingConvention: { uq: '%(column_1_name)s' },
    message: /gives an empty name/,
  },
  {
    label: 'a referred token outside a foreign key',
    op: op.createTable('t', [column('a', t.integer()), unique(['a'])]),
    namingConvention: { uq: 'uq_%(referred_table_name)s' },
    message: /%\(referred_table_name\)s applies only to foreign keys/,
  },
];

describe('PostgreSQL errors', () => {
  for (const c of CASES) {
    test(c.label, () => {
      assert.throws(
        () => compileAll([c.op], [], c.namingConvention),
        (err: unknown) => {
          assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
          assert.match(err.message, c.message);
          assert.doesNotMatch(err.message, /\n/, 'one line');
          return true;
        },
      );
    });
  }
});
