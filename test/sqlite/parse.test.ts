/**
 * node-sql-parser reads every statement of every SQLite golden file (and the scripts of the engine tests
 * in `history.ts` / `rebuild.test.ts`); `test/support/sqlparse.ts` lists what it cannot read, per
 * dialect. The helper itself must reject SQL that is not SQL, or this check could not fail.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GOLDEN_DIR } from '../sqlite-render/support.js';
import { assertParses, parseAll, parseStatement, splitStatements } from '../support/sqlparse.js';

test('every statement of the SQLite golden files parses', () => {
  let parsed = 0;
  for (const f of readdirSync(GOLDEN_DIR).filter((x) => x.endsWith('.sql'))) parsed += assertParses(readFileSync(join(GOLDEN_DIR, f), 'utf8'), 'sqlite');
  assert.ok(parsed > 50, `only ${parsed} statements parsed`);
});

test('the documented exceptions are matched exactly, anything else must parse', () => {
  assert.equal(parseStatement('PRAGMA foreign_keys=OFF', 'sqlite'), 'known-unparseable');
  assert.equal(parseStatement('BEGIN', 'sqlite'), 'known-unparseable');
  assert.equal(parseStatement('SAVEPOINT sqlscribe_guard', 'sqlite'), 'known-unparseable');
  assert.equal(parseStatement('DROP INDEX IF EXISTS "ix ""a"""', 'sqlite'), 'known-unparseable');
  assert.equal(parseStatement('CREATE TABLE "a""b" (x INTEGER, FOREIGN KEY(x) REFERENCES t (id) DEFERRABLE INITIALLY DEFERRED)', 'sqlite'), 'parsed');
  assert.equal(parseStatement("CREATE TEMP TRIGGER g BEFORE DELETE ON g WHEN OLD.ok IS NOT 1 BEGIN SELECT RAISE(ABORT, 'x'); END", 'sqlite'), 'parsed');
  assert.throws(() => parseStatement('PRAGMA writable_schema=ON', 'sqlite'), /cannot parse/);
  assert.throws(() => parseStatement('SAVEPOINT a b', 'sqlite'), /cannot parse/);
  assert.throws(() => parseStatement('DROP INDEX a b', 'sqlite'), /cannot parse/);
  assert.throws(() => parseStatement('CREATE TABLE t (a INTEGER,)', 'sqlite'), /cannot parse/);
  assert.throws(() => parseStatement("INSERT INTO t (a) VALUES ('x)", 'sqlite'), /cannot parse/);
  assert.throws(() => parseStatement('PREPARE x FROM @y', 'mysql'), /cannot parse/);
  assert.throws(() => parseStatement('BEGIN NOT ATOMIC SELECT 1; END', 'mariadb'), /cannot parse/);
  assert.deepEqual(parseAll('SELECT 1;\n\nSELEC 2;\n', 'mysql').failures.map((f) => f.sql), ['SELEC 2']);
});

test('splitStatements: comments, strings, trigger bodies and the DELIMITER command', () => {
  assert.deepEqual(splitStatements(".bail on\n-- Running upgrade  -> a\n--\n\nPRAGMA foreign_keys=OFF;\n\nINSERT INTO t (a) VALUES ('x;\n\ny');\n\nCOMMIT;\n", 'sqlite'), [
    'PRAGMA foreign_keys=OFF',
    "INSERT INTO t (a) VALUES ('x;\n\ny')",
    'COMMIT',
  ]);
  assert.deepEqual(splitStatements("CREATE TEMP TRIGGER g BEFORE DELETE ON g BEGIN\n    SELECT RAISE(ABORT, 'a;b');\nEND;\n\nSELECT 1;\n", 'sqlite'), [
    "CREATE TEMP TRIGGER g BEFORE DELETE ON g BEGIN\n    SELECT RAISE(ABORT, 'a;b');\nEND",
    'SELECT 1',
  ]);
  assert.deepEqual(splitStatements("SELECT 'a\\';b';\nDELIMITER //\nBEGIN NOT ATOMIC\n  SELECT 1;\nEND //\nDELIMITER ;\nSELECT 2;\n", 'mariadb'), [
    "SELECT 'a\\';b'",
    'BEGIN NOT ATOMIC\n  SELECT 1;\nEND',
    'SELECT 2',
  ]);
});
