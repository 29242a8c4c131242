/**
 * The PostgreSQL facts behind the type and default rules, offline: which type changes rewrite, which
 * narrow, how custom type texts are read, and which function calls a default makes. The same facts are
 * checked against a real PostgreSQL in postgres-facts.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { narrowing, parsePgType, pgTypeLabel, pgTypeOf, typeChangeRewrite } from '../../src/lint/pgtypes.js';
import { calledFunctions, defaultVolatility } from '../../src/lint/volatility.js';
import { sql, t } from '../../src/ops/builders.js';
import type { TypeSpec } from '../../src/ops/types.js';

const rw = (from: TypeSpec, to: TypeSpec) => typeChangeRewrite(pgTypeOf(from), pgTypeOf(to));
const nar = (from: TypeSpec, to: TypeSpec) => narrowing(pgTypeOf(from), pgTypeOf(to), pgTypeLabel(to));

describe('typeChangeRewrite (PostgreSQL 15, ALTER TABLE Notes)', () => {
  test('no rewrite: relabels and no-op length/precision coercions', () => {
    assert.equal(rw(t.string(10), t.string(20)), 'none');
    assert.equal(rw(t.string(10), t.text()), 'none');
    assert.equal(rw(t.string(10), t.string()), 'none');
    assert.equal(rw(t.text(), t.string()), 'none');
    assert.equal(rw(t.numeric(10, 2), t.numeric(12, 2)), 'none');
    assert.equal(rw(t.numeric(10, 2), t.numeric()), 'none');
    assert.equal(rw(t.numeric(10), t.custom({ default: 'numeric(10, 0)' })), 'none');
    assert.equal(rw(t.float(10), t.custom({ default: 'real' })), 'none');
    assert.equal(rw(t.binary(10), t.binary(20)), 'none'); // both BYTEA
    assert.equal(rw(t.array(t.text()), t.array(t.text())), 'none');
  });
  test('rewrite: everything else', () => {
    for (const [from, to] of [
      [t.integer(), t.bigInteger()],
      [t.bigInteger(), t.integer()],
      [t.smallInteger(), t.integer()],
      [t.string(20), t.string(10)],
      [t.text(), t.string(10)],
      [t.numeric(10, 2), t.numeric(8, 2)],
      [t.numeric(10, 2), t.numeric(12, 4)],
      [t.numeric(), t.numeric(10, 2)],
      [t.float(10), t.double()],
      [t.time(), t.time({ timezone: true })],
      [t.json(), t.jsonb()],
      [t.uuid(), t.text()],
      [t.array(t.string(10)), t.array(t.text())],
      [t.array(t.integer()), t.array(t.bigInteger())],
      [t.enum(['a'], { name: 'e' }), t.text()],
      [t.text(), t.enum(['a'], { name: 'e' })],
    ] as const) {
      assert.equal(rw(from, to), 'rewrite', `${pgTypeLabel(from)} -> ${pgTypeLabel(to)}`);
    }
  });
  test('timestamp <-> timestamptz depends on the session TimeZone; unrecognised custom types are unknown', () => {
    assert.equal(rw(t.dateTime(), t.dateTime({ timezone: true })), 'timezone');
    assert.equal(rw(t.dateTime({ timezone: true }), t.dateTime()), 'timezone');
    assert.equal(rw(t.text(), t.custom({ default: 'citext' })), 'unknown');
    assert.equal(rw(t.custom({ default: 'citext' }), t.custom({ default: 'CITEXT' })), 'none');
  });
});

describe('parsePgType', () => {
  test('usual spellings of built-in types', () => {
    assert.deepEqual(parsePgType('int8'), { k: 'int', bytes: 8 });
    assert.deepEqual(parsePgType('Character  Varying ( 20 )'), { k: 'varchar', length: 20 });
    assert.deepEqual(parsePgType('decimal(10,2)'), { k: 'numeric', precision: 10, scale: 2 });
    assert.deepEqual(parsePgType('timestamptz'), { k: 'timestamp', tz: true });
    assert.deepEqual(parsePgType('float(30)'), { k: 'float', bytes: 8 });
    assert.deepEqual(parsePgType('text[]'), { k: 'array', item: { k: 'text' } });
    assert.deepEqual(parsePgType('ltree'), { k: 'opaque', text: 'ltree' });
  });
});

describe('narrowing', () => {
  test('what each narrowing loses', () => {
    assert.equal(nar(t.string(50), t.string(20)), 'existing values longer than 20 characters make the ALTER fail');
    assert.equal(nar(t.integer(), t.smallInteger()), 'existing values outside the range of SMALLINT make the ALTER fail');
    assert.equal(nar(t.integer(), t.numeric(5, 0)), 'existing values with more than 5 digits before the decimal point make the ALTER fail');
    assert.equal(nar(t.numeric(), t.numeric(10, 2)), 'existing values with more than 8 digits before the decimal point make the ALTER fail and existing values are silently rounded to 2 decimal places');
    assert.equal(nar(t.double(), t.float(10)), 'existing values outside the range of FLOAT(10) make the ALTER fail and existing values silently lose precision (FLOAT(10) keeps about 6 significant digits)');
    assert.equal(nar(t.double(), t.integer()), 'existing values outside the range of INTEGER make the ALTER fail and fractional parts of existing values are silently rounded away');
    assert.equal(nar(t.bigInteger(), t.double()), 'large existing values silently lose precision (DOUBLE PRECISION keeps about 15 significant digits)');
    assert.equal(nar(t.bigInteger(), t.string(10)), 'existing values whose text is longer than 10 characters make the ALTER fail');
    assert.equal(nar(t.uuid(), t.string(32)), 'existing values whose text is longer than 32 characters make the ALTER fail');
    assert.equal(nar(t.enum(['a', 'b', 'c'], { name: 'e1' }), t.enum(['a'], { name: 'e2' })), "existing values 'b' and 'c' (not in e2) make the ALTER fail");
  });
  test('widening and unordered changes are no narrowing', () => {
    for (const [from, to] of [
      [t.string(20), t.string(50)],
      [t.string(20), t.text()],
      [t.smallInteger(), t.bigInteger()],
      [t.integer(), t.numeric(10, 0)],
      [t.integer(), t.double()],
      [t.numeric(10, 2), t.numeric(12, 3)],
      [t.numeric(6, 2), t.float(10)],
      [t.float(10), t.double()],
      [t.smallInteger(), t.string(6)],
      [t.uuid(), t.string(36)],
      [t.text(), t.integer()],
      [t.json(), t.jsonb()],
      [t.date(), t.dateTime()],
      [t.enum(['a'], { name: 'e1' }), t.enum(['a', 'b'], { name: 'e2' })],
      [t.text(), t.custom({ default: 'citext' })],
    ] as const) {
      assert.equal(nar(from, to), undefined, `${pgTypeLabel(from)} -> ${pgTypeLabel(to)}`);
    }
  });
});

describe('default volatility', () => {
  test('calledFunctions skips strings, quoted names, casts and SQL constructs', () => {
    assert.deepEqual(calledFunctions(`coalesce(a.f(1), "My Fn"(2), 'random()', E'x\\'random()', $$nextval()$$) :: numeric(10, 2)`), ['f', 'My Fn']);
    assert.deepEqual(calledFunctions(`CAST(now() AS varchar(10))`), ['now']);
    assert.deepEqual(calledFunctions(`x::character varying(10) || CURRENT_TIMESTAMP(3)`), []);
    assert.deepEqual(calledFunctions(`"public".gen_random_uuid()`), ['gen_random_uuid']);
  });
  test('volatile, unknown, constant', () => {
    assert.deepEqual(defaultVolatility(sql`gen_random_uuid()`), { kind: 'volatile', fn: 'gen_random_uuid' });
    assert.deepEqual(defaultVolatility(sql`lower(my_fn())`), { kind: 'unknown', fn: 'my_fn' });
    assert.deepEqual(defaultVolatility(sql`my_fn(random())`), { kind: 'volatile', fn: 'random' });
    assert.deepEqual(defaultVolatility(sql`now()`), { kind: 'constant' });
    assert.deepEqual(defaultVolatility('random()'), { kind: 'constant' }); // a string literal
  });
});
