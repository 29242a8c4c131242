/**
 * The prediction of PostgreSQL's own constraint names (`defaultNames.ts`). The expected names were read
 * from `pg_constraint` of a PostgreSQL 15 server; the live cases check each prediction against a real server
 * again (the shared harness's; on CI a missing server fails).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pgTest } from '../support/postgres.js';
import {
  checkConstraintColumn,
  columnNamesAddition,
  makeObjectName,
  postgresDefaultConstraintName,
  postgresSequenceName,
  predictAddColumnConstraints,
  predictCreateTableConstraints,
  type PgNamespace,
} from '../../src/dialects/postgresql/index.js';
import { check, column, foreignKey, op, primaryKey, sql, t, unique } from '../../src/ops/builders.js';
import type { AddColumnOp, CreateTableOp } from '../../src/ops/types.js';
import { sqlOf } from './support.js';

const a63 = 'a'.repeat(63);
const b63 = 'b'.repeat(63);

function names(list: readonly { name: string }[]): string[] {
  return list.map((c) => c.name);
}

function namespace(relations: string[], constraints: string[]): PgNamespace {
  return { relationExists: (n) => relations.includes(n), constraintExists: (n) => constraints.includes(n) };
}

describe('PostgreSQL default names', () => {
  test('makeObjectName cuts the longer part first, to 63 bytes, at character boundaries', () => {
    assert.equal(makeObjectName('t', 'a_b', 'key'), 't_a_b_key');
    assert.equal(makeObjectName('t', undefined, 'pkey'), 't_pkey');
    assert.equal(makeObjectName(a63, b63, 'key'), `${'a'.repeat(29)}_${'b'.repeat(29)}_key`);
    assert.equal(makeObjectName(a63, 'c', 'check'), `${'a'.repeat(55)}_c_check`);
    assert.equal(makeObjectName(a63, undefined, 'check'), `${'a'.repeat(57)}_check`);
    const multibyte = makeObjectName('é'.repeat(31), 'x', 'check');
    assert.ok(Buffer.byteLength(multibyte) <= 63);
    assert.equal(multibyte, `${'é'.repeat(27)}_x_check`);
  });

  test('columnNamesAddition joins all the columns', () => {
    assert.equal(columnNamesAddition(['a', 'b', 'c']), 'a_b_c');
    assert.ok(columnNamesAddition([a63, b63, 'c']).startsWith(`${a63}_`));
    assert.ok(!columnNamesAddition([a63, b63, 'c']).endsWith('_c'));
  });

  test('one name per kind, numbered on a clash', () => {
    assert.equal(postgresDefaultConstraintName('primaryKey', 'users', ['id']), 'users_pkey');
    assert.equal(postgresDefaultConstraintName('unique', 'users', ['email', 'tenant']), 'users_email_tenant_key');
    assert.equal(postgresDefaultConstraintName('foreignKey', 'users', ['org_id']), 'users_org_id_fkey');
    assert.equal(postgresDefaultConstraintName('check', 'users', ['age']), 'users_age_check');
    assert.equal(postgresDefaultConstraintName('check', 'users', []), 'users_check');
    const ns = namespace(['users_email_key', 'users_email_key1'], ['users_age_check']);
    assert.equal(postgresDefaultConstraintName('unique', 'users', ['email'], ns), 'users_email_key2');
    assert.equal(postgresDefaultConstraintName('check', 'users', ['age'], ns), 'users_age_check1');
    // A check or foreign key name only has to be free among constraints; a key also among relations.
    assert.equal(postgresDefaultConstraintName('check', 'users', ['x'], namespace(['users_x_check'], [])), 'users_x_check');
    assert.equal(postgresDefaultConstraintName('unique', 'users', ['x'], namespace([], ['users_x_key'])), 'users_x_key1');
    assert.equal(postgresSequenceName('users', 'id'), 'users_id_seq');
    assert.equal(postgresSequenceName('users', 'id', namespace(['users_id_seq'], [])), 'users_id_seq1');
  });

  test('checkConstraintColumn finds the one column a condition refers to', () => {
    const cols = ['a', 'b', 'C', 'length'];
    assert.equal(checkConstraintColumn('a > 0', cols), 'a');
    assert.equal(checkConstraintColumn('A > 0 AND a < 10', cols), 'a');
    assert.equal(checkConstraintColumn('a > b', cols), undefined);
    assert.equal(checkConstraintColumn("length('x') > 0", cols), undefined);
    assert.equal(checkConstraintColumn('length(b) > 0', cols), 'b');
    assert.equal(checkConstraintColumn('"C" > 0', cols), 'C');
    assert.equal(checkConstraintColumn('c > 0', cols), undefined);
    assert.equal(checkConstraintColumn('t.b > 0', cols), 'b');
    assert.equal(checkConstraintColumn("a::text <> 'b' -- b\n /* b */", cols), 'a');
    assert.equal(checkConstraintColumn("b IN (E'a\\'b', $$a$$, $x$ a $x$)", cols), 'b');
    assert.equal(checkConstraintColumn('1 = 1', cols), undefined);
  });

  test('createTable: checks, then the primary key and uniques (folded as PostgreSQL does), then foreign keys', () => {
    // The PostgreSQL 15 names of:
    // CREATE TABLE t (a int, b int, "C" int, unique (a, b), unique(a), unique(a), check (a > 0), check (a > 1),
    //   check (a > b), check (length('x') > 0), foreign key (a, b) references o (x, y), foreign key (a)
    //   references o(id), foreign key (a) references o(id), primary key (a), check (abs(a) > 0),
    //   check ("C" > 0), check (t.b > 0));
    const ct = op.createTable('t', [
      column('a', t.integer()),
      column('b', t.integer()),
      column('C', t.integer()),
      unique(['a', 'b']),
      unique(['a']),
      unique(['a']),
      check(sql`a > 0`),
      check(sql`a > 1`),
      check(sql`a > b`),
      check(sql`length('x') > 0`),
      foreignKey(['a', 'b'], 'o', ['x', 'y']),
      foreignKey(['a'], 'o', ['id']),
      foreignKey(['a'], 'o', ['id']),
      primaryKey(['a']),
      check(sql`abs(a) > 0`),
      check(sql`"C" > 0`),
      check(sql`t.b > 0`),
    ]);
    const predicted = predictCreateTableConstraints(ct, { namespace: namespace(['o', 'o_pkey', 'o_x_y_key'], ['o_pkey', 'o_x_y_key']) });
    assert.deepEqual(names(predicted), [
      't_a_check',
      't_a_check1',
      't_check',
      't_check1',
      't_a_check2',
      't_C_check',
      't_b_check',
      't_pkey',
      't_a_b_key',
      't_a_b_fkey',
      't_a_fkey',
      't_a_fkey1',
    ]);
    assert.ok(predicted.every((c) => c.defaultName));
  });

  test('createTable: a named duplicate gives its name to the earlier unnamed key', () => {
    const t1 = op.createTable('t1', [column('id', t.integer(), { primaryKey: true }), unique(['id'], { name: 'foo' })]);
    assert.deepEqual(names(predictCreateTableConstraints(t1)), ['foo']);
    const t2 = op.createTable('t2', [column('id', t.integer()), primaryKey(['id'], { name: 'pk2' }), unique(['id'], { name: 'bar' })]);
    assert.deepEqual(names(predictCreateTableConstraints(t2)), ['pk2']);
    const t3 = op.createTable('t3', [
      column('a', t.integer()),
      column('b', t.integer()),
      unique(['a', 'b']),
      unique(['b', 'a']),
      unique(['a', 'b'], { deferrable: true }),
      unique(['a', 'b'], { name: 'named' }),
    ]);
    assert.deepEqual(names(predictCreateTableConstraints(t3)), ['named', 't3_b_a_key', 't3_a_b_key']);
    const t4 = op.createTable('t4', [column('a', t.integer(), { unique: true }), unique(['a'], { initially: 'DEFERRED' })]);
    assert.deepEqual(names(predictCreateTableConstraints(t4)), ['t4_a_key', 't4_a_key1']);
  });

  test('createTable: long names and names from a naming convention', () => {
    const long = op.createTable(a63, [
      column(b63, t.integer(), { unique: true }),
      column('c', t.integer()),
      column('d', t.integer()),
      check(sql`c > 0`),
      check(sql`d > c`),
    ]);
    assert.deepEqual(names(predictCreateTableConstraints(long)), [`${'a'.repeat(55)}_c_check`, `${'a'.repeat(57)}_check`, `${'a'.repeat(29)}_${'b'.repeat(29)}_key`]);
    const conv = op.createTable('inv', [column('id', t.integer(), { primaryKey: true }), column('code', t.integer(), { unique: true }), check(sql`id > 0`)]);
    const predicted = predictCreateTableConstraints(conv, { namingConvention: { uq: 'uq_%(table_name)s_%(column_0_name)s' } });
    assert.deepEqual(
      predicted.map((c) => [c.name, c.defaultName]),
      [
        ['inv_id_check', true],
        ['inv_pkey', true],
        ['uq_inv_code', false],
      ],
    );
  });

  test('addColumn: each constraint is its own ALTER TABLE, so none is folded', () => {
    const add = op.addColumn('t', column('z', t.integer(), { unique: true, primaryKey: true, references: { table: 'o', column: 'id' } }));
    assert.deepEqual(names(predictAddColumnConstraints(add, { namespace: namespace(['t', 't_z_key'], ['t_z_key']) })), ['t_pkey', 't_z_key1', 't_z_fkey']);
  });
});

