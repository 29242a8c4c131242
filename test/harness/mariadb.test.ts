/**
 * Self-tests of the MariaDB harness (test/support/mariadb.ts), against a real server.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { mariadbCatalog, mariadbTest, parseXmlRows, requireMariadb, startMariadb } from '../support/mariadb.js';
import { childEnv, eventually, isAlive, runNode, startNode, supportUrl, writeModule } from './child.js';

const SCHEMA = `
CREATE TABLE \`Accounts\` (
  id INT NOT NULL AUTO_INCREMENT,
  \`user\` VARCHAR(50) NOT NULL COMMENT 'login | name',
  mood ENUM('sad', 'ok', 'happy') DEFAULT 'ok',
  balance DECIMAL(12, 2) NOT NULL DEFAULT 0,
  doubled DECIMAL(13, 2) AS (balance * 2) STORED,
  PRIMARY KEY (id),
  CONSTRAINT uq_user UNIQUE (\`user\`),
  CONSTRAINT balance_nonneg CHECK (balance >= 0)
) COMMENT 'Owner''s accounts';
CREATE TABLE orders (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id INT NOT NULL,
  note TEXT,
  CONSTRAINT fk_acc FOREIGN KEY (account_id) REFERENCES \`Accounts\` (id) ON DELETE CASCADE,
  INDEX ix_note (note(10))
);
`;

mariadbTest('apply runs the mariadb client and mariadbCatalog reads the schema back', async (_t, db) => {
  const r = await db.applyScript(SCHEMA);
  assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });

  const cat = await mariadbCatalog(db);
  assert.deepEqual(Object.keys(cat.tables), ['Accounts', 'orders']);
  const acc = cat.tables.Accounts!;
  assert.equal(acc.comment, "Owner's accounts");
  assert.equal(acc.engine, 'InnoDB');
  assert.equal(acc.collation, 'utf8mb4_general_ci');
  assert.deepEqual(Object.keys(acc.columns), ['balance', 'doubled', 'id', 'mood', 'user']);
  assert.deepEqual(acc.columns.user, {
    name: 'user',
    position: 2,
    type: 'varchar(50)',
    notNull: true,
    default: null,
    extra: '',
    generated: null,
    collation: 'utf8mb4_general_ci',
    comment: 'login | name',
  });
  assert.equal(acc.columns.id?.extra, 'auto_increment');
  assert.equal(acc.columns.mood?.type, "enum('sad','ok','happy')");
  assert.equal(acc.columns.mood?.default, "'ok'");
  assert.equal(acc.columns.balance?.default, '0.00');
  assert.equal(acc.columns.doubled?.extra, 'STORED GENERATED');
  assert.equal(acc.columns.doubled?.generated, '`balance` * 2');
  assert.deepEqual(acc.constraints.balance_nonneg, {
    name: 'balance_nonneg',
    type: 'CHECK',
    columns: [],
    references: null,
    check: '`balance` >= 0',
  });
  assert.deepEqual(acc.indexes.uq_user, { name: 'uq_user', unique: true, columns: ['user'], type: 'BTREE', comment: '' });
  assert.deepEqual(acc.constraints.PRIMARY?.columns, ['id']);

  const orders = cat.tables.orders!;
  assert.deepEqual(orders.constraints.fk_acc, {
    name: 'fk_acc',
    type: 'FOREIGN KEY',
    columns: ['account_id'],
    references: { table: 'Accounts', columns: ['id'], onUpdate: 'RESTRICT', onDelete: 'CASCADE' },
    check: null,
  });
  assert.deepEqual(orders.indexes.ix_note?.columns, ['note(10)']);
  assert.equal(orders.indexes.fk_acc?.unique, false); // InnoDB's implicit FK index
  assert.deepEqual(JSON.parse(JSON.stringify(cat)), cat);

  const bad = await db.applyScript(`INSERT INTO \`Accounts\` (\`user\`, balance) VALUES ('x', -1);`);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /ERROR 4025 \(23000\) at line 1: CONSTRAINT `balance_nonneg` failed/);
});

mariadbTest('a failing script returns non-zero and stops at the first error', async (_t, db) => {
  const r = await db.applyScript('CREATE TABLE a (id int);\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\n');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ERROR 1050 \(42S01\) at line 2: Table 'a' already exists/);
  assert.deepEqual(await db.query('SHOW TABLES'), [['a']]);

  const tx = await db.applyScript('START TRANSACTION;\nINSERT INTO a VALUES (1);\nINSERT INTO nope VALUES (1);\nCOMMIT;\n');
  assert.equal(tx.code, 1);
  assert.match(tx.stderr, /at line 3: Table '[^']*\.nope' doesn't exist/);
  assert.deepEqual(await db.query('SELECT COUNT(*) FROM a'), [['0']]); // the client quit: rolled back

  const missing = await db.apply('/nonexistent/x.sql');
  assert.equal(missing.code, 1);
});

mariadbTest('query() gives exact values', async (_t, db) => {
  const rows = await db.query(
    `SELECT 'a|b' AS a, NULL AS b, '' AS c, 'x\\ny' AS d, '"q" <&> \\'r\\'' AS e, 1 AS f, 'NULL' AS g, 'é' AS h, 1 AS a`,
  );
  assert.deepEqual(rows, [['a|b', null, '', 'x\ny', `"q" <&> 'r'`, '1', 'NULL', 'é', '1']]);
  assert.deepEqual(await db.query('SELECT 1 FROM DUAL WHERE 0'), []);
  assert.deepEqual(await db.queryObjects('SELECT 1 AS n, NULL AS z'), [{ n: '1', z: null }]);
  await assert.rejects(db.query('SELECT nope'), /Unknown column 'nope'/);
  assert.deepEqual(
    parseXmlRows('<row>\n<field name="a&amp;b">x&#10;&lt;</field>\n<field name="n" xsi:nil="true" />\n</row>'),
    [[['a&b', 'x\n<'], ['n', null]]],
  );
});

test('startMariadb is memoised and SQLSCRIBE_MARIADB_SOCKET switches to an external server', async (t) => {
  const db = await requireMariadb(t);
  if (!db) return;
  try {
    const s = await startMariadb();
    assert.equal(await startMariadb(), s);
    assert.match(s.version, /MariaDB/);
    assert.equal(s.private, !process.env.SQLSCRIBE_MARIADB_SOCKET);
    const mod = writeModule(`
      const { startMariadb } = await import(${JSON.stringify(supportUrl('mariadb'))});
      const s = await startMariadb();
      const db = await s.createDatabase();
      const rows = await db.query('SELECT DATABASE(), @@character_set_database');
      await db.drop();
      console.log(JSON.stringify({ private: s.private, socket: s.socket, rows, name: db.name }));
    `);
    try {
      const r = await runNode(mod.file, childEnv({ SQLSCRIBE_MARIADB_SOCKET: s.socket }));
      assert.equal(r.code, 0, r.stderr);
      const info = JSON.parse(r.stdout) as { private: boolean; socket: string; rows: string[][]; name: string };
      assert.equal(info.private, false);
      assert.equal(info.socket, s.socket);
      assert.deepEqual(info.rows, [[info.name, 'utf8mb4']]);
      const bad = await runNode(mod.file, childEnv({ SQLSCRIBE_MARIADB_SOCKET: '/nonexistent/sock' }));
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /SQLSCRIBE_MARIADB_SOCKET=\/nonexistent\/sock is set but cannot connect/);
    } finally {
      mod.remove();
    }
  } finally {
    await db.drop();
  }
});

test('a private MariaDB is stopped and its directory removed at exit, on SIGTERM and on SIGKILL', async (t) => {
  const db = await requireMariadb(t);
  if (!db) return;
  await db.drop();
  const mod = writeModule(`
    import { readFileSync } from 'node:fs';
    import path from 'node:path';
    const { startMariadb } = await import(${JSON.stringify(supportUrl('mariadb'))});
    const s = await startMariadb();
    const pid = Number(readFileSync(path.join(path.dirname(s.socket), 'pid'), 'utf8').trim());
    // Checked here: in 'exit' mode this process stops the server as soon as it has printed.
    let alive = pid > 1;
    try { process.kill(pid, 0); } catch { alive = false; }
    console.log(JSON.stringify({ private: s.private, socket: s.socket, pid, alive }));
    if (process.env.MODE === 'wait') setInterval(() => {}, 1000);
  `);
  try {
    for (const mode of ['exit', 'SIGTERM', 'SIGKILL'] as const) {
      const c = await startNode(
        mod.file,
        childEnv({ SQLSCRIBE_MARIADB_SOCKET: undefined, MODE: mode === 'exit' ? 'exit' : 'wait' }),
      );
      const dir = path.dirname(c.info.socket as string);
      const pid = c.info.pid as number;
      assert.equal(c.info.private, true);
      assert.equal(c.info.alive, true, `${mode}: mariadbd ${pid} was running while the child held it`);
      if (mode !== 'exit') c.child.kill(mode);
      const code = await c.exited;
      assert.equal(code, mode === 'exit' ? 0 : mode, c.stderr());
      assert.ok(await eventually(() => !isAlive(pid) && !existsSync(dir), 15_000), `${mode}: mariadbd gone, ${dir} removed`);
    }
  } finally {
    mod.remove();
  }
});

test('policy: with CI set a test needing MariaDB fails when none can be had; locally it skips', async () => {
  const mod = writeModule(`
    const { mariadbTest } = await import(${JSON.stringify(supportUrl('mariadb'))});
    mariadbTest('needs mariadb', async () => { throw new Error('must not run'); });
  `);
  try {
    const env = { SQLSCRIBE_MARIADB_SOCKET: '/nonexistent/sock', SQLSCRIBE_REQUIRE_DB: undefined };
    const ci = await runNode(mod.file, childEnv({ ...env, CI: 'true' }), ['--test-reporter=tap']);
    assert.equal(ci.code, 1, ci.stdout + ci.stderr);
    assert.match(ci.stdout, /MariaDB is required here \(CI is set\) but is not available/);
    const local = await runNode(mod.file, childEnv({ ...env, CI: undefined }), ['--test-reporter=tap']);
    assert.equal(local.code, 0, local.stdout + local.stderr);
    assert.match(local.stdout, /# SKIP MariaDB not available/);
  } finally {
    mod.remove();
  }
});
