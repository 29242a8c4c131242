/**
 * Each rule: what triggers it (with the exact message) and what does not. `users` existed before the
 * migration under test (support.ts); `accounts` is created by the migration itself.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { column, op, sql, t } from '../../src/ops/builders.js';
import type { DefaultValue, Sql, TypeSpec } from '../../src/ops/types.js';
import { brief, lint, rulesOf } from './support.js';

const ACCOUNTS = op.createTable('accounts', [column('id', t.integer(), { primaryKey: true }), column('name', t.string(50))]);

describe('ban-drop-table', () => {
  test('dropping a table that existed before', () => {
    assert.deepEqual(brief(lint([op.dropTable('users')])), [
      [1, 'ban-drop-table', 'dropping table users deletes it with all its rows, and running code that still uses it fails; deploy code that no longer uses users first, keep a backup, then drop it in a later migration'],
    ]);
  });
  test('a table the schema state does not know is taken to exist', () => {
    assert.deepEqual(rulesOf(lint([op.dropTable('legacy', { schema: 'old' })])), [[1, 'ban-drop-table']]);
    assert.match(lint([op.dropTable('legacy', { schema: 'old' })])[0]!.message, /^dropping table old\.legacy deletes/);
  });
  test('not for a table created by the same migration, nor after a rename of one', () => {
    assert.deepEqual(lint([ACCOUNTS, op.dropTable('accounts')]), []);
    assert.deepEqual(lint([ACCOUNTS, op.renameTable('accounts', 'acc'), op.dropTable('acc')]), []);
  });
  test('a table dropped and created again in the migration is new', () => {
    assert.deepEqual(rulesOf(lint([op.dropTable('users'), op.createTable('users', [column('id', t.integer())]), op.dropTable('users')])), [[1, 'ban-drop-table']]);
  });
});

describe('ban-drop-column', () => {
  test('dropping a column that existed before', () => {
    assert.deepEqual(brief(lint([op.dropColumn('users', 'bio')])), [
      [1, 'ban-drop-column', 'dropping column users.bio deletes its data, and running code that still reads or writes it fails; deploy code that no longer uses bio first, then drop it in a later migration'],
    ]);
  });
  test('not for a column the migration added, nor on a table it created', () => {
    assert.deepEqual(lint([op.addColumn('users', column('tmp', t.text())), op.dropColumn('users', 'tmp')]), []);
    assert.deepEqual(lint([ACCOUNTS, op.dropColumn('accounts', 'name')]), []);
  });
  test('a renamed column that existed before is still an existing column', () => {
    assert.deepEqual(rulesOf(lint([op.alterColumn('users', 'bio', { newName: 'about' }), op.dropColumn('users', 'about')])), [
      [1, 'renaming-column'],
      [2, 'ban-drop-column'],
    ]);
  });
});

describe('renaming-table', () => {
  test('renaming a table that existed before', () => {
    assert.deepEqual(brief(lint([op.renameTable('users', 'people')])), [
      [1, 'renaming-table', 'renaming table users to people breaks running code that still uses the old name while old and new app versions run side by side; keep the old name, or rename and create a view users over people until no code uses the old name'],
    ]);
  });
  test('schema-qualified names', () => {
    assert.match(lint([op.renameTable('users', 'people', { schema: 'app' })])[0]!.message, /^renaming table app\.users to people .* create a view app\.users over app\.people until/);
  });
  test('not for a table the migration created', () => {
    assert.deepEqual(lint([ACCOUNTS, op.renameTable('accounts', 'acc')]), []);
  });
});

describe('renaming-column', () => {
  test('renaming a column that existed before', () => {
    assert.deepEqual(brief(lint([op.alterColumn('users', 'email', { newName: 'mail' })])), [
      [1, 'renaming-column', 'renaming column users.email to mail breaks running code that still uses the old name while old and new app versions run side by side; add mail as a new column, write both and backfill, move the code over, then drop email in a later migration'],
    ]);
  });
  test('not for a column the migration added, nor on a table it created', () => {
    assert.deepEqual(lint([op.addColumn('users', column('tmp', t.text())), op.alterColumn('users', 'tmp', { newName: 'tmp2' })]), []);
    assert.deepEqual(lint([ACCOUNTS, op.alterColumn('accounts', 'name', { newName: 'title' })]), []);
  });
});

describe('narrowing-column-type (sqlscribe)', () => {
  const narrow = (col: string, type: TypeSpec) =>
    lint([op.alterColumn('users', col, { type })]).filter((f) => f.rule === 'narrowing-column-type').map((f) => f.message);

  test('VARCHAR(n) to a smaller n', () => {
    assert.deepEqual(narrow('email', t.string(20)), [
      'changing users.email from VARCHAR(50) to VARCHAR(20) narrows the type: existing values longer than 20 characters make the ALTER fail; check the production data against the new type first, or keep the wider type',
    ]);
  });
  test('TEXT to VARCHAR(n)', () => {
    assert.deepEqual(narrow('bio', t.string(200)), [
      'changing users.bio from TEXT to VARCHAR(200) narrows the type: existing values longer than 200 characters make the ALTER fail; check the production data against the new type first, or keep the wider type',
    ]);
  });
  test('NUMERIC precision down, scale down', () => {
    assert.deepEqual(narrow('amount', t.numeric(8, 2)), [
      'changing users.amount from NUMERIC(10, 2) to NUMERIC(8, 2) narrows the type: existing values with more than 6 digits before the decimal point make the ALTER fail; check the production data against the new type first, or keep the wider type',
    ]);
    assert.deepEqual(narrow('amount', t.numeric(10, 1)), [
      'changing users.amount from NUMERIC(10, 2) to NUMERIC(10, 1) narrows the type: existing values are silently rounded to 1 decimal place; check the production data against the new type first, or keep the wider type',
    ]);
  });
  test('BIGINT to INTEGER', () => {
    const existing = [op.createTable('users', [column('id', t.bigInteger(), { primaryKey: true })])];
    assert.deepEqual(
      lint([op.alterColumn('users', 'id', { type: t.integer() })], { existing }).map((f) => [f.rule, f.message]),
      [
        ['narrowing-column-type', 'changing users.id from BIGINT to INTEGER narrows the type: existing values outside the range of INTEGER make the ALTER fail; check the production data against the new type first, or keep the wider type'],
        ['changing-column-type', 'changing users.id from BIGINT to INTEGER rewrites the whole table and its indexes under an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes; add a new column of type INTEGER, backfill it in batches and switch the code over, instead of changing the type in place'],
      ],
    );
  });
  test('NUMERIC to INTEGER, timestamp to DATE, array items, an enum without some values', () => {
    assert.deepEqual(narrow('amount', t.integer()), [
      'changing users.amount from NUMERIC(10, 2) to INTEGER narrows the type: fractional parts of existing values are silently rounded away; check the production data against the new type first, or keep the wider type',
    ]);
    assert.deepEqual(narrow('created_at', t.date()), [
      'changing users.created_at from TIMESTAMP WITHOUT TIME ZONE to DATE narrows the type: the time of day of existing values is silently dropped; check the production data against the new type first, or keep the wider type',
    ]);
    assert.deepEqual(narrow('tags', t.array(t.string(5))), [
      'changing users.tags from VARCHAR(10)[] to VARCHAR(5)[] narrows the type: in the array elements, existing values longer than 5 characters make the ALTER fail; check the production data against the new type first, or keep the wider type',
    ]);
    assert.deepEqual(narrow('status', t.enum(['active', 'disabled'], { name: 'user_state' })), [
      `changing users.status from user_status to user_state narrows the type: existing values 'banned' and 'gone' (not in user_state) make the ALTER fail; check the production data against the new type first, or keep the wider type`,
    ]);
  });
  test('widening is no finding: VARCHAR(n) to a larger n or TEXT, NUMERIC up, INTEGER to BIGINT', () => {
    assert.deepEqual(narrow('email', t.string(100)), []);
    assert.deepEqual(narrow('email', t.text()), []);
    assert.deepEqual(narrow('email', t.string()), []);
    assert.deepEqual(narrow('amount', t.numeric(12, 2)), []);
    assert.deepEqual(narrow('amount', t.numeric()), []);
    assert.deepEqual(narrow('id', t.bigInteger()), []);
    assert.deepEqual(narrow('id', t.numeric(10, 0)), []);
    assert.deepEqual(narrow('status', t.enum(['active', 'banned', 'gone', 'new'], { name: 'user_state' })), []);
  });
  test('not for a column the migration added, nor when the current type is unknown', () => {
    assert.deepEqual(narrow('nope', t.string(5)), []);
    assert.deepEqual(
      lint([op.addColumn('users', column('tmp', t.text())), op.alterColumn('users', 'tmp', { type: t.string(5) })]).filter((f) => f.rule === 'narrowing-column-type'),
      [],
    );
  });
});

describe('changing-column-type', () => {
  const rewrite = (col: string, change: { type: TypeSpec; using?: Sql }) =>
    lint([op.alterColumn('users', col, change)]).filter((f) => f.rule === 'changing-column-type').map((f) => f.message);

  test('INTEGER to BIGINT rewrites', () => {
    assert.deepEqual(rewrite('id', { type: t.bigInteger() }), [
      'changing users.id from INTEGER to BIGINT rewrites the whole table and its indexes under an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes; add a new column of type BIGINT, backfill it in batches and switch the code over, instead of changing the type in place',
    ]);
  });
  test('binary-coercible changes do not: VARCHAR(n) to TEXT or a larger n, TEXT to VARCHAR, NUMERIC precision up, the same type', () => {
    assert.deepEqual(rewrite('email', { type: t.text() }), []);
    assert.deepEqual(rewrite('email', { type: t.string(100) }), []);
    assert.deepEqual(rewrite('bio', { type: t.string() }), []);
    assert.deepEqual(rewrite('amount', { type: t.numeric(14, 2) }), []);
    assert.deepEqual(rewrite('amount', { type: t.numeric() }), []);
    assert.deepEqual(rewrite('email', { type: t.custom({ default: 'character varying(80)' }) }), []);
    assert.deepEqual(rewrite('id', { type: t.integer() }), []);
    assert.deepEqual(rewrite('email', { type: t.text(), using: sql`email::text` }), []);
  });
  test('changes that rewrite: a smaller VARCHAR, NUMERIC scale, arrays, json', () => {
    assert.equal(rewrite('email', { type: t.string(20) }).length, 1);
    assert.equal(rewrite('amount', { type: t.numeric(12, 4) }).length, 1);
    assert.equal(rewrite('tags', { type: t.array(t.text()) }).length, 1);
    assert.equal(rewrite('bio', { type: t.jsonb(), using: sql`bio::jsonb` }).length, 1);
  });
  test('may rewrite: a USING expression, timestamp to timestamptz, a custom type, an unknown current type', () => {
    assert.deepEqual(rewrite('email', { type: t.text(), using: sql`lower(email)` }), [
      'changing users.email from VARCHAR(50) to TEXT USING lower(email) rewrites the whole table and its indexes under an ACCESS EXCLUSIVE lock unless USING leaves the values as they are, blocking reads and writes until it finishes; drop the USING clause (the change is binary-coercible), or add a new column of type TEXT, backfill it in batches and switch the code over, instead of changing the type in place',
    ]);
    assert.deepEqual(rewrite('created_at', { type: t.dateTime({ timezone: true }) }), [
      'changing users.created_at from TIMESTAMP WITHOUT TIME ZONE to TIMESTAMP WITH TIME ZONE rewrites the whole table and its indexes under an ACCESS EXCLUSIVE lock unless the session TimeZone is UTC, blocking reads and writes until it finishes; run it with TimeZone set to UTC (PostgreSQL 12+ then skips the rewrite) if that is the conversion you mean, or add a new column of type TIMESTAMP WITH TIME ZONE, backfill it in batches and switch the code over, instead of changing the type in place',
    ]);
    assert.deepEqual(rewrite('bio', { type: t.custom({ postgresql: 'citext', default: 'TEXT' }) }), [
      'changing users.bio from TEXT to citext may rewrite the whole table and its indexes under an ACCESS EXCLUSIVE lock (sqlscribe cannot tell whether the change is binary-coercible), blocking reads and writes until it finishes; unless it is, add a new column of type citext, backfill it in batches and switch the code over, instead of changing the type in place',
    ]);
    assert.deepEqual(rewrite('nope', { type: t.text() }), [
      'changing users.nope to TEXT may rewrite the whole table and its indexes under an ACCESS EXCLUSIVE lock (sqlscribe does not know its current type), blocking reads and writes until it finishes; unless the change is binary-coercible, add a new column of type TEXT, backfill it in batches and switch the code over, instead of changing the type in place',
    ]);
  });
  test('a column the migration added to an existing table: the table is still rewritten', () => {
    assert.deepEqual(rulesOf(lint([op.addColumn('users', column('n', t.integer())), op.alterColumn('users', 'n', { type: t.bigInteger() })])), [[2, 'changing-column-type']]);
  });
  test('the type known after an earlier change of the same migration', () => {
    assert.deepEqual(rewrite('email', { type: t.text() }), []);
    assert.deepEqual(
      rulesOf(lint([op.alterColumn('users', 'email', { type: t.text() }), op.alterColumn('users', 'email', { type: t.string(50) })])),
      [[2, 'narrowing-column-type'], [2, 'changing-column-type']],
    );
  });
  test('not on a table the migration created', () => {
    assert.deepEqual(lint([ACCOUNTS, op.alterColumn('accounts', 'id', { type: t.bigInteger() })]), []);
  });
});

describe('require-concurrent-index-creation', () => {
  test('createIndex without concurrently on an existing table', () => {
    assert.deepEqual(brief(lint([op.createIndex('ix_users_email', 'users', ['email'], { unique: true })])), [
      [1, 'require-concurrent-index-creation', 'creating index ix_users_email on users without concurrently holds a SHARE lock that blocks inserts, updates and deletes on users until the index is built; pass { concurrently: true } (sqlscribe then runs it outside the transaction)'],
    ]);
  });
  test('not with concurrently, nor on a table the migration created', () => {
    assert.deepEqual(lint([op.createIndex('ix_users_email', 'users', ['email'], { concurrently: true })]), []);
    assert.deepEqual(lint([ACCOUNTS, op.createIndex('ix_accounts_name', 'accounts', ['name'])]), []);
  });
});

describe('require-concurrent-index-deletion', () => {
  test('dropIndex without concurrently', () => {
    assert.deepEqual(brief(lint([op.dropIndex('ix_users_name', { table: 'users' })])), [
      [1, 'require-concurrent-index-deletion', 'dropping index ix_users_name without concurrently takes an ACCESS EXCLUSIVE lock on its table, blocking reads and writes until it finishes; pass { concurrently: true } (sqlscribe then runs it outside the transaction)'],
    ]);
    assert.deepEqual(rulesOf(lint([op.dropIndex('ix_somewhere')])), [[1, 'require-concurrent-index-deletion']]);
  });
  test('not with concurrently, for an index the migration created, or on a table it created', () => {
    assert.deepEqual(lint([op.dropIndex('ix_users_name', { concurrently: true })]), []);
    assert.deepEqual(rulesOf(lint([op.createIndex('ix_tmp', 'users', ['name'], { concurrently: true }), op.dropIndex('ix_tmp')])), []);
    assert.deepEqual(lint([ACCOUNTS, op.dropIndex('ix_x', { table: 'accounts' })]), []);
  });
});

describe('adding-foreign-key-constraint', () => {
  test('createForeignKey without notValid on an existing table', () => {
    assert.deepEqual(brief(lint([ACCOUNTS, op.createForeignKey('fk_users_account', 'users', 'accounts', ['id'], ['id'])])), [
      [2, 'adding-foreign-key-constraint', 'adding foreign key fk_users_account to users without notValid scans all of users while holding SHARE ROW EXCLUSIVE locks on users and accounts, blocking writes to both until it finishes; pass { notValid: true }, then VALIDATE CONSTRAINT in a later migration (op.execute), which does not block writes'],
    ]);
  });
  test('addColumn with references on an existing table', () => {
    assert.deepEqual(brief(lint([op.addColumn('users', column('account_id', t.integer(), { references: { table: 'accounts', column: 'id', schema: 'billing' } }))])), [
      [1, 'adding-foreign-key-constraint', 'adding column users.account_id with references adds its foreign key without NOT VALID, which scans all of users while holding SHARE ROW EXCLUSIVE locks on users and billing.accounts, blocking writes to both until it finishes; add the column without references, then createForeignKey with { notValid: true } and VALIDATE CONSTRAINT in a later migration (op.execute)'],
    ]);
  });
  test('not with notValid, nor from a table the migration created (even to an existing one)', () => {
    assert.deepEqual(lint([op.createForeignKey('fk', 'users', 'accounts', ['id'], ['id'], { notValid: true })]), []);
    assert.deepEqual(lint([ACCOUNTS, op.createForeignKey('fk', 'accounts', 'users', ['id'], ['id'])]), []);
  });
});

describe('constraint-missing-not-valid', () => {
  test('createCheckConstraint without notValid on an existing table', () => {
    assert.deepEqual(brief(lint([op.createCheckConstraint('ck_users_amount', 'users', sql`amount >= 0`)])), [
      [1, 'constraint-missing-not-valid', 'adding check constraint ck_users_amount to users without notValid scans all of users under an ACCESS EXCLUSIVE lock, blocking reads and writes until every row is checked; pass { notValid: true }, then VALIDATE CONSTRAINT in a later migration (op.execute), which takes only a SHARE UPDATE EXCLUSIVE lock'],
    ]);
  });
  test('not with notValid, nor on a table the migration created', () => {
    assert.deepEqual(lint([op.createCheckConstraint('ck', 'users', sql`amount >= 0`, { notValid: true })]), []);
    assert.deepEqual(lint([ACCOUNTS, op.createCheckConstraint('ck', 'accounts', sql`id > 0`)]), []);
  });
});

describe('disallowed-unique-constraint', () => {
  test('createUniqueConstraint, or addColumn with unique, on an existing table', () => {
    assert.deepEqual(brief(lint([op.createUniqueConstraint('uq_users_email', 'users', ['email'])])), [
      [1, 'disallowed-unique-constraint', 'adding unique constraint uq_users_email to users builds its index under an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes; create a unique index with { concurrently: true } first, then ADD CONSTRAINT ... UNIQUE USING INDEX in a later migration (op.execute)'],
    ]);
    assert.deepEqual(brief(lint([op.addColumn('users', column('handle', t.text(), { unique: true }))])), [
      [1, 'disallowed-unique-constraint', 'adding column users.handle with unique builds its index under an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes; add the column without unique, create a unique index with { concurrently: true }, then ADD CONSTRAINT ... UNIQUE USING INDEX in a later migration (op.execute) if a constraint is needed'],
    ]);
  });
  test('not on a table the migration created', () => {
    assert.deepEqual(lint([ACCOUNTS, op.createUniqueConstraint('uq', 'accounts', ['name'])]), []);
  });
});

describe('adding-serial-primary-key-field', () => {
  test('createPrimaryKey on an existing table', () => {
    const existing = [op.createTable('events', [column('id', t.bigInteger(), { nullable: false })])];
    assert.deepEqual(brief(lint([op.createPrimaryKey('pk_events', 'events', ['id'])], { existing })), [
      [1, 'adding-serial-primary-key-field', 'adding primary key pk_events to events builds its index under an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes; create a unique index with { concurrently: true } first, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX in a later migration (op.execute)'],
    ]);
  });
  test('addColumn with primaryKey: SERIAL rewrites, and the key builds an index', () => {
    assert.deepEqual(brief(lint([op.addColumn('users', column('uid', t.integer(), { primaryKey: true }))])), [
      [1, 'adding-field-with-default', 'adding column users.uid as SERIAL fills every existing row from nextval(), a VOLATILE function, which rewrites the whole table under an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes; add a plain nullable column, set its default to nextval() of a new sequence (for new rows only), then backfill existing rows in batches'],
      [1, 'adding-serial-primary-key-field', 'adding column users.uid as primary key builds its index under an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes; add the column, fill it, create a unique index with { concurrently: true }, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX in a later migration (op.execute)'],
    ]);
  });
  test('not on a table the migration created', () => {
    assert.deepEqual(lint([op.createTable('events', [column('id', t.bigInteger(), { nullable: false })]), op.createPrimaryKey('pk', 'events', ['id'])]), []);
  });
});

describe('adding-not-nullable-field', () => {
  test('SET NOT NULL on an existing table', () => {
    assert.deepEqual(brief(lint([op.alterColumn('users', 'email', { nullable: false })])), [
      [1, 'adding-not-nullable-field', 'setting users.email NOT NULL scans all of users under an ACCESS EXCLUSIVE lock, blocking reads and writes until every row is checked; first add CHECK (email IS NOT NULL) with { notValid: true } and VALIDATE it, then set NOT NULL (PostgreSQL 12+ then skips the scan)'],
    ]);
  });
  test('also for a column the migration added to an existing table (the whole table is scanned)', () => {
    assert.deepEqual(rulesOf(lint([op.addColumn('users', column('n', t.integer())), op.alterColumn('users', 'n', { nullable: false })])), [[2, 'adding-not-nullable-field']]);
  });
  test('not for DROP NOT NULL, nor on a table the migration created', () => {
    assert.deepEqual(lint([op.alterColumn('users', 'email', { nullable: true })]), []);
    assert.deepEqual(lint([ACCOUNTS, op.alterColumn('accounts', 'name', { nullable: false })]), []);
  });
});

describe('adding-required-field', () => {
  test('a NOT NULL column without a default on an existing table', () => {
    assert.deepEqual(brief(lint([op.addColumn('users', column('age', t.integer(), { nullable: false }))])), [
      [1, 'adding-required-field', 'adding column users.age NOT NULL without a server default fails on a table that has rows, and old code that inserts rows without age breaks; add it nullable or with a serverDefault, backfill it, then set it NOT NULL'],
    ]);
  });
  test('not with a default, an identity, a generated value, nor on a new table', () => {
    assert.deepEqual(lint([op.addColumn('users', column('age', t.integer(), { nullable: false, serverDefault: 0 }))]), []);
    assert.deepEqual(rulesOf(lint([op.addColumn('users', column('seq', t.bigInteger(), { identity: { always: true } }))])), [[1, 'adding-field-with-default']]);
    assert.deepEqual(rulesOf(lint([op.addColumn('users', column('g', t.integer(), { nullable: false, computed: { expression: sql`id * 2`, stored: true } }))])), [[1, 'adding-field-with-default']]);
    assert.deepEqual(lint([ACCOUNTS, op.addColumn('accounts', column('age', t.integer(), { nullable: false }))]), []);
  });
});

describe('adding-field-with-default', () => {
  const added = (serverDefault: DefaultValue) =>
    brief(lint([op.addColumn('users', column('x', t.text(), { serverDefault }))]));

  test('a VOLATILE default rewrites the table', () => {
    assert.deepEqual(added(sql`gen_random_uuid()::text`), [
      [1, 'adding-field-with-default', 'adding column users.x with DEFAULT gen_random_uuid()::text, which calls the VOLATILE function gen_random_uuid(), rewrites the whole table under an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes; add the column without the default, then SET DEFAULT for new rows and backfill existing rows in batches'],
    ]);
    for (const fn of ['random()', 'clock_timestamp()', "nextval('users_x_seq')", 'public.uuid_generate_v4()', 'timeofday()']) {
      assert.deepEqual(rulesOf(lint([op.addColumn('users', column('x', t.text(), { serverDefault: sql`${fn}` }))])), [[1, 'adding-field-with-default']], fn);
    }
  });
  test('a function sqlscribe cannot judge may rewrite', () => {
    assert.deepEqual(added(sql`app.make_code(8)`), [
      [1, 'adding-field-with-default', 'adding column users.x with DEFAULT app.make_code(8) rewrites the whole table under an ACCESS EXCLUSIVE lock if make_code() is VOLATILE (sqlscribe cannot tell; a constant or STABLE default does not), blocking reads and writes until it finishes; add the column without the default, then SET DEFAULT for new rows and backfill existing rows in batches'],
    ]);
  });
  test('constant and STABLE defaults do not rewrite (PostgreSQL 11+): literals, now(), CURRENT_TIMESTAMP, casts, IMMUTABLE functions', () => {
    for (const d of ['analyst', 0, false, sql`now()`, sql`CURRENT_TIMESTAMP`, sql`timezone('utc', now())`, sql`'{}'::jsonb`, sql`lower('X')`, sql`'random()'`, sql`CAST('1' AS varchar(10))`, sql`statement_timestamp()`]) {
      assert.deepEqual(lint([op.addColumn('users', column('x', t.text(), { serverDefault: d }))]), [], JSON.stringify(d));
    }
  });
  test('identity and stored generated columns rewrite', () => {
    assert.deepEqual(brief(lint([op.addColumn('users', column('seq', t.bigInteger(), { identity: {} }))])), [
      [1, 'adding-field-with-default', 'adding identity column users.seq numbers every existing row from a sequence, which rewrites the whole table under an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes; add a plain nullable column, set its default to nextval() of a new sequence (for new rows only), then backfill existing rows in batches'],
    ]);
    assert.deepEqual(brief(lint([op.addColumn('users', column('total', t.numeric(12, 2), { computed: { expression: sql`amount * 2`, stored: true } }))])), [
      [1, 'adding-field-with-default', 'adding generated column users.total computes it for every existing row, which rewrites the whole table under an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes; add a plain column kept up to date by the application or a trigger and backfill it in batches, or accept the rewrite in a maintenance window'],
    ]);
  });
  test('not on a table the migration created; SET DEFAULT on an existing column is no finding', () => {
    assert.deepEqual(lint([ACCOUNTS, op.addColumn('accounts', column('token', t.uuid(), { serverDefault: sql`gen_random_uuid()` }))]), []);
    assert.deepEqual(lint([op.alterColumn('users', 'bio', { serverDefault: sql`random()::text` })]), []);
  });
});