interface LiveCase {
  readonly label: string;
  readonly setup: string;
  readonly op: CreateTableOp | AddColumnOp;
}

const LIVE: readonly LiveCase[] = [
  {
    label: 'every kind, unnamed, with clashes against existing names',
    setup:
      'CREATE TABLE o (id INTEGER PRIMARY KEY, x INTEGER, y INTEGER, UNIQUE (x, y)); CREATE TABLE clash (q INTEGER CONSTRAINT t_a_check CHECK (q > 0), r INTEGER CONSTRAINT t_a_key UNIQUE); CREATE SEQUENCE t_pkey;',
    op: op.createTable('t', [
      column('a', t.integer(), { unique: true, references: { table: 'o', column: 'id' } }),
      column('b', t.integer()),
      column('C', t.integer(), { unique: true }),
      unique(['a', 'b']),
      unique(['b', 'a']),
      check(sql`a > 0`),
      check(sql`a > b`),
      check(sql`"C" > 0`),
      check(sql`length('t.a') > 0`),
      foreignKey(['a', 'b'], 'o', ['x', 'y']),
      foreignKey(['a'], 'o', ['id']),
      primaryKey(['a']),
    ]),
  },
  {
    label: 'SERIAL sequences and keys',
    setup: '',
    op: op.createTable('s', [column('id', t.bigInteger(), { primaryKey: true }), column('n', t.integer(), { identity: {}, unique: true })]),
  },
  {
    label: 'name transfer to the primary key',
    setup: '',
    op: op.createTable('t1', [column('id', t.integer(), { primaryKey: true, unique: true }), unique(['id'], { name: 'foo' })]),
  },
  {
    label: 'long names',
    setup: '',
    op: op.createTable(a63, [column(b63, t.integer(), { unique: true, primaryKey: true }), column('c', t.integer()), check(sql`c > 0`), check(sql`${b63} > c`)]),
  },
  {
    label: 'addColumn',
    setup: 'CREATE TABLE o (id INTEGER PRIMARY KEY); CREATE TABLE t (x INTEGER UNIQUE);',
    op: op.addColumn('t', column('x2', t.integer(), { unique: true, primaryKey: true, references: { table: 'o', column: 'id' } })),
  },
];

for (const c of LIVE) {
  pgTest(`PostgreSQL default names, live: ${c.label}`, async (_t, db) => {
    if (c.setup) await db.exec(c.setup);
    const list = async (sqlText: string): Promise<string[]> => (await db.query(sqlText)).map((r) => r[0]!);
    const relations = await list("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace");
    const constraints = await list("SELECT conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace");
    const ns = namespace(relations, constraints);
    const predicted = c.op.kind === 'createTable' ? predictCreateTableConstraints(c.op, { namespace: ns }) : predictAddColumnConstraints(c.op, { namespace: ns });
    await db.exec(sqlOf(c.op));
    const table = c.op.table.replace(/"/g, '""');
    const actual = await list(
      `SELECT conname FROM pg_constraint WHERE conrelid = '"${table}"'::regclass AND contype IN ('p','u','f','c') AND NOT (conname = ANY (ARRAY[${constraints.map((n) => `'${n}'`).join(',') || "''"}]::name[])) ORDER BY conname`,
    );
    assert.deepEqual([...names(predicted)].sort(), actual.sort());
  });
}
