/**
 * node-sql-parser reads every statement of every SQLite golden file (and the scripts of the engine tests
 * in `history.ts` / `rebuild.test.ts`); `parse.ts` lists the constructs it cannot read. The helper itself
 * must reject SQL that is not SQL, or this check could not fail.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GOLDEN_DIR } from '../sqlite-render/support.js';
import { parseSqlite, statementsOf } from './parse.js';

test('every statement of the SQLite golden files parses', () => {
  let parsed = 0;
  for (const f of readdirSync(GOLDEN_DIR).filter((x) => x.endsWith('.sql'))) {
    for (const s of statementsOf(readFileSync(join(GOLDEN_DIR, f), 'utf8'))) if (parseSqlite(s) === 'parsed') parsed += 1;
  }
  assert.ok(parsed > 50, `only ${parsed} statements parsed`);
});

test('the documented exceptions are matched exactly, anything else must parse', () => {
  assert.equal(parseSqlite('PRAGMA foreign_keys=OFF'), 'known-unparseable');
  assert.equal(parseSqlite('BEGIN'), 'known-unparseable');
  assert.equal(parseSqlite('DROP INDEX IF EXISTS "ix ""a"""'), 'known-unparseable');
  assert.equal(parseSqlite('CREATE TABLE "a""b" (x INTEGER, FOREIGN KEY(x) REFERENCES t (id) DEFERRABLE INITIALLY DEFERRED)'), 'parsed');
  assert.throws(() => parseSqlite('PRAGMA writable_schema=ON'), /cannot parse/);
  assert.throws(() => parseSqlite('DROP INDEX a b'), /cannot parse/);
  assert.throws(() => parseSqlite('CREATE TABLE t (a INTEGER,)'), /cannot parse/);
  assert.throws(() => parseSqlite("INSERT INTO t (a) VALUES ('x)"), /cannot parse/);
});

test('statementsOf splits a script into statements without comment lines', () => {
  assert.deepEqual(statementsOf("-- Running upgrade  -> a\n--\n\nPRAGMA foreign_keys=OFF;\n\nINSERT INTO t (a) VALUES ('x;\n\ny');\n\nCOMMIT;\n"), [
    'PRAGMA foreign_keys=OFF',
    "INSERT INTO t (a) VALUES ('x",
    "y')",
    'COMMIT',
  ]);
});
