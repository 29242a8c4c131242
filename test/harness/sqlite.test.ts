/**
 * Self-tests of the SQLite harness (test/support/sqlite.ts), with the real sqlite3 shell.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { parseQuoteMode, sqliteCatalog, sqliteTest, sqliteVersion } from '../support/sqlite.js';
import { childEnv, runNode, supportUrl, writeModule } from './child.js';
import test from 'node:test';

const SCHEMA = `
CREATE TABLE "Accounts" (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  "user" VARCHAR(50) NOT NULL,
  mood VARCHAR(5) DEFAULT 'ok' CONSTRAINT mood_ck CHECK (mood IN ('sad', 'ok', 'happy')),
  note TEXT DEFAULT 'it''s',
  doubled INTEGER GENERATED ALWAYS AS (id * 2) STORED,
  CONSTRAINT uq_user UNIQUE ("user")
);
CREATE TABLE orders (
  id INTEGER NOT NULL,
  account_id INTEGER NOT NULL,
  note TEXT,
  PRIMARY KEY (id),
  CONSTRAINT fk_acc FOREIGN KEY (account_id) REFERENCES "Accounts" (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX orders_open ON orders (account_id) WHERE note IS NULL;
CREATE VIEW open_orders AS SELECT id FROM orders WHERE note IS NULL;
`;

sqliteTest('applySqlite runs sqlite3 -bail and sqliteCatalog reads the schema back', async (_t, db) => {
  assert.match(await sqliteVersion(), /^3\.\d+\.\d+$/);
  const r = await db.applyScript(SCHEMA);
  assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
  assert.ok(existsSync(db.file));

  const cat = await sqliteCatalog(db.file);
  assert.deepEqual(Object.keys(cat.tables), ['Accounts', 'open_orders', 'orders']);
  const acc = cat.tables.Accounts!;
  assert.equal(acc.type, 'table');
  assert.deepEqual(Object.keys(acc.columns), ['doubled', 'id', 'mood', 'note', 'user']);
  assert.deepEqual(acc.columns.user, {
    name: 'user',
    position: 1,
    type: 'VARCHAR(50)',
    notNull: true,
    default: null,
    pk: 0,
    hidden: 0,
  });
  assert.equal(acc.columns.id?.pk, 1);
  assert.equal(acc.columns.mood?.default, "'ok'");
  assert.equal(acc.columns.note?.default, "'it''s'");
  assert.equal(acc.columns.doubled?.hidden, 3); // generated STORED
  assert.deepEqual(acc.indexes, {
    sqlite_autoindex_Accounts_1: {
      name: 'sqlite_autoindex_Accounts_1',
      unique: true,
      origin: 'u',
      partial: false,
      columns: ['user'],
      sql: null,
    },
  });
  assert.match(acc.sql ?? '', /CONSTRAINT mood_ck CHECK \(mood IN \('sad', 'ok', 'happy'\)\)/);

  const orders = cat.tables.orders!;
  assert.deepEqual(orders.foreignKeys, [
    {
      id: 0,
      table: 'Accounts',
      from: ['account_id'],
      to: ['id'],
      onUpdate: 'NO ACTION',
      onDelete: 'CASCADE',
      match: 'NONE',
    },
  ]);
  assert.deepEqual(orders.indexes.orders_open, {
    name: 'orders_open',
    unique: true,
    origin: 'c',
    partial: true,
    columns: ['account_id'],
    sql: 'CREATE UNIQUE INDEX orders_open ON orders (account_id) WHERE note IS NULL',
  });
  assert.equal(orders.indexes.sqlite_autoindex_orders_1, undefined); // INTEGER PRIMARY KEY is the rowid
  assert.equal(cat.tables.open_orders?.type, 'view');
  assert.deepEqual(Object.keys(cat.tables.open_orders?.columns ?? {}), ['id']);
  assert.deepEqual(cat.triggers, {});
  assert.deepEqual(JSON.parse(JSON.stringify(cat)), cat);

  // the check constraint is enforced
  const bad = await db.applyScript(`INSERT INTO "Accounts" ("user", mood) VALUES ('x', 'angry');`);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /CHECK constraint failed: mood_ck/);
});

sqliteTest('a failing script returns non-zero and -bail stops at the first error', async (_t, db) => {
  const r = await db.applyScript('CREATE TABLE a (id int);\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\n');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /near line 2: table a already exists/);
  assert.deepEqual(await db.query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`), [['a']]);

  const tx = await db.applyScript('BEGIN;\nCREATE TABLE c (id int);\nINSERT INTO nope VALUES (1);\nCOMMIT;\n');
  assert.equal(tx.code, 1);
  assert.match(tx.stderr, /no such table: nope/);
  // sqlite3 exits without COMMIT: the open transaction is rolled back
  assert.deepEqual(await db.query(`SELECT name FROM sqlite_master WHERE name = 'c'`), []);

  const missing = await db.apply('/nonexistent/x.sql');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^\/nonexistent\/x\.sql: ENOENT/);
});

sqliteTest('query() gives exact values', async (_t, db) => {
  const rows = await db.query(
    `SELECT 'a|b', NULL, '', 'x' || char(10) || 'y', '''q'', "r"', 1, 1.5, x'00ff', 'NULL', 'é'
     UNION ALL SELECT ',', 'x', NULL, NULL, NULL, 2, NULL, NULL, NULL, NULL`,
  );
  assert.deepEqual(rows, [
    ['a|b', null, '', 'x\ny', `'q', "r"`, '1', '1.5', "X'00ff'", 'NULL', 'é'],
    [',', 'x', null, null, null, '2', null, null, null, null],
  ]);
  assert.deepEqual(await db.query('SELECT 1 WHERE 0'), []);
  assert.deepEqual(await db.queryJson('SELECT 1 AS n, NULL AS z'), [{ n: 1, z: null }]);
  await assert.rejects(db.query('SELECT nope'), /no such column: nope/);
  assert.deepEqual(parseQuoteMode("1,'a''b'\nNULL,X'01'\n"), [['1', "a'b"], [null, "X'01'"]]);
});

test('policy: with CI set a test needing sqlite3 fails when it is missing; locally it skips', async () => {
  const mod = writeModule(`
    const { sqliteTest } = await import(${JSON.stringify(supportUrl('sqlite'))});
    sqliteTest('needs sqlite', async () => { throw new Error('must not run'); });
  `);
  try {
    const env = { PATH: '/nonexistent', SQLSCRIBE_REQUIRE_DB: undefined };
    const ci = await runNode(mod.file, childEnv({ ...env, CI: '1' }), ['--test-reporter=tap']);
    assert.equal(ci.code, 1, ci.stdout + ci.stderr);
    assert.match(ci.stdout, /SQLite \(sqlite3 shell\) is required here \(CI is set\)/);
    const local = await runNode(mod.file, childEnv({ ...env, CI: 'false' }), ['--test-reporter=tap']);
    assert.equal(local.code, 0, local.stdout + local.stderr);
    assert.match(local.stdout, /# SKIP SQLite \(sqlite3 shell\) not available/);
  } finally {
    mod.remove();
  }
});
