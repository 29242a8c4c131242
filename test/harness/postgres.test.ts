/**
 * Self-tests of the PostgreSQL harness (test/support/postgres.ts), against a real server.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { catalog, parseRecord, pgTest, requirePostgres, startPostgres } from '../support/postgres.js';
import { childEnv, eventually, isAlive, runNode, startNode, supportUrl, writeModule } from './child.js';

const SCHEMA = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE "Accounts" (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "user" text NOT NULL,
  mood mood DEFAULT 'ok',
  balance numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT balance_nonneg CHECK (balance >= 0),
  email varchar(255) COLLATE "C" UNIQUE,
  doubled numeric GENERATED ALWAYS AS (balance * 2) STORED
);
COMMENT ON TABLE "Accounts" IS 'Owner''s accounts';
COMMENT ON COLUMN "Accounts"."user" IS 'login | name';
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  account_id integer NOT NULL REFERENCES "Accounts"(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  note text
);
CREATE UNIQUE INDEX orders_note_open ON orders (account_id) WHERE note IS NULL;
ALTER TABLE orders ADD CONSTRAINT note_len CHECK (length(note) < 100) NOT VALID;
CREATE SCHEMA billing;
CREATE TABLE billing.invoice (id int);
`;

pgTest('psqlScript applies a script with psql and catalog() reads every kind of object back', async (_t, db) => {
  const r = await db.psqlScript(SCHEMA);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(
    r.stdout,
    'CREATE TYPE\nCREATE TABLE\nCOMMENT\nCOMMENT\nCREATE TABLE\nCREATE INDEX\nALTER TABLE\nCREATE SCHEMA\nCREATE TABLE\n',
  );

  const snap = await catalog(db);
  assert.deepEqual(snap.schemas, ['billing', 'public']);
  assert.deepEqual(snap.extensions, []);
  assert.deepEqual(Object.keys(snap.tables), ['billing.invoice', 'public.Accounts', 'public.orders']);

  const acc = snap.tables['public.Accounts']!;
  assert.equal(acc.name, 'Accounts');
  assert.equal(acc.kind, 'table');
  assert.equal(acc.comment, "Owner's accounts");
  // columns keyed and ordered by name; position is the live order
  assert.deepEqual(Object.keys(acc.columns), ['balance', 'doubled', 'email', 'id', 'mood', 'user']);
  assert.deepEqual(acc.columns.user, {
    name: 'user',
    position: 2,
    type: 'text',
    notNull: true,
    default: null,
    identity: null,
    generated: null,
    collation: null,
    comment: 'login | name',
  });
  assert.deepEqual(acc.columns.id, {
    name: 'id',
    position: 1,
    type: 'integer',
    notNull: true,
    default: null,
    identity: 'always',
    generated: null,
    collation: null,
    comment: null,
  });
  assert.equal(acc.columns.mood?.type, 'mood');
  assert.equal(acc.columns.mood?.default, "'ok'::mood");
  assert.equal(acc.columns.balance?.type, 'numeric(12,2)');
  assert.equal(acc.columns.balance?.default, '0');
  assert.equal(acc.columns.email?.type, 'character varying(255)');
  assert.equal(acc.columns.email?.collation, 'pg_catalog."C"');
  assert.equal(acc.columns.doubled?.generated, '(balance * (2)::numeric)');
  assert.equal(acc.columns.doubled?.default, null);

  assert.deepEqual(Object.keys(acc.constraints), ['Accounts_email_key', 'Accounts_pkey', 'balance_nonneg']);
  assert.deepEqual(acc.constraints.balance_nonneg, {
    name: 'balance_nonneg',
    type: 'check',
    definition: 'CHECK ((balance >= (0)::numeric))',
    columns: ['balance'],
    references: null,
    deferrable: false,
    deferred: false,
    validated: true,
    comment: null,
  });
  assert.equal(acc.constraints.Accounts_pkey?.definition, 'PRIMARY KEY (id)');
  assert.equal(acc.indexes.Accounts_pkey?.primary, true);
  assert.equal(acc.indexes.Accounts_pkey?.constraint, 'Accounts_pkey');
  assert.equal(
    acc.indexes.Accounts_email_key?.definition,
    'CREATE UNIQUE INDEX "Accounts_email_key" ON public."Accounts" USING btree (email)',
  );

  const orders = snap.tables['public.orders']!;
  assert.equal(orders.comment, null);
  assert.equal(orders.columns.id?.type, 'bigint');
  assert.equal(orders.columns.id?.default, "nextval('orders_id_seq'::regclass)");
  assert.deepEqual(orders.constraints.orders_account_id_fkey, {
    name: 'orders_account_id_fkey',
    type: 'foreign key',
    definition:
      'FOREIGN KEY (account_id) REFERENCES "Accounts"(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED',
    columns: ['account_id'],
    references: 'public.Accounts',
    deferrable: true,
    deferred: true,
    validated: true,
    comment: null,
  });
  assert.equal(orders.constraints.note_len?.validated, false);
  assert.equal(orders.constraints.note_len?.definition, 'CHECK ((length(note) < 100)) NOT VALID');
  assert.deepEqual(orders.indexes.orders_note_open, {
    name: 'orders_note_open',
    definition: 'CREATE UNIQUE INDEX orders_note_open ON public.orders USING btree (account_id) WHERE (note IS NULL)',
    unique: true,
    primary: false,
    valid: true,
    constraint: null,
    comment: null,
  });

  assert.deepEqual(snap.enums, {
    'public.mood': { schema: 'public', name: 'mood', labels: ['sad', 'ok', 'happy'], comment: null },
  });
  assert.deepEqual(Object.keys(snap.sequences), ['public.Accounts_id_seq', 'public.orders_id_seq']);
  assert.equal(snap.sequences['public.Accounts_id_seq']?.ownedBy, 'public.Accounts.id');
  assert.equal(snap.sequences['public.Accounts_id_seq']?.identity, true);
  assert.equal(snap.sequences['public.Accounts_id_seq']?.type, 'integer');
  assert.equal(snap.sequences['public.orders_id_seq']?.ownedBy, 'public.orders.id');
  assert.equal(snap.sequences['public.orders_id_seq']?.identity, false);

  // the snapshot is plain JSON
  assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap);
  // schema filter
  const billing = await catalog(db, { schemas: ['billing'] });
  assert.deepEqual(billing.schemas, ['billing']);
  assert.deepEqual(Object.keys(billing.tables), ['billing.invoice']);
  assert.deepEqual(billing.enums, {});
  assert.deepEqual(billing.sequences, {});
});

pgTest('a failing script returns non-zero and ON_ERROR_STOP stops at the first error', async (_t, db) => {
  const r = await db.psqlScript('CREATE TABLE a (id int);\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\n');
  assert.equal(r.code, 3); // psql: "an error occurred in a script and ON_ERROR_STOP was set"
  assert.equal(r.stdout, 'CREATE TABLE\n');
  assert.match(r.stderr, /^psql:[^\n]*\.sql:2: ERROR: {2}relation "a" already exists$/m);
  assert.deepEqual(await db.query(`SELECT relname FROM pg_class WHERE relname IN ('a', 'b') ORDER BY 1`), [['a']]);

  // In a transaction, the failure takes the whole script back.
  const tx = await db.psqlScript('BEGIN;\nCREATE TABLE c (id int);\nSELECT 1/0;\nCOMMIT;\n');
  assert.equal(tx.code, 3);
  assert.match(tx.stderr, /:3: ERROR: {2}division by zero/);
  assert.deepEqual(await db.query(`SELECT relname FROM pg_class WHERE relname = 'c'`), []);

  // A file psql cannot read is exit 1, not 3.
  const missing = await db.psqlFile('/nonexistent/x.sql');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such file or directory/);
});

pgTest('query() gives exact values: separators, newlines, quotes, NULL vs empty', async (_t, db) => {
  const rows = await db.query(`
    SELECT 'a|b' AS a, NULL::text AS b, '' AS c, E'x\\ny' AS d, '"q", (r)' AS e, 1 AS f, true AS g,
           ARRAY['a b', 'c'] AS h, 'NULL' AS i, 'é \\' AS j, E'\\x1f\\x1e' AS k
    UNION ALL
    SELECT ' ', 'x', NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL
    ORDER BY f NULLS LAST;`);
  assert.deepEqual(rows, [
    ['a|b', null, '', 'x\ny', '"q", (r)', '1', 't', '{"a b",c}', 'NULL', 'é \\', '\x1f\x1e'],
    [' ', 'x', null, null, null, null, 'f', null, null, null, null],
  ]);
  assert.deepEqual(await db.query('SELECT 1 AS a, 2 AS a'), [['1', '2']]);
  assert.deepEqual(await db.query('SELECT 1 WHERE false'), []);
  assert.deepEqual(await db.queryJson('SELECT 1 AS n, true AS b, NULL AS z'), [{ n: 1, b: true, z: null }]);
  await assert.rejects(db.query('SELECT nope'), /column "nope" does not exist/);
  assert.deepEqual(parseRecord('(,"",a,"b""c\\\\d")'), [null, '', 'a', 'b"c\\d']);
});

pgTest('equal schemas give equal snapshots; any change shows', async (_t, db) => {
  const other = await db.server.createDatabase();
  try {
    assert.equal((await db.psqlScript(SCHEMA)).code, 0);
    assert.equal((await other.psqlScript(SCHEMA)).code, 0);
    const a = await catalog(db);
    assert.deepStrictEqual(await catalog(other), a);

    // add then drop a column: the same schema again (positions are live positions, not attnum)
    assert.equal((await other.psqlScript('ALTER TABLE orders ADD COLUMN x int; ALTER TABLE orders DROP COLUMN x;')).code, 0);
    assert.deepStrictEqual(await catalog(other), a);

    assert.equal((await other.psqlScript(`COMMENT ON TABLE orders IS 'changed'`)).code, 0);
    assert.notDeepStrictEqual(await catalog(other), a);
    assert.equal((await other.psqlScript(`COMMENT ON TABLE orders IS NULL; ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'`)).code, 0);
    const b = await catalog(other);
    assert.deepEqual(b.enums['public.mood']?.labels, ['sad', 'meh', 'ok', 'happy']);
    assert.notDeepStrictEqual(b, a);
  } finally {
    await other.drop();
  }
});

pgTest('createDatabase gives distinct empty databases; drop removes them', async (_t, db) => {
  const other = await db.server.createDatabase();
  assert.notEqual(other.name, db.name);
  assert.match(other.name, /^t_\d+_\d+_[a-z0-9]+$/);
  const snap = await catalog(other);
  assert.deepEqual(snap, { schemas: ['public'], extensions: [], tables: {}, enums: {}, sequences: {} });
  assert.deepEqual(await other.query("SELECT current_setting('server_encoding')"), [['UTF8']]);
  await other.drop();
  assert.deepEqual(await db.query(`SELECT datname FROM pg_database WHERE datname = '${other.name}'`), []);
});

test('startPostgres is memoised and SQLSCRIBE_PG_SOCKET_DIR switches to an external server', async (t) => {
  const db = await requirePostgres(t);
  if (!db) return;
  try {
    const s = await startPostgres();
    assert.equal(await startPostgres(), s);
    assert.equal(s.user, 'postgres');
    assert.ok(s.versionNum >= 150000 && s.versionNum < 160000, `PostgreSQL 15 expected, got ${s.versionNum}`);
    assert.equal(s.private, !process.env.SQLSCRIBE_PG_SOCKET_DIR);

    const mod = writeModule(`
      const { startPostgres } = await import(${JSON.stringify(supportUrl('postgres'))});
      const s = await startPostgres();
      const db = await s.createDatabase();
      const rows = await db.query('SELECT current_user, current_database()');
      await db.drop();
      console.log(JSON.stringify({ private: s.private, host: s.host, port: s.port, rows, name: db.name }));
    `);
    try {
      const r = await runNode(mod.file, childEnv({ SQLSCRIBE_PG_SOCKET_DIR: s.host, SQLSCRIBE_PG_PORT: String(s.port) }));
      assert.equal(r.code, 0, r.stderr);
      const info = JSON.parse(r.stdout) as { private: boolean; host: string; port: number; rows: string[][]; name: string };
      assert.equal(info.private, false);
      assert.equal(info.host, s.host);
      assert.equal(info.port, s.port);
      assert.deepEqual(info.rows, [['postgres', info.name]]);

      const bad = await runNode(mod.file, childEnv({ SQLSCRIBE_PG_SOCKET_DIR: '/nonexistent-sock-dir' }));
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /SQLSCRIBE_PG_SOCKET_DIR=\/nonexistent-sock-dir is set but cannot connect/);
    } finally {
      mod.remove();
    }
  } finally {
    await db.drop();
  }
});

test('a private server is stopped and its directory removed at exit, on SIGTERM and on SIGKILL', async (t) => {
  const db = await requirePostgres(t); // only to apply the CI/skip policy: needs PostgreSQL installed
  if (!db) return;
  await db.drop();
  const mod = writeModule(`
    import { existsSync, readFileSync } from 'node:fs';
    const { startPostgres } = await import(${JSON.stringify(supportUrl('postgres'))});
    const s = await startPostgres();
    const pid = Number(readFileSync(s.host + '/data/postmaster.pid', 'utf8').split('\\n')[0]);
    // Checked here: in 'exit' mode this process stops the server as soon as it has printed.
    let alive = pid > 1 && existsSync(s.host + '/.s.PGSQL.5432');
    try { process.kill(pid, 0); } catch { alive = false; }
    console.log(JSON.stringify({ private: s.private, host: s.host, pid, alive }));
    if (process.env.MODE === 'wait') setInterval(() => {}, 1000);
  `);
  try {
    for (const mode of ['exit', 'SIGTERM', 'SIGKILL'] as const) {
      const env = childEnv({ SQLSCRIBE_PG_SOCKET_DIR: undefined, MODE: mode === 'exit' ? 'exit' : 'wait' });
      const c = await startNode(mod.file, env);
      const host = c.info.host as string;
      const pid = c.info.pid as number;
      assert.equal(c.info.private, true);
      assert.equal(c.info.alive, true, `${mode}: postmaster ${pid} running, socket in the private dir, while the child held it`);
      if (mode !== 'exit') c.child.kill(mode);
      const code = await c.exited;
      if (mode === 'exit') assert.equal(code, 0, c.stderr());
      else assert.equal(code, mode);
      assert.ok(await eventually(() => !isAlive(pid) && !existsSync(host), 15_000), `${mode}: server gone and ${host} removed`);
    }
  } finally {
    mod.remove();
  }
});

test('policy: with CI set a test needing PostgreSQL fails when none can be had; locally it skips', async () => {
  const mod = writeModule(`
    const { pgTest } = await import(${JSON.stringify(supportUrl('postgres'))});
    pgTest('needs pg', async () => { throw new Error('must not run'); });
  `);
  try {
    const env = { SQLSCRIBE_PG_SOCKET_DIR: '/nonexistent-sock-dir', SQLSCRIBE_REQUIRE_DB: undefined };
    const ci = await runNode(mod.file, childEnv({ ...env, CI: 'true' }), ['--test-reporter=tap']);
    assert.equal(ci.code, 1, ci.stdout + ci.stderr);
    assert.match(ci.stdout, /not ok 1 - needs pg/);
    assert.match(ci.stdout, /PostgreSQL is required here \(CI is set\) but is not available/);
    assert.match(ci.stdout, /# fail 1/);

    const local = await runNode(mod.file, childEnv({ ...env, CI: undefined }), ['--test-reporter=tap']);
    assert.equal(local.code, 0, local.stdout + local.stderr);
    assert.match(local.stdout, /ok 1 - needs pg # SKIP PostgreSQL not available/);
    assert.match(local.stdout, /# skipped 1/);

    const forced = await runNode(mod.file, childEnv({ ...env, CI: undefined, SQLSCRIBE_REQUIRE_DB: '1' }), ['--test-reporter=tap']);
    assert.equal(forced.code, 1);
  } finally {
    mod.remove();
  }
});

test('parseRecord rejects what is not a record', () => {
  assert.throws(() => parseRecord('1,2'), /not a record/);
  assert.deepEqual(parseRecord('()'), [null]);
  assert.deepEqual(parseRecord('(a,)'), ['a', null]);
});
