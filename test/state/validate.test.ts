/**
 * Validation of each op against the state it meets: every error kind with its exact message (the
 * file/revision/op prefix is added by the compiler, see test/check/), and what is exempt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, column, foreignKey, op, primaryKey, sql, t, unique } from '../../src/ops/builders.js';
import type { Op } from '../../src/ops/types.js';
import { SchemaState } from '../../src/state/schema.js';
import { validateOp } from '../../src/state/validate.js';

/** A schema: users (id, email unique, email_verified), orders → users, an index, a type, a schema. */
function base(): SchemaState {
  const s = new SchemaState();
  for (const o of [
    op.createSchema('audit'),
    op.createTable('users', [
      column('id', t.integer(), { primaryKey: true }),
      column('email', t.string(255), { nullable: false, unique: true }),
      column('email_verified', t.boolean()),
      column('first_name', t.text()),
      column('last_name', t.text()),
    ]),
    op.createTable('orders', [column('id', t.integer(), { primaryKey: true }), column('user_id', t.integer(), { references: { table: 'users', column: 'id' } }), column('note', t.text())]),
    op.createIndex('ix_users_name', 'users', ['first_name', 'last_name']),
    op.createUniqueConstraint('uq_users_names', 'users', ['first_name', 'email_verified']),
    op.createEnum('mood', ['ok', 'bad']),
    op.addColumn('orders', column('mood', t.enum(['ok', 'bad'], { name: 'mood' }))),
    op.createTable('runs', [column('id', t.integer(), { primaryKey: true })], { schema: 'audit' }),
  ]) {
    assert.deepEqual(validateOp(s, o), [], `set-up op ${o.kind}`);
    s.apply(o);
  }
  return s;
}

function issues(o: Op, s = base()): string[] {
  return validateOp(s, o).map((i) => `${i.kind}: ${i.message}`);
}

test('unknown and duplicate tables, with the nearest name', () => {
  assert.deepEqual(issues(op.addColumn('usres', column('a', t.text()))), ['unknown-table: table "usres" does not exist — did you mean "users"?']);
  assert.deepEqual(issues(op.dropTable('invoices')), ['unknown-table: table "invoices" does not exist']);
  assert.deepEqual(issues(op.createIndex('ix', 'runs', ['id'])), ['unknown-table: table "runs" does not exist — did you mean "audit.runs"?']);
  assert.deepEqual(issues(op.createTable('users', [column('id', t.integer())])), ['duplicate-table: table "users" already exists']);
  assert.deepEqual(issues(op.renameTable('orders', 'users')), ['duplicate-table: table "users" already exists']);
  assert.deepEqual(issues(op.createTable('ix_users_name', [column('id', t.integer())])), ['name-taken: cannot create table "ix_users_name": the name is taken by index "ix_users_name" in schema "public"']);
  assert.deepEqual(issues(op.createTable('users_id_seq', [column('id', t.integer())])), ['name-taken: cannot create table "users_id_seq": the name is taken by sequence "users_id_seq" in schema "public"']);
  assert.deepEqual(issues(op.createTableComment('user', 'x')), ['unknown-table: table "user" does not exist — did you mean "users"?']);
});

test('unknown and duplicate columns', () => {
  assert.deepEqual(issues(op.alterColumn('users', 'email_verifed', { nullable: false })), ['unknown-column: column "email_verifed" of table "users" does not exist — did you mean "email_verified"?']);
  assert.deepEqual(issues(op.dropColumn('users', 'nope')), ['unknown-column: column "nope" of table "users" does not exist']);
  assert.deepEqual(issues(op.addColumn('users', column('email', t.text()))), ['duplicate-column: column "email" of table "users" already exists']);
  assert.deepEqual(issues(op.alterColumn('users', 'first_name', { newName: 'last_name' })), ['duplicate-column: column "last_name" of table "users" already exists']);
  assert.deepEqual(issues(op.createIndex('ix_x', 'users', ['emial', sql`lower(email)`], { include: ['id', 'nick'] })), [
    'unknown-column: column "emial" of table "users" does not exist — did you mean "email"?',
    'unknown-column: column "nick" of table "users" does not exist',
  ]);
  assert.deepEqual(issues(op.bulkInsert('users', [{ id: 1, mail: 'a' }])), ['unknown-column: column "mail" of table "users" does not exist — did you mean "email"?']);
  assert.deepEqual(issues(op.createUniqueConstraint('uq_x', 'users', ['emali'])), ['unknown-column: column "emali" of table "users" does not exist — did you mean "email"?']);
});

