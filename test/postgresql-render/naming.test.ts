/**
 * `src/dialects/naming.ts`: SQLAlchemy's naming-convention tokens and rules. Expected names were checked
 * against SQLAlchemy 1.4 (`MetaData(naming_convention=...)` through Alembic's offline ops).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { conventionalName, conventionUsesConstraintName, truncateName } from '../../src/dialects/naming.js';

describe('conventionalName', () => {
  test('no convention, or no template for the kind: the given name, or undefined', () => {
    assert.equal(conventionalName(undefined, { key: 'uq', table: 't', columns: ['a'] }), undefined);
    assert.equal(conventionalName(undefined, { key: 'uq', table: 't', columns: ['a'], name: 'n' }), 'n');
    assert.equal(conventionalName({ ck: 'ck_%(table_name)s' }, { key: 'uq', table: 't', columns: ['a'] }), undefined);
  });

  test('an unnamed constraint gets the template', () => {
    assert.equal(conventionalName({ uq: 'uq_%(table_name)s_%(column_0_name)s' }, { key: 'uq', table: 't', columns: ['a', 'b'] }), 'uq_t_a');
    assert.equal(conventionalName({ pk: 'pk_%(table_name)s' }, { key: 'pk', table: 'users', columns: ['id'] }), 'pk_users');
  });

  test('a named constraint keeps its name unless the template has %(constraint_name)s', () => {
    assert.equal(conventionalName({ uq: 'uq_%(table_name)s_%(column_0_name)s' }, { key: 'uq', table: 't', columns: ['a'], name: 'mine' }), 'mine');
    assert.equal(conventionalName({ ck: 'ck_%(table_name)s_%(constraint_name)s' }, { key: 'ck', table: 't', columns: [], name: 'positive' }), 'ck_t_positive');
    assert.equal(conventionUsesConstraintName({ ck: 'ck_%(constraint_name)s' }, 'ck'), true);
    assert.equal(conventionUsesConstraintName({ ck: 'ck_%(table_name)s' }, 'ck'), false);
    assert.equal(conventionUsesConstraintName(undefined, 'ck'), false);
  });

  test('column tokens: N-th, all run together, all joined, labels, keys; past the end is empty', () => {
    const conv = (uq: string): string | undefined => conventionalName({ uq }, { key: 'uq', table: 't', columns: ['a', 'b'] });
    assert.equal(conv('%(column_1_name)s'), 'b');
    assert.equal(conv('x_%(column_2_name)s'), 'x_');
    assert.equal(conv('%(column_0N_name)s'), 'ab');
    assert.equal(conv('%(column_0_N_name)s'), 'a_b');
    assert.equal(conv('%(column_0_label)s'), 't_a');
    assert.equal(conv('%(column_0N_label)s'), 't_at_b');
    assert.equal(conv('%(column_0_N_label)s'), 't_a_t_b');
    assert.equal(conv('%(column_0_key)s-%(column_0_N_key)s'), 'a-a_b');
    assert.equal(conv('100%%_%(table_name)s'), '100%_t');
  });

  test('labels include the schema, dots made underscores', () => {
    assert.equal(conventionalName({ ix: 'ix_%(column_0_label)s' }, { key: 'ix', table: 't', schema: 'a.b', columns: ['c'] }), 'ix_a_b_t_c');
  });

  test('foreign key tokens use the local columns and the referred table and columns', () => {
    const subject = { key: 'fk' as const, table: 'orders', columns: ['cust_a', 'cust_b'], referredTable: 'customer', referredColumns: ['a', 'b'] };
    assert.equal(conventionalName({ fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s' }, subject), 'fk_orders_cust_a_customer');
    assert.equal(conventionalName({ fk: '%(referred_column_0_name)s|%(referred_column_0N_name)s|%(referred_column_0_N_name)s' }, subject), 'a|ab|a_b');
  });

  test('a convention-made name over the limit is cut as SQLAlchemy does', () => {
    const name = conventionalName(
      { uq: 'uq_%(table_name)s_%(column_0_N_name)s' },
      { key: 'uq', table: 'a_rather_long_table_name_for_testing', columns: ['first_long_column_name', 'second_long_column_name'] },
      { maxIdentifierLength: 63 },
    );
    // SQLAlchemy 1.4 gives the same for this table (see naming-convention-long-names.sql).
    assert.equal(name, 'uq_a_rather_long_table_name_for_testing_first_long_colu_afb6');
    assert.equal(name?.length, 60);
    const full = 'x'.repeat(70);
    assert.equal(truncateName(full, 63), `${'x'.repeat(55)}_${createHash('md5').update(full).digest('hex').slice(-4)}`);
    // A given name is never cut (the dialect refuses it instead).
    assert.equal(conventionalName({ uq: 'uq_%(table_name)s' }, { key: 'uq', table: 't', columns: ['a'], name: 'n'.repeat(70) }, { maxIdentifierLength: 63 }), 'n'.repeat(70));
  });

  test('errors name the op and the template', () => {
    assert.throws(
      () => conventionalName({ ck: 'ck_%(constraint_name)s' }, { key: 'ck', table: 't', columns: [] }, { where: 'op.createTable("t")' }),
      /^UserError: op\.createTable\("t"\): naming convention ck 'ck_%\(constraint_name\)s': %\(constraint_name\)s needs the constraint to be named explicitly/,
    );
    assert.throws(() => conventionalName({ uq: '%(column_0N_nme)s' }, { key: 'uq', table: 't', columns: ['a'] }), /unknown token %\(column_0N_nme\)s/);
    assert.throws(() => conventionalName({ uq: '%(column_1N_name)s' }, { key: 'uq', table: 't', columns: ['a'] }), /all-columns form is column_0N_/);
    assert.throws(() => conventionalName({ fk: '%(referred_column_0_label)s' }, { key: 'fk', table: 't', columns: ['a'], referredTable: 'r', referredColumns: ['id'] }), /referred columns have only _name/);
    assert.throws(() => conventionalName({ uq: '%(referred_column_0_name)s' }, { key: 'uq', table: 't', columns: ['a'] }), /applies only to foreign keys/);
    assert.throws(() => conventionalName({ ix: '%(column_0_label)s_%(constraint_name)s' }, { key: 'ix', columns: ['a'], name: 'n' }), /needs the table/);
  });
});
