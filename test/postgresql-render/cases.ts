/**
 * The golden cases of the PostgreSQL dialect: every op and every type, with each file's expected SQL in
 * `test/fixtures/postgresql/<name>.sql`. `setup` prepares an empty database so that the golden SQL can be
 * applied to a real PostgreSQL 15 (`accept.test.ts`).
 */
import { check, column, foreignKey, op, primaryKey, sql, t, unique } from '../../src/ops/builders.js';
import type { GoldenCase } from './support.js';

const mood = t.enum(['happy', 'sad', "it's complicated"], { name: 'mood' });

const refTables = `
CREATE TABLE account (id INTEGER PRIMARY KEY, code INTEGER UNIQUE, region INTEGER, UNIQUE (code, region));
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Customer" (id INTEGER PRIMARY KEY);
`;

export const CASES: readonly GoldenCase[] = [
  {
    name: 'create-table-basic',
    title: 'createTable: SERIAL primary key, NOT NULL, a reserved column name with a string default',
    ops: [
      op.createTable('account', [
        column('id', t.integer(), { primaryKey: true }),
        column('name', t.string(50), { nullable: false }),
        column('user', t.string(200), { serverDefault: 'x' }),
      ]),
    ],
  },
  {
    name: 'create-table-types',
    title: 'createTable: every generic type',
    setup: "CREATE TYPE mood AS ENUM ('happy', 'sad', 'it''s complicated');",
    existingEnums: ['mood'],
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
        column('c_time_tz', t.time({ timezone: true })),
        column('c_interval', t.interval()),
        column('c_numeric', t.numeric()),
        column('c_numeric_10', t.numeric(10)),
        column('c_numeric_10_2', t.numeric(10, 2)),
        column('c_float', t.float()),
        column('c_float_24', t.float(24)),
        column('c_double', t.double()),
        column('c_uuid', t.uuid()),
        column('c_json', t.json()),
        column('c_jsonb', t.jsonb()),
        column('c_binary', t.binary()),
        column('c_binary_16', t.binary(16)),
        column('c_enum', mood),
        column('c_array', t.array(t.integer())),
        column('c_array_string', t.array(t.string(20))),
        column('c_array_2d', t.array(t.array(t.text()))),
        column('c_array_enum', t.array(mood)),
        column('c_custom', t.custom({ postgresql: 'INET', sqlite: 'TEXT', default: 'VARCHAR(45)' })),
        column('c_custom_default', t.custom({ default: 'MONEY' })),
      ]),
    ],
  },
  {
    name: 'create-table-quoting',
    title: 'createTable: reserved words, mixed case, quotes, leading digit and $ are quoted; plain names are not',
    setup: 'CREATE SCHEMA "Sales";',
    ops: [
      op.createTable(
        'order',
        [
          column('select', t.integer(), { primaryKey: true }),
          column('User', t.text()),
          column('has"quote', t.text()),
          column('1st', t.text()),
          column('$price', t.numeric(10, 2)),
          column('with space', t.text()),
          column('plain_name$1', t.text()),
          column('from', t.text(), { comment: "the 'from' field" }),
        ],
        { schema: 'Sales', comment: "Orders, O'Brien's" },
      ),
    ],
  },
  {
    name: 'create-table-defaults',
    title: 'createTable: server defaults as literals (quotes doubled, backslashes in escape strings) and as raw SQL',
    ops: [
      op.createTable('defaults', [
        column('id', t.integer(), { primaryKey: true }),
        column('s', t.string(50), { serverDefault: "O'Brien" }),
        column('backslash', t.text(), { serverDefault: 'C:\\temp\\new' }),
        column('empty', t.text(), { serverDefault: '' }),
        column('zero', t.integer(), { serverDefault: 0 }),
        column('negative', t.integer(), { serverDefault: -1 }),
        column('fraction', t.numeric(5, 2), { serverDefault: 1.5 }),
        column('yes', t.boolean(), { serverDefault: true, nullable: false }),
        column('no', t.boolean(), { serverDefault: false }),
        column('created_at', t.dateTime({ timezone: true }), { serverDefault: sql`now()`, nullable: false }),
        column('expr', t.integer(), { serverDefault: sql`  (1 + 2)  ` }),
      ]),
    ],
  },
  {
    name: 'create-table-constraints',
    title: 'createTable: primary key first, then table constraints as given, then column unique and references',
    setup: refTables,
    ops: [
      op.createTable('invoice', [
        column('tenant', t.integer()),
        column('number', t.integer()),
        column('code', t.integer(), { unique: true }),
        column('region', t.integer()),
        column('customer_id', t.integer(), {
          references: { table: 'Customer', schema: 'Sales', column: 'id', onDelete: 'CASCADE', onUpdate: 'NO ACTION', deferrable: true, initially: 'DEFERRED' },
        }),
        column('account_id', t.integer(), { nullable: false, unique: true, references: { table: 'account', column: 'id', name: 'invoice_account_fk' } }),
        column('total', t.numeric(12, 2)),
        primaryKey(['tenant', 'number'], { name: 'invoice_pk' }),
        unique(['code', 'region'], { name: 'uq_code_region', deferrable: true, initially: 'IMMEDIATE' }),
        unique(['number']),
        foreignKey(['code', 'region'], 'account', ['code', 'region'], { onDelete: 'SET NULL', onUpdate: 'CASCADE' }),
        foreignKey(['account_id'], 'account', ['id'], { name: 'invoice_account_fk2', deferrable: false }),
        check(sql`total >= 0`),
        check(sql`number > 0`, { name: 'positive_number' }),
      ]),
    ],
  },
  {
    name: 'create-table-comments',
    title: 'createTable: the table comment, then column comments, as COMMENT ON statements (quotes doubled)',
    setup: 'CREATE SCHEMA crm;',
    ops: [
      op.createTable(
        'contact',
        [
          column('id', t.bigInteger(), { primaryKey: true, comment: 'Surrogate key' }),
          column('name', t.text(), { comment: "Contact's full name; it's \"quoted\"" }),
          column('note', t.text(), { comment: 'multi\nline' }),
          column('plain', t.text()),
        ],
        { schema: 'crm', comment: "People we talk to (O'Brien included)" },
      ),
    ],
  },
  {
    name: 'create-table-enum',
    title: 'createTable: CREATE TYPE before the table, once per type; arrays of enums; no CREATE TYPE for an existing enum',
    setup: 'CREATE SCHEMA "Sales"; CREATE TYPE existing_kind AS ENUM (\'a\', \'b\');',
    existingEnums: ['existing_kind'],
    ops: [
      op.createTable('person', [
        column('id', t.integer(), { primaryKey: true }),
        column('current_mood', mood, { nullable: false, serverDefault: 'happy' }),
        column('previous_mood', mood),
        column('moods', t.array(mood)),
        column('status', t.enum(['New', 'Done'], { name: 'Status', schema: 'Sales' })),
        column('kind', t.enum(['a', 'b'], { name: 'existing_kind' })),
        column('order', t.enum(['asc', 'desc'], { name: 'order' })),
      ]),
      op.addColumn('person', column('second_status', t.enum(['New', 'Done'], { name: 'Status', schema: 'Sales' }))),
    ],
  },
  {
    name: 'create-table-identity',
    title: 'createTable: identity columns (INCREMENT BY before START WITH, as SQLAlchemy) are NOT NULL without saying so',
    ops: [
      op.createTable('ticket', [
        column('id', t.bigInteger(), { primaryKey: true, identity: { always: true, start: 1000, increment: 5 } }),
        column('seq', t.integer(), { identity: {} }),
      ]),
      op.createTable('ticket_start', [column('id', t.integer(), { primaryKey: true, identity: { start: 10 } }), column('n', t.smallInteger(), { identity: { increment: -1, always: false } })]),
    ],
  },
  {
    name: 'create-table-computed',
    title: 'createTable: generated columns, always STORED',
    ops: [
      op.createTable('box', [
        column('id', t.integer(), { primaryKey: true }),
        column('width', t.numeric(10, 2), { nullable: false }),
        column('height', t.numeric(10, 2), { nullable: false }),
        column('area', t.numeric(20, 4), { computed: { expression: sql`width * height` } }),
        column('label', t.text(), { computed: { expression: sql`'w=' || width::text`, stored: true }, nullable: false }),
      ]),
    ],
  },
  {
    name: 'create-table-collation',
    title: 'createTable: COLLATE "name" right after the type',
    ops: [
      op.createTable('names', [
        column('id', t.integer(), { primaryKey: true }),
        column('code', t.string(10), { collation: 'C', nullable: false }),
        column('title', t.text(), { collation: 'POSIX', serverDefault: 'untitled' }),
        column('tags', t.array(t.text()), { collation: 'C' }),
        column('ci', t.custom({ postgresql: 'VARCHAR(20)', default: 'VARCHAR(20)' }), { collation: 'ucs_basic' }),
      ]),
    ],
  },
  {
    name: 'create-table-no-columns',
    title: 'createTable with no items (only derived downgrades make one: a table whose columns were all dropped)',
    ops: [{ kind: 'createTable', table: 'emptied', items: [] }],
  },
  {
    name: 'named-sequences',
    title: 'a SERIAL or identity column with a sequenceName (only derived downgrades give one: a sequence named before its table was renamed)',
    setup: 'CREATE SCHEMA s; CREATE TABLE t (a INTEGER);',
    ops: [
      { kind: 'createTable', table: 'order', schema: 's', items: [{ kind: 'column', name: 'id', type: { kind: 'integer' }, nullable: false, sequenceName: 'Users_id_seq' }, { kind: 'primaryKey', columns: ['id'], name: 'users_pkey' }] },
      { kind: 'addColumn', table: 't', column: { kind: 'column', name: 'n', type: { kind: 'bigInteger' }, nullable: false, sequenceName: 'old_n_seq' } },
      { kind: 'addColumn', table: 't', column: { kind: 'column', name: 'i', type: { kind: 'integer' }, identity: { start: 5 }, sequenceName: 'old_i_seq' } },
    ],
  },
  {
    name: 'create-table-serial',
    title: 'createTable: SERIAL/BIGSERIAL/SMALLSERIAL as SQLAlchemy picks its autoincrement column',
    setup: 'CREATE TABLE parent (id INTEGER PRIMARY KEY);',
    ops: [
      op.createTable('t_big', [column('id', t.bigInteger(), { primaryKey: true })]),
      op.createTable('t_small', [column('id', t.smallInteger(), { primaryKey: true })]),
      op.createTable('t_no_autoincrement', [column('id', t.integer(), { primaryKey: true, autoincrement: false })]),
      op.createTable('t_server_default', [column('id', t.integer(), { primaryKey: true, serverDefault: 7 })]),
      op.createTable('t_text_key', [column('id', t.text(), { primaryKey: true })]),
      op.createTable('t_composite', [column('a', t.integer(), { primaryKey: true }), column('b', t.integer(), { primaryKey: true })]),
      op.createTable('t_composite_auto', [
        column('a', t.integer(), { primaryKey: true }),
        column('b', t.bigInteger(), { primaryKey: true, autoincrement: true }),
      ]),
      op.createTable('t_fk_key', [column('id', t.integer(), { primaryKey: true, references: { table: 'parent', column: 'id' } })]),
      op.createTable('t_fk_key_auto', [column('id', t.integer(), { primaryKey: true, autoincrement: true, references: { table: 'parent', column: 'id' } })]),
      op.createTable('t_table_pk', [column('id', t.integer()), column('x', t.text()), primaryKey(['id'])]),
      op.createTable('t_named_pk', [column('id', t.integer(), { primaryKey: true }), primaryKey(['id'], { name: 'my_pk' })]),
    ],
  },
  {
    name: 'create-table-options',
    title: 'createTable: IF NOT EXISTS and a schema',
    setup: 'CREATE SCHEMA audit;',
    ops: [op.createTable('log', [column('id', t.integer(), { primaryKey: true }), column('message', t.text(), { nullable: false })], { schema: 'audit', ifNotExists: true })],
  },
  {
    name: 'drop-table',
    title: 'dropTable: plain, IF EXISTS, with a schema, quoted',
    setup: 'CREATE SCHEMA "Sales"; CREATE TABLE a (id INTEGER); CREATE TABLE "Sales"."Order" (id INTEGER);',
    ops: [op.dropTable('a'), op.dropTable('missing', { ifExists: true }), op.dropTable('Order', { schema: 'Sales' })],
  },
  {
    name: 'rename-table',
    title: 'renameTable: the new name takes no schema',
    setup: 'CREATE SCHEMA "Sales"; CREATE TABLE a (id INTEGER); CREATE TABLE "Sales".old_name (id INTEGER);',
    ops: [op.renameTable('a', 'user'), op.renameTable('old_name', 'NewName', { schema: 'Sales' })],
  },
  {
    name: 'add-column',
    title: 'addColumn: the column, then its primary key, unique, foreign key and comment as separate statements',
    setup: `${refTables}CREATE TABLE t (x INTEGER); CREATE TABLE u (x INTEGER); CREATE SCHEMA s; CREATE TABLE s.t (x INTEGER);`,
    ops: [
      op.addColumn('t', column('plain', t.integer())),
      op.addColumn('t', column('flag', t.boolean(), { nullable: false, serverDefault: false })),
      op.addColumn('t', column('plain', t.integer()), { ifNotExists: true }),
      op.addColumn('t', column('email', t.string(255), { unique: true, comment: "user's e-mail" })),
      op.addColumn('t', column('account_id', t.integer(), { references: { table: 'account', column: 'id', onDelete: 'CASCADE' } })),
      op.addColumn('t', column('customer_id', t.integer(), { unique: true, references: { table: 'Customer', schema: 'Sales', column: 'id', name: 't_customer_fk', initially: 'DEFERRED' } })),
      op.addColumn('t', column('seq', t.integer(), { identity: { always: true } })),
      op.addColumn('t', column('double_x', t.integer(), { computed: { expression: sql`x * 2` } })),
      op.addColumn('t', column('label', t.text(), { collation: 'C' })),
      op.addColumn('u', column('id', t.integer(), { primaryKey: true })),
      op.addColumn('t', column('Order', t.text()), { schema: 's' }),
    ],
  },
  {
    name: 'drop-column',
    title: 'dropColumn: plain, IF EXISTS, schema, quoted',
    setup: 'CREATE SCHEMA s; CREATE TABLE t (a INTEGER, "select" INTEGER); CREATE TABLE s."T" (b INTEGER);',
    ops: [op.dropColumn('t', 'a'), op.dropColumn('t', 'missing', { ifExists: true }), op.dropColumn('t', 'select'), op.dropColumn('T', 'b', { schema: 's' })],
  },
  {
    name: 'alter-column',
    title: "alterColumn: one statement per change, in Alembic's order (type, nullable, default, comment, rename)",
    setup: 'CREATE SCHEMA s; CREATE SEQUENCE seq_s; CREATE TABLE t (c VARCHAR(10), d TEXT, e INTEGER DEFAULT 1, "User" TEXT); CREATE TABLE s.t (c TEXT);',
    ops: [
      op.alterColumn('t', 'c', { type: t.integer(), using: sql`c::integer`, nullable: false, serverDefault: 7, comment: "it's c", newName: 'c2' }),
      op.alterColumn('t', 'd', { type: t.string(100) }),
      op.alterColumn('t', 'd', { serverDefault: "it's" }),
      op.alterColumn('t', 'd', { nullable: false }),
      op.alterColumn('t', 'd', { nullable: true }),
      op.alterColumn('t', 'e', { serverDefault: null }),
      op.alterColumn('t', 'e', { serverDefault: 42 }),
      op.alterColumn('t', 'e', { serverDefault: sql`nextval('seq_s'::regclass) - 1` }),
      op.alterColumn('t', 'e', { comment: "it's e" }),
      op.alterColumn('t', 'e', { comment: null }),
      op.alterColumn('t', 'User', { newName: 'user' }),
      op.alterColumn('t', 'c', { schema: 's', nullable: false, type: t.text() }),
    ],
  },
  {
    name: 'alter-column-collation',
    title: 'alterColumn type with a collation (only derived downgrades set one: a type change back to a collated column)',
    setup: 'CREATE TABLE t (name TEXT);',
    ops: [{ kind: 'alterColumn', table: 't', column: 'name', type: { kind: 'string', length: 50 }, collation: 'C' }],
  },
  {
    name: 'alter-column-enum',
    title: 'alterColumn: a type change to a new enum creates the type first',
    setup: 'CREATE TABLE t (status TEXT, other TEXT);',
    ops: [
      op.alterColumn('t', 'status', { type: t.enum(['open', 'closed'], { name: 'status' }), using: sql`status::status` }),
      op.alterColumn('t', 'other', { type: t.array(t.enum(['open', 'closed'], { name: 'status' })), using: sql`ARRAY[other::status]` }),
    ],
  },
  {
    name: 'create-index',
    title: 'createIndex: unique, expressions in parentheses, partial, INCLUDE, USING, CONCURRENTLY, IF NOT EXISTS, schema',
    setup: 'CREATE SCHEMA "Sales"; CREATE TABLE t (a INTEGER, b TEXT, c INTEGER, "User" TEXT, doc JSONB); CREATE TABLE "Sales"."Order" (id INTEGER, "from" TEXT);',
    ops: [
      op.createIndex('ix_t_a', 't', ['a']),
      op.createIndex('ix_t_a_b', 't', ['a', 'b'], { unique: true }),
      op.createIndex('ix_t_lower_b', 't', [sql`lower(b)`, 'a']),
      op.createIndex('ix_t_sum', 't', [sql`a + c`]),
      op.createIndex('ix_t_partial', 't', ['a'], { where: sql`c > 0 AND b <> 'x'` }),
      op.createIndex('ix_t_include', 't', ['a'], { include: ['b', 'User'], unique: true }),
      op.createIndex('ix_t_doc', 't', ['doc'], { using: 'GIN' }),
      op.createIndex('ix_t_concurrent', 't', ['c'], { concurrently: true }),
      op.createIndex('ix_t_concurrent_unique', 't', ['c', 'a'], { concurrently: true, unique: true, ifNotExists: true }),
      op.createIndex('ix_t_a', 't', ['a'], { ifNotExists: true }),
      op.createIndex('Order_From', 'Order', ['from'], { schema: 'Sales', using: 'btree', where: sql`id > 10` }),
    ],
  },
  {
    name: 'drop-index',
    title: 'dropIndex: plain, CONCURRENTLY (outside the transaction), IF EXISTS, schema',
    setup: 'CREATE SCHEMA "Sales"; CREATE TABLE t (a INTEGER); CREATE INDEX ix_a ON t (a); CREATE INDEX ix_b ON t (a); CREATE TABLE "Sales".o (a INTEGER); CREATE INDEX "Ix" ON "Sales".o (a);',
    ops: [
      op.dropIndex('ix_a', { table: 't' }),
      op.dropIndex('ix_b', { concurrently: true }),
      op.dropIndex('ix_missing', { ifExists: true, concurrently: true }),
      op.dropIndex('Ix', { schema: 'Sales' }),
    ],
  },
  {
    name: 'constraints',
    title: 'createPrimaryKey, createUniqueConstraint, createCheckConstraint, createForeignKey, dropConstraint',
    setup: `CREATE SCHEMA s1; CREATE SCHEMA "S2";
CREATE TABLE t (a INTEGER NOT NULL, b INTEGER, "User" INTEGER);
CREATE TABLE "S2".ref (x INTEGER, y INTEGER, UNIQUE (x, y));
CREATE TABLE s1.src (x INTEGER, y INTEGER);
CREATE TABLE r (id INTEGER PRIMARY KEY);`,
    ops: [
      op.createPrimaryKey('pk_t', 't', ['a']),
      op.createUniqueConstraint('uq_t_b', 't', ['b', 'User']),
      op.createUniqueConstraint('uq_t_b_deferred', 't', ['b'], { deferrable: true, initially: 'DEFERRED' }),
      op.createUniqueConstraint('uq_t_b_not_deferrable', 't', ['b'], { deferrable: false }),
      op.createCheckConstraint('ck_t_a', 't', sql`a > 0`),
      op.createCheckConstraint('ck_t_b', 't', sql`b IS NULL OR b::text <> 'it''s'`, { notValid: true }),
      op.createForeignKey('fk_src_ref', 'src', 'ref', ['x', 'y'], ['x', 'y'], {
        sourceSchema: 's1',
        referentSchema: 'S2',
        onDelete: 'SET NULL',
        onUpdate: 'CASCADE',
        deferrable: true,
        initially: 'DEFERRED',
        notValid: true,
      }),
      op.createForeignKey('fk_t_r', 't', 'r', ['User'], ['id'], { onDelete: 'RESTRICT' }),
      op.dropConstraint('fk_t_r', 't', { type: 'foreignkey' }),
      op.dropConstraint('uq_t_b', 't'),
      op.dropConstraint('fk_src_ref', 'src', { schema: 's1' }),
    ],
  },
  {
    name: 'table-comments',
    title: 'createTableComment / dropTableComment',
    setup: 'CREATE SCHEMA "Sales"; CREATE TABLE t (a INTEGER); CREATE TABLE "Sales"."Order" (a INTEGER);',
    ops: [
      op.createTableComment('t', "O'Brien's table"),
      op.createTableComment('Order', 'Orders', { schema: 'Sales' }),
      op.createTableComment('t', ''),
      op.dropTableComment('t'),
      op.dropTableComment('Order', { schema: 'Sales' }),
    ],
  },
  {
    name: 'schemas',
    title: 'createSchema / dropSchema',
    ops: [
      op.createSchema('reporting'),
      op.createSchema('Reporting', { ifNotExists: true }),
      op.createSchema('reporting', { ifNotExists: true }),
      op.dropSchema('Reporting'),
      op.dropSchema('reporting', { ifExists: true, cascade: true }),
      op.dropSchema('never_there', { ifExists: true }),
    ],
  },
  {
    name: 'enums',
    title: 'createEnum / dropEnum (values escaped, names quoted and schema-qualified)',
    setup: 'CREATE SCHEMA "Sales";',
    ops: [
      op.createEnum('mood', ['happy', 'sad', "it's complicated"]),
      op.createEnum('Status', ['New', 'In Progress'], { schema: 'Sales' }),
      op.dropEnum('Status', { schema: 'Sales' }),
      op.dropEnum('mood'),
    ],
  },
  {
    name: 'execute',
    title: 'execute: the postgresql text, else default, trimmed, one trailing semicolon removed',
    setup: 'CREATE TABLE t (a INTEGER, b TEXT);',
    ops: [
      op.execute("  INSERT INTO t (a, b) VALUES (1, 'x;y');  \n"),
      op.execute(sql`UPDATE t SET a = a + 1`),
      op.execute({ postgresql: 'UPDATE t SET b = 100 || \'%\';', sqlite: 'UPDATE t SET b = 1' }),
      op.execute({ sqlite: 'SELECT 1', default: sql`SELECT 2;` }),
      op.execute('DO $$ BEGIN PERFORM 1; END $$;'),
    ],
  },
  {
    name: 'bulk-insert',
    title: "bulkInsert: one INSERT per row with that row's keys, values as literals",
    setup: 'CREATE SCHEMA "Sales"; CREATE TABLE account (id INTEGER, name TEXT, active BOOLEAN, balance NUMERIC, "user" TEXT); CREATE TABLE "Sales"."Order" (id INTEGER);',
    ops: [
      op.bulkInsert('account', [
        { id: 1, name: "O'Brien", active: true, balance: 10.5 },
        { name: 'back\\slash', id: 2, active: false, balance: -3 },
        { id: 3, name: null, user: 'root' },
      ]),
      op.bulkInsert('Order', [{ id: 1 }], { schema: 'Sales' }),
      op.bulkInsert('account', []),
    ],
  },
  {
    name: 'naming-convention-create-table',
    title: 'naming convention: unnamed constraints of createTable get names; %(constraint_name)s wraps given names',
    namingConvention: {
      ix: 'ix_%(column_0_label)s',
      uq: 'uq_%(table_name)s_%(column_0_N_name)s',
      ck: 'ck_%(table_name)s_%(constraint_name)s',
      fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
      pk: 'pk_%(table_name)s',
    },
    setup: 'CREATE TABLE account (id INTEGER PRIMARY KEY, code INTEGER, region INTEGER, UNIQUE (code, region));',
    ops: [
      op.createTable('invoice', [
        column('id', t.integer(), { primaryKey: true }),
        column('code', t.integer(), { unique: true }),
        column('region', t.integer()),
        column('account_id', t.integer(), { references: { table: 'account', column: 'id' } }),
        column('other_account_id', t.integer(), { references: { table: 'account', column: 'id', name: 'my_fk' } }),
        unique(['code', 'region']),
        unique(['region'], { name: 'kept_name' }),
        foreignKey(['code', 'region'], 'account', ['code', 'region']),
        check(sql`id > 0`, { name: 'positive' }),
      ]),
    ],
  },
  {
    name: 'naming-convention-tokens',
    title: 'naming convention: N-column, label, key, referred-column and literal % tokens',
    namingConvention: {
      uq: 'uq_%(column_0N_name)s_%(column_0_N_label)s_%(column_1_key)s_%(column_2_name)s',
      fk: 'fk_%(column_0N_label)s__%(referred_column_0_N_name)s_%(referred_column_0N_name)s_%(referred_column_1_name)s',
      pk: '%%pk_%(column_0_label)s',
    },
    setup: 'CREATE SCHEMA app; CREATE TABLE app.account (id INTEGER PRIMARY KEY, code INTEGER, region INTEGER, UNIQUE (code, region));',
    ops: [
      op.createTable(
        'line',
        [
          column('id', t.integer(), { primaryKey: true }),
          column('a', t.integer()),
          column('b', t.integer()),
          unique(['a', 'b']),
          foreignKey(['a', 'b'], 'account', ['code', 'region'], { refSchema: 'app' }),
        ],
        { schema: 'app' },
      ),
    ],
  },
  {
    name: 'naming-convention-add-column',
    title: 'naming convention: the constraints of addColumn',
    namingConvention: { uq: 'uq_%(table_name)s_%(column_0_name)s', fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s', pk: 'pk_%(table_name)s' },
    setup: 'CREATE TABLE account (id INTEGER PRIMARY KEY); CREATE TABLE t (x INTEGER); CREATE TABLE u (x INTEGER);',
    ops: [
      op.addColumn('t', column('email', t.text(), { unique: true })),
      op.addColumn('t', column('account_id', t.integer(), { references: { table: 'account', column: 'id' } })),
      op.addColumn('u', column('id', t.bigInteger(), { primaryKey: true })),
    ],
  },
  {
    name: 'naming-convention-explicit-ops',
    title: 'naming convention: names given to ops change only through %(constraint_name)s, as in Alembic',
    namingConvention: {
      ix: 'ix_%(table_name)s_%(constraint_name)s',
      uq: 'uq_%(table_name)s_%(column_0_name)s',
      ck: 'ck_%(table_name)s_%(constraint_name)s',
      fk: 'fk_%(constraint_name)s',
      pk: 'pk_%(table_name)s',
    },
    setup: 'CREATE TABLE r (id INTEGER PRIMARY KEY); CREATE TABLE t (a INTEGER NOT NULL, b INTEGER);',
    ops: [
      op.createCheckConstraint('positive', 't', sql`a > 0`),
      op.createUniqueConstraint('my_unique', 't', ['b']),
      op.createPrimaryKey('my_pk', 't', ['a']),
      op.createForeignKey('to_r', 't', 'r', ['b'], ['id']),
      op.createIndex('by_b', 't', ['b']),
      op.dropIndex('by_b', { table: 't' }),
      op.dropConstraint('positive', 't', { type: 'check' }),
      op.dropConstraint('to_r', 't', { type: 'foreignkey' }),
      op.dropConstraint('my_unique', 't'),
    ],
  },
  {
    name: 'naming-convention-long-names',
    title: 'naming convention: a name over 63 characters is cut as SQLAlchemy does (first 55, _, 4 hex of its MD5)',
    namingConvention: { uq: 'uq_%(table_name)s_%(column_0_N_name)s', ck: 'ck_%(table_name)s_%(constraint_name)s' },
    ops: [
      op.createTable('a_rather_long_table_name_for_testing', [
        column('first_long_column_name', t.integer()),
        column('second_long_column_name', t.integer()),
        unique(['first_long_column_name', 'second_long_column_name']),
        check(sql`first_long_column_name > 0`, { name: 'first_long_column_name_is_positive' }),
      ]),
    ],
  },
];