test('indexes and constraints: unknown, duplicate, wrong kind', () => {
  assert.deepEqual(issues(op.dropIndex('ix_users_nam')), ['unknown-index: index "ix_users_nam" does not exist — did you mean "ix_users_name"?']);
  assert.deepEqual(issues(op.createIndex('ix_users_name', 'orders', ['note'])), ['duplicate-index: index "ix_users_name" already exists']);
  assert.deepEqual(issues(op.createIndex('users', 'orders', ['note'])), ['name-taken: cannot create index "users": the name is taken by table "users" in schema "public"']);
  assert.deepEqual(issues(op.dropIndex('users_pkey')), ['wrong-kind: index "users_pkey" belongs to constraint "users_pkey" of table "users" — drop the constraint with op.dropConstraint instead']);
  assert.deepEqual(issues(op.dropConstraint('uq_users_name', 'users')), ['unknown-constraint: constraint "uq_users_name" of table "users" does not exist — did you mean "uq_users_names"?']);
  assert.deepEqual(issues(op.dropConstraint('uq_users_names', 'users', { type: 'foreignkey' })), [
    "wrong-kind: constraint \"uq_users_names\" of table \"users\" is a unique constraint, not type 'foreignkey'",
  ]);
  assert.deepEqual(issues(op.createCheckConstraint('users_email_key', 'users', sql`id > 0`)), ['duplicate-constraint: constraint "users_email_key" of table "users" already exists']);
  assert.deepEqual(issues(op.createUniqueConstraint('orders_pkey', 'users', ['id'])), ['duplicate-constraint: constraint "orders_pkey" already exists']);
  assert.deepEqual(issues(op.createPrimaryKey('pk2', 'users', ['email'])), ['duplicate-primary-key: table "users" already has a primary key, "users_pkey"']);
  assert.deepEqual(issues(op.addColumn('users', column('id2', t.integer(), { primaryKey: true }))), ['duplicate-primary-key: table "users" already has a primary key, "users_pkey"']);
  // Checks and foreign keys may share a name across tables (PostgreSQL names them per table).
  assert.deepEqual(issues(op.createCheckConstraint('orders_user_id_fkey', 'users', sql`id > 0`)), []);
});

test('foreign keys: missing table or column, and no key on exactly the referenced columns', () => {
  assert.deepEqual(issues(op.createForeignKey('fk_x', 'orders', 'user', ['user_id'], ['id'])), ['unknown-table: foreign key "fk_x" references table "user", which does not exist — did you mean "users"?']);
  assert.deepEqual(issues(op.createForeignKey('fk_x', 'orders', 'users', ['user_id'], ['idd'])), [
    'unknown-column: foreign key "fk_x" references column "idd" of table "users", which does not exist — did you mean "id"?',
  ]);
  assert.deepEqual(issues(op.createForeignKey('fk_x', 'orders', 'users', ['note'], ['first_name'])), [
    'invalid-reference: foreign key "fk_x" references "users" (first_name), which has no primary key or unique constraint on exactly those columns — PostgreSQL requires one',
  ]);
  assert.deepEqual(issues(op.createForeignKey('fk_x', 'orders', 'users', ['note'], ['email'])), []);
  assert.deepEqual(issues(op.createForeignKey('fk_x', 'orders', 'runs', ['user_id'], ['id'], { referentSchema: 'audit' })), []);
  assert.deepEqual(
    issues(op.createTable('items', [column('id', t.integer(), { primaryKey: true }), column('parent_id', t.integer(), { references: { table: 'items', column: 'id' } }), column('u', t.integer()), foreignKey(['u'], 'users', ['last_name'], { name: 'fk_u' })])),
    ['invalid-reference: foreign key "fk_u" references "users" (last_name), which has no primary key or unique constraint on exactly those columns — PostgreSQL requires one'],
  );
  assert.deepEqual(issues(op.createTable('items', [column('id', t.integer()), column('user_id', t.integer()), foreignKey(['user_id'], 'user', ['id'])])), [
    'unknown-table: foreign key "items_user_id_fkey" references table "user", which does not exist — did you mean "users"?',
  ]);
  assert.deepEqual(issues(op.addColumn('orders', column('owner', t.integer(), { references: { table: 'owners', column: 'id' } }))), [
    'unknown-table: foreign key "orders_owner_fkey" references table "owners", which does not exist — did you mean "orders"?',
  ]);
  assert.deepEqual(issues(op.createTable('t', [column('a', t.integer(), { unique: true }), column('b', t.integer()), foreignKey(['b'], 't', ['a'], { name: 'fk_self' })])), []);
});

