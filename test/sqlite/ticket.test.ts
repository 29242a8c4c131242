/**
 * Issue 4's "Done when" on SQLite: the portable history test/fixtures/portable/ticket (foreign keys with
 * ON DELETE CASCADE, a boolean default, a unique constraint and a NOT NULL added to an existing table —
 * by the table rebuild —, a column renamed, a column dropped, a check constraint added, rows with quotes
 * and non-ASCII text, a table renamed) compiled with `--dialect sqlite` and applied with `sqlite3 -bail`:
 * the intended schema and rows, the added constraints enforced, downgrade to base, upgrade again.
 */
import assert from 'node:assert/strict';
import { sqliteTest } from '../support/sqlite.js';
import { apply, rejects, schemaOf, tableSql, type IntendedTable } from './history.js';

/** What the ticket history means at head, in pragma terms. */
const INTENDED: Record<string, IntendedTable> = {
  alembic_version: {
    columns: { version_num: 'VARCHAR(32) NOT NULL PK 1' },
    indexes: { sqlite_autoindex_alembic_version_1: 'UNIQUE pk (version_num)' },
    foreignKeys: [],
  },
  customers: {
    // legacy_code dropped; name made NOT NULL; is_vip added with a false default; email unique.
    columns: {
      id: 'INTEGER NOT NULL PK 1',
      email: 'VARCHAR(255) NOT NULL',
      name: 'VARCHAR(100) NOT NULL',
      created_at: 'DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP',
      is_vip: 'BOOLEAN NOT NULL DEFAULT 0',
    },
    indexes: { sqlite_autoindex_customers_1: 'UNIQUE u (email)' },
    foreignKeys: [],
  },
  purchases: {
    // orders renamed to purchases, note renamed to remark; the index keeps its name.
    columns: { id: 'INTEGER NOT NULL PK 1', customer_id: 'INTEGER NOT NULL', total: 'NUMERIC(10, 2) NOT NULL', remark: 'VARCHAR(200)' },
    indexes: { ix_orders_customer_id: 'c (customer_id)' },
    foreignKeys: ['customer_id -> customers(id) ON DELETE CASCADE ON UPDATE NO ACTION'],
  },
};

const ROWS_CUSTOMERS = [
  ['1', 'sean.obrien@example.com', "Seán O'Brien", '1'],
  ['2', 'zoe@example.com', 'Zoë "Zed" Ünal', '0'],
  ['3', 'tanaka@example.jp', '田中 太郎 \\ backslash', '0'],
];
// NUMERIC(10, 2) has NUMERIC affinity: SQLite keeps 99.99 as a REAL (datatype3.html §3), read back as text.
const ROWS_PURCHASES = [
  ['10', '1', '12.5', "Fish 'n' chips"],
  ['11', '2', '0', 'Crème brûlée — gratis'],
  ['12', '3', '99.99', null],
];

sqliteTest('ticket: upgrade head reaches the intended schema and rows', async (_t, db) => {
  const sql = await apply(db, 'ticket', 'upgrade', 'head');
  assert.match(sql, /^PRAGMA foreign_keys=OFF;$/m, 'foreign keys are switched off outside the transaction');
  assert.ok(sql.indexOf('PRAGMA foreign_keys=OFF;') < sql.indexOf('BEGIN;'));
  assert.ok(sql.trimEnd().endsWith('COMMIT;\n\nPRAGMA foreign_keys=ON;'));
  assert.deepEqual(await schemaOf(db), INTENDED);
  assert.match(await tableSql(db, 'purchases'), /CONSTRAINT ck_orders_total_positive CHECK \(total >= 0\)/);
  assert.match(await tableSql(db, 'customers'), /CONSTRAINT uq_customers_email UNIQUE \(email\)/);
  assert.deepEqual(await db.query('SELECT id, email, name, is_vip FROM customers ORDER BY id'), ROWS_CUSTOMERS);
  assert.deepEqual(await db.query('SELECT id, customer_id, CAST(total AS TEXT), remark FROM purchases ORDER BY id'), ROWS_PURCHASES);
  assert.deepEqual(await db.query('SELECT count(*) FROM customers WHERE created_at IS NULL'), [['0']]);
  assert.deepEqual(await db.query('SELECT version_num FROM alembic_version'), [['5e1ec7ab0005']]);
  assert.deepEqual(await db.query('SELECT count(*) FROM pragma_foreign_key_check'), [['0']]);
  assert.deepEqual(await db.query("SELECT name FROM sqlite_master WHERE name LIKE '\\_%' ESCAPE '\\'"), [], 'no _alembic_tmp_ or check table is left');
});

