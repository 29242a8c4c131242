/**
 * The golden cases of the SQLite dialect: every op SQLite can do and every type, the ops ALTER TABLE does
 * directly and the ones that become a table rebuild, with each file's expected SQL in
 * `test/fixtures/sqlite/<name>.sql`. `golden.test.ts` also applies setup + golden SQL to a real SQLite.
 */
import { check, column, foreignKey, op, primaryKey, sql, t, unique } from '../../src/ops/builders.js';
import type { GoldenCase } from './support.js';

const account = op.createTable('account', [
  column('id', t.integer(), { primaryKey: true }),
  column('email', t.string(100), { nullable: false }),
  column('name', t.string(50)),
  column('score', t.integer(), { serverDefault: 0 }),
]);
const invoice = op.createTable('invoice', [
  column('id', t.integer(), { primaryKey: true }),
  column('account_id', t.integer(), { references: { table: 'account', column: 'id' } }),
  column('total', t.numeric(10, 2)),
]);

export const CASES: readonly GoldenCase[] = [
  {
    name: 'create-table-basic',
    title: 'createTable: INTEGER primary key (the rowid), NOT NULL, a reserved column name with a string default',
    ops: [
      op.createTable('account', [
        column('id', t.integer(), { primaryKey: true }),
        column('name', t.string(50), { nullable: false }),
        column('order', t.string(200), { serverDefault: 'x' }),
        column('user', t.text()),
      ]),
    ],
  },
  {
    name: 'create-table-types',
    title: 'createTable: every generic type SQLite has (enum: VARCHAR with a CHECK; uuid: CHAR(32); json and jsonb: JSON)',
    ops: [
      op.createTable('every_type', [
        column('c_integer', t.integer()),
        column('c_big_integer', t.bigInteger()),
        column('c_small_integer', t.smallInteger()),
        column('c_string', t.string()),
        column('c_string_50', t.string(50)),
        column('c_text', t.text()),
        column('c_boolean', t.boolean()),
        column('c_date_time', t.dateTime()),
        column('c_date_time_tz', t.dateTime({ timezone: true })),
        column('c_date', t.date()),
        column('c_time', t.time()),
        column('c_numeric', t.numeric()),
        column('c_numeric_10', t.numeric(10)),
        column('c_numeric_10_2', t.numeric(10, 2)),
        column('c_float', t.float()),
        column('c_double', t.double()),
        column('c_uuid', t.uuid()),
        column('c_json', t.json()),
        column('c_jsonb', t.jsonb()),
        column('c_binary', t.binary()),
        column('c_binary_16', t.binary(16)),
        column('c_enum', t.enum(['happy', 'sad', "it's complicated"], { name: 'mood' })),
        column('c_custom', t.custom({ postgresql: 'INET', sqlite: 'TEXT', default: 'VARCHAR(45)' })),
        column('c_custom_default', t.custom({ default: 'DECIMAL(19, 4)' })),
      ]),
    ],
  },
  {
    name: 'create-table-constraints',
    title: 'createTable: primary key first, table constraints as given, then column unique and references; unnamed ones stay unnamed',
    setup: [account],
    ops: [
      op.createTable('invoice', [
        column('tenant', t.integer(), { nullable: false }),
        column('number', t.integer(), { nullable: false, unique: true }),
        column('account_id', t.integer(), { references: { table: 'account', column: 'id', onDelete: 'CASCADE', onUpdate: 'NO ACTION', deferrable: true, initially: 'DEFERRED' } }),
        column('total', t.numeric(12, 2)),
        primaryKey(['tenant', 'number'], { name: 'invoice_pk' }),
        unique(['tenant', 'account_id'], { name: 'uq_invoice_tenant_account' }),
        foreignKey(['account_id'], 'account', ['id'], { name: 'fk_invoice_account', onDelete: 'SET NULL' }),
        check(sql`total >= 0`),
        check(sql`number > 0`, { name: 'positive_number' }),
      ]),
    ],
  },
  {
    name: 'create-table-defaults',
    title: 'createTable: CURRENT_TIMESTAMP and literals as written, other SQL defaults in parentheses, booleans 1/0, computed columns, a collation, comments kept in the CREATE TABLE text',
    ops: [
      op.createTable(
        'note',
        [
          column('id', t.bigInteger(), { primaryKey: true }),
          column('created_at', t.dateTime(), { nullable: false, serverDefault: sql`CURRENT_TIMESTAMP` }),
          column('day', t.date(), { serverDefault: sql`date('now')` }),
          column('flag', t.boolean(), { nullable: false, serverDefault: true }),
          column('ratio', t.float(), { serverDefault: -1.5 }),
          column('title', t.string(80), { serverDefault: "it's", collation: 'NOCASE', comment: "The note's title" }),
          column('title_length', t.integer(), { computed: { expression: sql`length(title)` } }),
          column('title_upper', t.text(), { computed: { expression: sql`upper(title)`, stored: true } }),
        ],
        { comment: 'Notes, one per row' },
      ),
      op.createTable('pair', [column('a', t.bigInteger(), { primaryKey: true, autoincrement: false }), column('b', t.integer())], { ifNotExists: true }),
    ],
  },
  {
    name: 'create-table-quoting',
    title: 'createTable: reserved words, mixed case, quotes and a leading digit are quoted; user and plain names are not',
    ops: [
      op.createTable('Order', [
        column('select', t.integer(), { primaryKey: true }),
        column('Name', t.text()),
        column('has"quote', t.text()),
        column('1st', t.text()),
        column('user', t.text()),
      ]),
    ],
  },
  {
    name: 'drop-and-rename-table',
    title: 'dropTable (IF EXISTS), renameTable',
    setup: [account, invoice],
    ops: [op.renameTable('invoice', 'bill'), op.dropTable('bill'), op.dropTable('gone', { ifExists: true })],
  },
  {
    name: 'add-column',
    title: 'addColumn: ALTER TABLE ADD COLUMN where SQLite allows it (nullable, constant default, NOT NULL with a default, enum with its CHECK, virtual computed)',
    setup: [account],
    ops: [
      op.addColumn('account', column('nickname', t.string(30))),
      op.addColumn('account', column('active', t.boolean(), { nullable: false, serverDefault: false })),
      op.addColumn('account', column('mood', t.enum(['ok', 'meh'], { name: 'mood' }), { serverDefault: 'ok' })),
      op.addColumn('account', column('email_length', t.integer(), { computed: { expression: sql`length(email)` } })),
    ],
  },
  {
    name: 'add-column-rebuild',
    title: 'addColumn: a unique column, a CURRENT_TIMESTAMP default and a foreign key need a rebuild; consecutive ops on one table share it',
    setup: [account, invoice],
    ops: [
      op.addColumn('account', column('code', t.string(10), { unique: true })),
      op.addColumn('account', column('joined_at', t.dateTime(), { nullable: false, serverDefault: sql`CURRENT_TIMESTAMP` })),
      op.addColumn('invoice', column('payer_id', t.integer(), { references: { table: 'account', column: 'id', onDelete: 'SET NULL' } })),
    ],
  },
  {
    name: 'drop-column',
    title: 'dropColumn: ALTER TABLE DROP COLUMN when nothing uses the column (an enum column takes its own CHECK along); a rebuild when an index or constraint does',
    setup: [
      account,
      op.addColumn('account', column('mood', t.enum(['ok', 'meh'], { name: 'mood' }))),
      op.createIndex('ix_account_name', 'account', ['name']),
      op.createIndex('ix_account_score', 'account', ['score']),
    ],
    ops: [op.dropColumn('account', 'email'), op.dropColumn('account', 'mood'), op.dropColumn('account', 'name')],
  },
  {
    name: 'alter-column',
    title: 'alterColumn: a rename alone is RENAME COLUMN; type, nullability and default changes are one rebuild, the type with CAST',
    setup: [account, invoice, op.createIndex('ix_account_name', 'account', ['name'])],
    ops: [
      op.alterColumn('account', 'name', { newName: 'full_name' }),
      op.alterColumn('account', 'score', { type: t.bigInteger(), serverDefault: 10 }),
      op.alterColumn('account', 'full_name', { nullable: false, newName: 'display_name', type: t.string(80) }),
      op.alterColumn('account', 'email', { serverDefault: null, comment: 'Login e-mail' }),
    ],
  },
  {
    name: 'indexes',
    title: 'createIndex (unique, partial, on an expression, IF NOT EXISTS) and dropIndex (IF EXISTS)',
    setup: [account],
    ops: [
      op.createIndex('ix_account_email', 'account', ['email'], { unique: true }),
      op.createIndex('ix_account_active_name', 'account', ['name'], { where: sql`score > 0` }),
      op.createIndex('ix_account_lower_email', 'account', [sql`lower(email)`, 'name'], { ifNotExists: true }),
      op.dropIndex('ix_account_email'),
      op.dropIndex('ix_gone', { ifExists: true }),
    ],
  },
  {
    name: 'constraints',
    title: 'create*Constraint, createForeignKey and dropConstraint: one rebuild per table, with the foreign-key check of the tables that reference it',
    setup: [account, invoice],
    ops: [
      op.createUniqueConstraint('uq_account_email', 'account', ['email']),
      op.createCheckConstraint('ck_account_score', 'account', sql`score >= 0`),
      op.createForeignKey('fk_invoice_account_again', 'invoice', 'account', ['account_id'], ['id'], { onDelete: 'CASCADE' }),
      op.dropConstraint('invoice_account_id_fkey', 'invoice', { type: 'foreignkey' }),
      op.dropConstraint('uq_account_email', 'account'),
    ],
  },
  {
    name: 'primary-key',
    title: 'createPrimaryKey on a table without one: a rebuild that makes the key columns NOT NULL',
    setup: [op.createTable('tag', [column('slug', t.string(40)), column('label', t.text())])],
    ops: [op.createPrimaryKey('pk_tag', 'tag', ['slug'])],
  },
  {
    name: 'table-comments',
    title: 'createTableComment / dropTableComment: SQLite keeps comments only in the CREATE TABLE text, so they rebuild',
    setup: [account],
    ops: [op.createTableComment('account', "Everyone's account"), op.renameTable('account', 'member'), op.dropTableComment('member')],
  },
  {
    name: 'execute-and-bulk-insert',
    title: 'execute (the sqlite text, else default) and bulkInsert (quotes doubled, backslash as is, booleans 1/0, NULL)',
    setup: [account],
    ops: [
      op.execute({ postgresql: 'SELECT now()', sqlite: "UPDATE account SET name = 'x' WHERE name IS NULL;" }),
      op.execute({ default: 'DELETE FROM account WHERE score < 0' }),
      op.bulkInsert('account', [
        { id: 1, email: "o'brien@example.com", name: 'Seán O\'Brien', score: 3 },
        { id: 2, email: 'zoe@example.com', name: 'C:\\dir 日本', score: null },
      ]),
    ],
  },
  {
    name: 'naming-convention',
    title: 'a naming convention names unnamed constraints and indexes, which then appear in the DDL',
    namingConvention: { uq: 'uq_%(table_name)s_%(column_0_name)s', fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s', ix: 'ix_%(column_0_label)s' },
    setup: [account],
    ops: [
      op.createTable('invoice', [
        column('id', t.integer(), { primaryKey: true }),
        column('account_id', t.integer(), { references: { table: 'account', column: 'id' } }),
        column('number', t.string(20), { unique: true }),
      ]),
      op.createIndex('ix_invoice_number', 'invoice', ['number']),
    ],
  },
];
