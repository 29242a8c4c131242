/**
 * Identifiers, literals and type names of the PostgreSQL dialect, and the `Dialect` object itself.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { postgresql, RESERVED_WORDS, renderType, requiresQuotes } from '../../src/dialects/postgresql/index.js';
import { literal } from '../../src/dialects/postgresql/quoting.js';
import { t } from '../../src/ops/builders.js';

describe('PostgreSQL quoting', () => {
  test('the dialect object', () => {
    assert.equal(postgresql.name, 'postgresql');
    assert.equal(postgresql.transactionalDdl, true);
  });

  test("identifiers are quoted exactly where SQLAlchemy's _requires_quotes says", () => {
    const q = postgresql.quoteIdentifier;
    assert.equal(q('users'), 'users');
    assert.equal(q('user'), '"user"');
    assert.equal(q('order'), '"order"');
    assert.equal(q('select'), '"select"');
    assert.equal(q('Users'), '"Users"');
    assert.equal(q('USER'), '"USER"');
    assert.equal(q('a"b'), '"a""b"');
    assert.equal(q('1abc'), '"1abc"');
    assert.equal(q('$abc'), '"$abc"');
    assert.equal(q('ab$c_1'), 'ab$c_1');
    assert.equal(q('_x'), '_x');
    assert.equal(q('with space'), '"with space"');
    assert.equal(q('dash-ed'), '"dash-ed"');
    assert.equal(q('café'), '"café"');
    // Not in SQLAlchemy's list, so not quoted (PostgreSQL accepts them as column names).
    assert.equal(q('name'), 'name');
    assert.equal(q('number'), 'number');
    assert.equal(q('type'), 'type');
    assert.equal(requiresQuotes('verbose'), true);
  });

  test("the reserved words are SQLAlchemy's 102", () => {
    assert.equal(RESERVED_WORDS.size, 102);
    for (const w of ['all', 'analyse', 'current_user', 'user', 'order', 'select', 'authorization', 'verbose', 'freeze', 'ilike']) {
      assert.ok(RESERVED_WORDS.has(w), w);
    }
  });

  test('qualify quotes each part', () => {
    assert.equal(postgresql.qualify('t'), 't');
    assert.equal(postgresql.qualify('t', 's'), 's.t');
    assert.equal(postgresql.qualify('Order', 'Sales'), '"Sales"."Order"');
  });

  test('string literals double quotes; a backslash makes an escape string with it doubled', () => {
    assert.equal(postgresql.quoteString("O'Brien"), "'O''Brien'");
    assert.equal(postgresql.quoteString('a\\nb'), "E'a\\\\nb'");
    assert.equal(postgresql.quoteString("C:\\it's"), "E'C:\\\\it''s'");
    assert.equal(postgresql.quoteString(''), "''");
    assert.equal(postgresql.quoteString("''"), "''''''");
  });

  test('literals', () => {
    assert.equal(literal(null), 'NULL');
    assert.equal(literal(true), 'true');
    assert.equal(literal(false), 'false');
    assert.equal(literal(42), '42');
    assert.equal(literal(-1.25), '-1.25');
    assert.equal(literal(-0), '0');
    assert.equal(literal(1e21), '1e+21');
    assert.equal(literal('x'), "'x'");
  });

  test('type names', () => {
    assert.equal(renderType(t.string()), 'VARCHAR');
    assert.equal(renderType(t.numeric(12)), 'NUMERIC(12)');
    assert.equal(renderType(t.enum(['a'], { name: 'Mood', schema: 'app' })), 'app."Mood"');
    assert.equal(renderType(t.array(t.enum(['a'], { name: 'user' }))), '"user"[]');
    assert.equal(renderType(t.custom({ postgresql: ' CITEXT ', default: 'TEXT' })), 'CITEXT');
    assert.equal(renderType(t.custom({ mysql: 'TINYTEXT', default: 'TEXT' })), 'TEXT');
  });
});