sqliteTest('ticket: the constraints added by the rebuild are enforced', async (_t, db) => {
  await apply(db, 'ticket', 'upgrade', 'head');
  await rejects(db, "INSERT INTO customers (id, email, name) VALUES (4, 'zoe@example.com', 'Other Zoë');", /UNIQUE constraint failed: customers\.email/);
  await rejects(db, 'INSERT INTO purchases (id, customer_id, total) VALUES (20, 1, -0.01);', /CHECK constraint failed: ck_orders_total_positive/);
  await rejects(db, "INSERT INTO customers (id, email, name) VALUES (5, 'nameless@example.com', NULL);", /NOT NULL constraint failed: customers\.name/);
  // ON DELETE CASCADE survives the rebuild of customers and the rename of orders.
  const r = await db.applyScript('PRAGMA foreign_keys=ON;\nDELETE FROM customers WHERE id = 1;\n');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await db.query('SELECT id FROM purchases ORDER BY id'), [['11'], ['12']]);
  // An order with a customer that does not exist is refused when foreign keys are on.
  await rejects(db, 'PRAGMA foreign_keys=ON;\nINSERT INTO purchases (id, customer_id, total) VALUES (30, 99, 1);', /FOREIGN KEY constraint failed/);
});

sqliteTest('ticket: downgrade head:base leaves only the empty version table; upgrade head again gives the same catalog and rows', async (_t, db) => {
  await apply(db, 'ticket', 'upgrade', 'head');
  const first = await schemaOf(db);
  await apply(db, 'ticket', 'downgrade', 'head:base');
  assert.deepEqual(Object.keys(await schemaOf(db)), ['alembic_version']);
  assert.deepEqual(await db.query('SELECT count(*) FROM alembic_version'), [['0']]);
  await apply(db, 'ticket', 'upgrade', 'head');
  assert.deepEqual(await schemaOf(db), first);
  assert.deepEqual(await db.query('SELECT id, email, name, is_vip FROM customers ORDER BY id'), ROWS_CUSTOMERS);
});

sqliteTest('ticket: one revision at a time, up and down, applies and ends at the same schema', async (_t, db) => {
  const revs = ['5e1ec7ab0001', '5e1ec7ab0002', '5e1ec7ab0003', '5e1ec7ab0004', '5e1ec7ab0005'];
  let from = 'base';
  for (const rev of revs) {
    await apply(db, 'ticket', 'upgrade', `${from}:${rev}`);
    from = rev;
  }
  assert.deepEqual(await schemaOf(db), INTENDED);
  // Down to the state before the rebuilds: the unique and check constraints are gone, name is nullable again.
  await apply(db, 'ticket', 'downgrade', '5e1ec7ab0005:5e1ec7ab0003');
  const mid = await schemaOf(db);
  assert.deepEqual(mid.customers?.indexes, {});
  assert.equal(mid.customers?.columns.name, 'VARCHAR(100)');
  assert.deepEqual(Object.keys(mid.customers?.columns ?? {}), ['id', 'email', 'name', 'created_at', 'is_vip', 'legacy_code']);
  assert.doesNotMatch(await tableSql(db, 'orders'), /CHECK/);
  const r = await db.applyScript("INSERT INTO orders (id, customer_id, total) VALUES (40, 2, -5);\nINSERT INTO customers (id, email) VALUES (9, 'zoe@example.com');\n");
  assert.equal(r.code, 0, r.stderr);
});
