/**
 * The golden cases of the MySQL and MariaDB dialects: every op and every portable type, each compiled for
 * both flavours into `golden/<name>.<dialect>.sql` (`golden.test.ts`), parsed by node-sql-parser, and
 * applied to a real MariaDB server (`accept.test.ts`).
 */
import { check, column, foreignKey, op, primaryKey, sql, t, unique } from '../../src/ops/builders.js';
import type { GoldenCase } from './support.js';

const customers = op.createTable('customers', [column('id', t.integer(), { primaryKey: true }), column('email', t.string(255), { nullable: false })]);

export const CASES: readonly GoldenCase[] = [
  {
    name: 'create-table-basic',
    title: 'createTable: AUTO_INCREMENT primary key, NOT NULL, quoting of names and strings, comments, a nullable TIMESTAMP',
    ops: [
      op.createTable(
        'account',
        [
          column('id', t.integer(), { primaryKey: true }),
          column('name', t.string(50), { nullable: false, comment: "the account's name" }),
          column('user', t.string(200), { serverDefault: "O'Brien \\ C:\\dir" }),
          column('odd`name', t.integer(), { serverDefault: -1 }),
          column('seen_at', t.dateTime({ timezone: true })),
          column('active', t.boolean(), { nullable: false, serverDefault: false }),
        ],
        { comment: 'Accounts; one per customer' },
      ),
    ],
  },
  {
    name: 'create-table-types',
    title: 'createTable: every portable type, an inline ENUM, expression defaults for TEXT and JSON',
    ops: [
      op.createTable('every_type', [
        column('c_integer', t.integer()),
        column('c_big_integer', t.bigInteger()),
        column('c_small_integer', t.smallInteger()),
        column('c_string_50', t.string(50)),
        column('c_text', t.text(), { serverDefault: 'none' }),
        column('c_boolean', t.boolean(), { serverDefault: true }),
        column('c_date_time', t.dateTime(), { serverDefault: sql`CURRENT_TIMESTAMP` }),
        column('c_timestamp', t.dateTime({ timezone: true }), { nullable: false, serverDefault: sql`CURRENT_TIMESTAMP` }),
        column('c_date', t.date()),
        column('c_time', t.time()),
        column('c_numeric', t.numeric()),
        column('c_numeric_10_2', t.numeric(10, 2), { serverDefault: 0 }),
        column('c_float', t.float()),
        column('c_float_24', t.float(24)),
        column('c_double', t.double()),
        column('c_uuid', t.uuid()),
        column('c_json', t.json(), { serverDefault: sql`(JSON_ARRAY())` }),
        column('c_jsonb', t.jsonb()),
        column('c_binary', t.binary()),
        column('c_binary_16', t.binary(16)),
        column('c_enum', t.enum(['draft', "author's cut"], { name: 'status' }), { nullable: false, serverDefault: 'draft' }),
        column('c_custom', t.custom({ postgresql: 'CITEXT', mysql: 'MEDIUMTEXT', default: 'TEXT' })),
      ]),
    ],
  },
  {
    name: 'create-table-constraints',
    title: 'createTable: composite primary key, named and unnamed unique, check and foreign keys, collation, generated columns',
    ops: [
      customers,
      op.createTable('orders', [
        column('customer_id', t.integer(), { references: { table: 'customers', column: 'id', onDelete: 'CASCADE' } }),
        column('number', t.integer()),
        column('code', t.string(20), { unique: true, collation: 'utf8mb4_bin' }),
        column('total', t.numeric(10, 2), { nullable: false }),
        column('total_cents', t.bigInteger(), { computed: { expression: sql`total * 100`, stored: true } }),
        column('half', t.numeric(10, 2), { computed: { expression: sql`total / 2`, stored: false } }),
        primaryKey(['customer_id', 'number']),
        unique(['number', 'code'], { name: 'uq_orders_number_code' }),
        check(sql`total >= 0`, { name: 'ck_orders_total' }),
        check(sql`number > 0`),
        foreignKey(['customer_id'], 'customers', ['id'], { name: 'fk_orders_customer', onUpdate: 'RESTRICT', onDelete: 'NO ACTION' }),
      ]),
    ],
  },
  {
    name: 'default-names',
    title: "the server's names for unnamed keys: first column (_2 on a clash), <table>_ibfk_<n> (ALTER: after the highest), checks; renamed with the table",
    ops: [
      customers,
      op.createTable('o', [
        column('id', t.integer(), { primaryKey: true }),
        column('a', t.integer(), { unique: true, references: { table: 'customers', column: 'id' } }),
        column('b', t.integer(), { references: { table: 'customers', column: 'id', name: 'o_ibfk_7' } }),
        column('c', t.integer()),
        unique(['a', 'b']),
        check(sql`c > 0`),
        check(sql`c < 100`, { name: 'ck_o_c' }),
        check(sql`c <> 50`),
      ]),
      op.addColumn('o', column('d', t.integer(), { unique: true, references: { table: 'customers', column: 'id' } })),
      op.renameTable('o', 'p'),
      op.addColumn('p', column('e', t.integer(), { references: { table: 'customers', column: 'id' } })),
      op.dropConstraint('p_ibfk_1', 'p'),
    ],
  },
  {
    name: 'add-drop-column',
    title: 'addColumn (with unique and a foreign key; an AUTO_INCREMENT primary key) and dropColumn',
    ops: [
      customers,
      op.createTable('notes', [column('body', t.text())]),
      op.addColumn('notes', column('id', t.integer(), { primaryKey: true })),
      op.addColumn('notes', column('code', t.string(10), { unique: true, nullable: false, serverDefault: 'n/a', comment: 'short code' })),
      op.addColumn('notes', column('customer_id', t.integer(), { references: { table: 'customers', column: 'id', onDelete: 'CASCADE' } })),
      op.dropColumn('notes', 'body'),
    ],
  },
  {
    name: 'mariadb-check-columns',
    title: 'MariaDB renames a column inside its checks, and drops a check that uses only the dropped column',
    dialects: ['mariadb'],
    ops: [
      op.createTable('r', [column('a', t.integer()), column('b', t.integer()), check(sql`a > 0`, { name: 'ck_r_a' }), check(sql`b < 10`, { name: 'ck_r_b' })]),
      op.alterColumn('r', 'a', { newName: 'a2' }),
      op.dropColumn('r', 'b'),
    ],
  },
  {
    name: 'alter-column',
    title: 'alterColumn: MODIFY COLUMN restates the whole column from the model; defaults alone; RENAME COLUMN last',
    ops: [
      op.createTable('items', [
        column('id', t.integer(), { primaryKey: true }),
        column('label', t.string(20), { serverDefault: 'x', comment: 'the label' }),
        column('qty', t.smallInteger(), { nullable: false, serverDefault: 1 }),
      ]),
      op.alterColumn('items', 'label', { type: t.string(80) }),
      op.alterColumn('items', 'label', { nullable: false }),
      op.alterColumn('items', 'label', { comment: null, serverDefault: null }),
      op.alterColumn('items', 'qty', { serverDefault: 5 }),
      op.alterColumn('items', 'qty', { serverDefault: null }),
      op.alterColumn('items', 'qty', { type: t.integer(), newName: 'quantity' }),
      op.alterColumn('items', 'id', { type: t.bigInteger() }),
      op.alterColumn('items', 'quantity', { comment: 'how many' }),
    ],
  },
  {
    name: 'indexes',
    title: 'createIndex / dropIndex; an index a foreign key needs is replaced by the foreign key index when dropped',
    ops: [
      customers,
      op.createTable('orders', [
        column('id', t.integer(), { primaryKey: true }),
        column('customer_id', t.integer(), { nullable: false, references: { table: 'customers', column: 'id', name: 'fk_orders_customer' } }),
        column('placed', t.date()),
      ]),
      op.createIndex('ix_orders_customer_placed', 'orders', ['customer_id', 'placed']),
      op.createIndex('ix_orders_placed', 'orders', ['placed'], { unique: true, using: 'btree' }),
      op.createIndex('ix_customers_email', 'customers', ['email'], { using: 'HASH' }),
      op.dropIndex('ix_orders_placed', { table: 'orders' }),
      op.dropIndex('ix_orders_customer_placed', { table: 'orders' }),
      op.dropIndex('ix_customers_email', { table: 'customers' }),
    ],
  },
  {
    name: 'functional-index',
    title: 'createIndex with an sql item: a MySQL 8.0.13 functional key part',
    dialects: ['mysql'],
    apply: false,
    ops: [customers, op.createIndex('ix_customers_lower_email', 'customers', [sql`lower(email)`])],
  },
  {
    name: 'constraints',
    title: 'create and drop every kind of constraint; dropConstraint takes the kind from the model when type is omitted',
    ops: [
      customers,
      op.createTable('orders', [column('id', t.integer(), { nullable: false, autoincrement: false }), column('customer_id', t.integer()), column('total', t.numeric(10, 2))]),
      op.createPrimaryKey('pk_orders', 'orders', ['id']),
      op.createUniqueConstraint('uq_orders_customer_total', 'orders', ['customer_id', 'total']),
      op.createCheckConstraint('ck_orders_total', 'orders', sql`total >= 0`),
      op.createForeignKey('fk_orders_customer', 'orders', 'customers', ['customer_id'], ['id'], { onDelete: 'CASCADE' }),
      op.dropConstraint('ck_orders_total', 'orders'),
      op.dropConstraint('fk_orders_customer', 'orders', { type: 'foreignkey' }),
      op.dropConstraint('uq_orders_customer_total', 'orders'),
      op.dropConstraint('pk_orders', 'orders', { type: 'primary' }),
    ],
  },
  {
    name: 'tables',
    title: 'renameTable, table comments, dropTable',
    ops: [
      customers,
      op.renameTable('customers', 'clients'),
      op.createTableComment('clients', "Our clients' data"),
      op.dropTableComment('clients'),
      op.dropTable('clients'),
      op.createTable('tmp', [column('id', t.integer())], { ifNotExists: true }),
      op.dropTable('tmp', { ifExists: true }),
    ],
  },
  {
    name: 'schemas',
    title: 'createSchema / dropSchema are CREATE SCHEMA / DROP SCHEMA (a database); schema qualifies a table with its database',
    apply: false,
    ops: [
      op.createSchema('archive', { ifNotExists: true }),
      op.createTable('log', [column('id', t.integer(), { primaryKey: true })], { schema: 'archive' }),
      op.renameTable('log', 'old_log', { schema: 'archive' }),
      op.dropTable('old_log', { schema: 'archive' }),
      op.dropSchema('archive'),
    ],
  },
  {
    name: 'enum-execute-insert',
    title: 'createEnum/dropEnum emit nothing (ENUM is inline); execute picks mysql:, else default:; bulkInsert escapes',
    ops: [
      op.createEnum('mood', ['happy', 'sad']),
      op.createTable('people', [column('id', t.integer(), { primaryKey: true }), column('name', t.string(100)), column('vip', t.boolean()), column('note', t.text())]),
      op.bulkInsert('people', [
        { id: 1, name: "Seán O'Brien", vip: true, note: 'C:\\temp\\new' },
        { id: 2, name: '田中 "Zed"', vip: false, note: null },
      ]),
      op.execute({ postgresql: 'SELECT 1', mysql: 'UPDATE people SET vip = TRUE WHERE id = 2;' }),
      op.execute(sql`DELETE FROM people WHERE id = 1`),
      op.dropEnum('mood'),
    ],
  },
  {
    name: 'mariadb-if-exists',
    title: 'MariaDB only: IF NOT EXISTS / IF EXISTS on columns and indexes',
    dialects: ['mariadb'],
    ops: [
      customers,
      op.addColumn('customers', column('name', t.string(50)), { ifNotExists: true }),
      op.createIndex('ix_customers_name', 'customers', ['name'], { ifNotExists: true }),
      op.dropIndex('ix_customers_name', { table: 'customers', ifExists: true }),
      op.dropColumn('customers', 'name', { ifExists: true }),
    ],
  },
];