test('drops that PostgreSQL refuses or that would take more than the op says', () => {
  assert.deepEqual(issues(op.dropColumn('users', 'first_name')), [
    'still-used: DROP COLUMN "first_name" of table "users" would also drop index "ix_users_name", constraint "uq_users_names"; drop them first',
  ]);
  assert.deepEqual(issues(op.dropColumn('users', 'id')), ['still-used: DROP COLUMN "id" of table "users" would also drop constraint "orders_user_id_fkey" of table "orders"; drop it first']);
  // An index or constraint on the column alone goes with it, as in PostgreSQL.
  assert.deepEqual(issues(op.dropColumn('users', 'email')), []);
  assert.deepEqual(issues(op.dropTable('users')), ['still-used: DROP TABLE "users" would also drop constraint "orders_user_id_fkey" of table "orders"; drop it first']);
  assert.deepEqual(issues(op.dropConstraint('users_pkey', 'users')), ['still-used: DROP CONSTRAINT "users_pkey" of table "users" would also drop constraint "orders_user_id_fkey" of table "orders"; drop it first']);
  assert.deepEqual(issues(op.dropEnum('mood')), ['still-used: DROP TYPE "mood" would also drop column "mood" of table "orders"; drop it first']);
  assert.deepEqual(issues(op.dropSchema('audit')), ['still-used: DROP SCHEMA "audit" would also drop table "audit.runs"; drop it first, or use cascade: true']);
  assert.deepEqual(issues(op.dropSchema('audit', { cascade: true })), []);
  assert.deepEqual(issues(op.alterColumn('users', 'id', { nullable: true })), ['still-used: column "id" of table "users" is in primary key "users_pkey", so it cannot be made nullable']);
  const s = base();
  s.apply(op.addColumn('users', column('full_name', t.text(), { computed: { expression: sql`first_name || ' ' || last_name` } })));
  assert.deepEqual(issues(op.dropColumn('users', 'last_name'), s), [
    'still-used: DROP COLUMN "last_name" of table "users" would also drop index "ix_users_name", generated column "full_name"; drop them first',
  ]);
});

test('schemas and enum types', () => {
  assert.deepEqual(issues(op.createTable('t', [column('id', t.integer())], { schema: 'audti' })), ['unknown-schema: schema "audti" does not exist — did you mean "audit"?']);
  assert.deepEqual(issues(op.createSchema('audit')), ['duplicate-schema: schema "audit" already exists']);
  assert.deepEqual(issues(op.dropSchema('nope')), ['unknown-schema: schema "nope" does not exist']);
  assert.deepEqual(issues(op.createEnum('mood', ['x'])), ['duplicate-type: type "mood" already exists']);
  assert.deepEqual(issues(op.dropEnum('moods')), ['unknown-type: type "moods" does not exist — did you mean "mood"?']);
  assert.deepEqual(issues(op.createEnum('mood', ['x'], { schema: 'audit' })), []);
});

test('ifExists / ifNotExists are exempt from the check they name, not from the others', () => {
  assert.deepEqual(issues(op.createTable('users', [column('id', t.integer())], { ifNotExists: true })), []);
  assert.deepEqual(issues(op.dropTable('nope', { ifExists: true })), []);
  assert.deepEqual(issues(op.addColumn('users', column('email', t.text()), { ifNotExists: true })), []);
  assert.deepEqual(issues(op.dropColumn('users', 'nope', { ifExists: true })), []);
  assert.deepEqual(issues(op.dropColumn('nope', 'x', { ifExists: true })), ['unknown-table: table "nope" does not exist']);
  assert.deepEqual(issues(op.createIndex('ix_users_name', 'users', ['email'], { ifNotExists: true })), []);
  assert.deepEqual(issues(op.dropIndex('nope', { ifExists: true })), []);
  assert.deepEqual(issues(op.createSchema('audit', { ifNotExists: true })), []);
  assert.deepEqual(issues(op.dropSchema('nope', { ifExists: true })), []);
});

test('after raw SQL the model cannot follow, nothing is checked', () => {
  const s = base();
  s.apply(op.execute('ALTER TABLE users RENAME TO people'));
  assert.ok(s.stale);
  assert.deepEqual(issues(op.addColumn('people', column('a', t.text())), s), []);
  assert.deepEqual(issues(op.createTable('users', [column('id', t.integer())]), s), []);
  const exact = base();
  exact.apply(op.execute('ALTER TABLE users RENAME TO people', { effects: [op.renameTable('users', 'people')] }));
  assert.deepEqual(issues(op.addColumn('users', column('a', t.text())), exact), ['unknown-table: table "users" does not exist']);
});

test('valid ops give no issue', () => {
  for (const o of [
    op.createTable('items', [column('id', t.integer(), { primaryKey: true }), column('u', t.integer()), primaryKey(['id'], { name: 'pk_items' }), unique(['u']), check(sql`u > 0`), foreignKey(['u'], 'users', ['id'])]),
    op.addColumn('users', column('nick', t.text())),
    op.dropColumn('orders', 'note'),
    op.alterColumn('users', 'email', { type: t.text(), newName: 'mail' }),
    op.renameTable('users', 'people'),
    op.createIndex('ix_orders_note', 'orders', ['note'], { where: sql`note IS NOT NULL` }),
    op.dropIndex('ix_users_name'),
    op.dropConstraint('uq_users_names', 'users', { type: 'unique' }),
    op.dropConstraint('orders_user_id_fkey', 'orders'),
    op.createTableComment('users', 'x'),
    op.dropTableComment('users'),
    op.dropTable('orders'),
    op.dropTable('runs', { schema: 'audit' }),
    op.bulkInsert('users', [{ id: 1, email: 'a' }]),
    op.execute('UPDATE users SET email = lower(email)'),
  ]) {
    assert.deepEqual(issues(o), [], o.kind);
  }
});
