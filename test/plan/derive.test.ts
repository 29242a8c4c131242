/**
 * Derived downgrades, op by op: each inverse computed from the schema state before the op, with the
 * warnings the downgrade script prints; and the warnings in a compiled script.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, column, foreignKey, op, primaryKey, sql, t, unique } from '../../src/ops/builders.js';
import type { Op } from '../../src/ops/types.js';
import { invert } from '../../src/plan/inverse.js';
import { MigrationError } from '../../src/plan/errors.js';
import { SchemaState } from '../../src/state/schema.js';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';

const site = { file: 'migrations/b2_x.ts', revision: 'b2b2', list: 'upgrade' as const, opIndex: 1, opKind: 'x' };
const status = t.enum(['active', 'disabled'], { name: 'user_status' });

/** The state after `setup`. */
function stateAfter(setup: readonly Op[], options?: ConstructorParameters<typeof SchemaState>[0]): SchemaState {
  const s = new SchemaState(options);
  for (const o of setup) s.apply(o);
  return s;
}

const usersTable = op.createTable(
  'users',
  [
    column('id', t.integer(), { primaryKey: true }),
    column('email', t.string(255), { nullable: false, unique: true, comment: 'login' }),
    column('name', t.text(), { collation: 'C' }),
    column('status', status, { nullable: false, serverDefault: 'active' }),
    column('score', t.numeric(10, 2), { serverDefault: sql`0` }),
    column('n', t.bigInteger(), { identity: { always: true, start: 10 } }),
    column('upper_name', t.text(), { computed: { expression: sql`upper(name)` } }),
    column('team_id', t.integer(), { references: { table: 'teams', column: 'id', onDelete: 'SET NULL', deferrable: true, initially: 'DEFERRED' } }),
    check(sql`score >= 0`, { name: 'ck_users_score' }),
    check(sql`length(email) > 3`),
  ],
  { comment: 'people' },
);
const teams = op.createTable('teams', [column('id', t.integer(), { primaryKey: true })]);

test('dropTable → createTable with every column, constraint (same names) and comment, then its indexes', () => {
  const s = stateAfter([teams, usersTable, op.createIndex('ix_users_name', 'users', ['name'], { where: sql`name IS NOT NULL`, using: 'btree' }), op.createCheckConstraint('ck_late', 'users', sql`n > 0`, { notValid: true })]);
  const inv = invert(op.dropTable('users'), s, site);
  assert.deepEqual(inv.ops, [
    op.createTable(
      'users',
      [
        column('id', t.integer(), { nullable: false, autoincrement: true }),
        column('email', t.string(255), { nullable: false, comment: 'login' }),
        column('name', t.text(), { nullable: true, collation: 'C' }),
        column('status', status, { nullable: false, serverDefault: 'active' }),
        column('score', t.numeric(10, 2), { nullable: true, serverDefault: sql`0` }),
        column('n', t.bigInteger(), { nullable: false, identity: { always: true, start: 10 } }),
        column('upper_name', t.text(), { nullable: true, computed: { expression: sql`upper(name)` } }),
        column('team_id', t.integer(), { nullable: true }),
        check(sql`score >= 0`, { name: 'ck_users_score' }),
        check(sql`length(email) > 3`, { name: 'users_email_check' }),
        primaryKey(['id'], { name: 'users_pkey' }),
        unique(['email'], { name: 'users_email_key' }),
        foreignKey(['team_id'], 'teams', ['id'], { name: 'users_team_id_fkey', onDelete: 'SET NULL', deferrable: true, initially: 'DEFERRED' }),
      ],
      { comment: 'people' },
    ),
    op.createCheckConstraint('ck_late', 'users', sql`n > 0`, { notValid: true }),
    op.createIndex('ix_users_name', 'users', ['name'], { where: sql`name IS NOT NULL`, using: 'btree' }),
  ]);
  assert.deepEqual(inv.warnings, ['table users is restored empty: its rows are not restored']);
});

test('dropTable of a renamed table: its sequence comes back under the name it had (the internal sequenceName)', () => {
  const s = stateAfter([op.createTable('accounts', [column('id', t.integer(), { primaryKey: true })], { schema: 'public' }), op.renameTable('accounts', 'people')]);
  const inv = invert(op.dropTable('people'), s, site);
  assert.deepEqual(inv.warnings, ['table people is restored empty: its rows are not restored']);
  assert.deepEqual(inv.ops, [
    op.createTable('people', [{ ...column('id', t.integer(), { nullable: false }), sequenceName: 'accounts_id_seq' }, primaryKey(['id'], { name: 'accounts_pkey' })]),
  ]);
  // Not renamed: plain SERIAL, as before.
  const plain = stateAfter([op.createTable('accounts', [column('id', t.integer(), { primaryKey: true })])]);
  assert.deepEqual(invert(op.dropTable('accounts'), plain, site).ops, [
    op.createTable('accounts', [column('id', t.integer(), { nullable: false, autoincrement: true }), primaryKey(['id'], { name: 'accounts_pkey' })]),
  ]);
});

test('dropColumn → addColumn with the full definition, then the constraints and indexes that went with it', () => {
  const s = stateAfter([teams, usersTable, op.createIndex('ix_users_team', 'users', ['team_id']), op.createIndex('ix_users_email_team', 'users', ['email', 'team_id'])]);
  const inv = invert(op.dropColumn('users', 'team_id'), s, site);
  assert.deepEqual(inv.ops, [
    op.addColumn('users', column('team_id', t.integer(), { nullable: true })),
    op.createForeignKey('users_team_id_fkey', 'users', 'teams', ['team_id'], ['id'], { onDelete: 'SET NULL', deferrable: true, initially: 'DEFERRED' }),
    op.createIndex('ix_users_team', 'users', ['team_id']),
    op.createIndex('ix_users_email_team', 'users', ['email', 'team_id']),
  ]);
  assert.deepEqual(inv.warnings, ['users.team_id is restored empty: its data is not restored']);
  const email = invert(op.dropColumn('users', 'email'), s, site);
  assert.deepEqual(email.ops.slice(0, 3), [
    op.addColumn('users', column('email', t.string(255), { nullable: false, comment: 'login' })),
    op.createCheckConstraint('users_email_check', 'users', sql`length(email) > 3`),
    op.createUniqueConstraint('users_email_key', 'users', ['email']),
  ]);
  assert.deepEqual(email.warnings, ['users.email is restored empty: its data is not restored (NOT NULL without a default: this fails while the table has rows)']);
  // A SERIAL primary key comes back SERIAL, with its key.
  const id = stateAfter([op.createTable('t', [column('id', t.integer(), { primaryKey: true }), column('a', t.text())], { schema: 'public' })]);
  assert.deepEqual(invert(op.dropColumn('t', 'id', { schema: 'public' }), id, site).ops, [
    op.addColumn('t', column('id', t.integer(), { nullable: false, autoincrement: true, primaryKey: true }), { schema: 'public' }),
  ]);
});

test('dropIndex, dropConstraint → re-created with the same name and definition', () => {
  const s = stateAfter([teams, usersTable, op.createIndex('ix_users_lower', 'users', [sql`lower(email)`, 'id'], { unique: true, include: ['name'] })]);
  assert.deepEqual(invert(op.dropIndex('ix_users_lower', { concurrently: true }), s, site).ops, [
    op.createIndex('ix_users_lower', 'users', [sql`lower(email)`, 'id'], { unique: true, include: ['name'], concurrently: true }),
  ]);
  assert.deepEqual(invert(op.dropConstraint('users_pkey', 'users'), s, site).ops, [op.createPrimaryKey('users_pkey', 'users', ['id'])]);
  assert.deepEqual(invert(op.dropConstraint('users_email_key', 'users', { type: 'unique' }), s, site).ops, [op.createUniqueConstraint('users_email_key', 'users', ['email'])]);
  assert.deepEqual(invert(op.dropConstraint('ck_users_score', 'users', { type: 'check' }), s, site).ops, [op.createCheckConstraint('ck_users_score', 'users', sql`score >= 0`)]);
  assert.deepEqual(invert(op.dropConstraint('users_team_id_fkey', 'users'), s, site).ops, [
    op.createForeignKey('users_team_id_fkey', 'users', 'teams', ['team_id'], ['id'], { onDelete: 'SET NULL', deferrable: true, initially: 'DEFERRED' }),
  ]);
});

test('under a naming convention with %(constraint_name)s, the re-created constraint gets the name the migration gave', () => {
  const conv = { namingConvention: { ck: 'ck_%(table_name)s_%(constraint_name)s', uq: 'uq_%(table_name)s_%(column_0_name)s' } };
  const s = stateAfter([op.createTable('a', [column('x', t.integer()), check(sql`x > 0`, { name: 'positive' }), unique(['x'])])], conv);
  assert.deepEqual(invert(op.dropConstraint('positive', 'a', { type: 'check' }), s, site).ops, [op.createCheckConstraint('positive', 'a', sql`x > 0`)]);
  assert.deepEqual(invert(op.dropConstraint('uq_a_x', 'a'), s, site).ops, [op.createUniqueConstraint('uq_a_x', 'a', ['x'])]);
});

test('alterColumn → the earlier type, nullability, default and comment, and the reverse rename', () => {
  const s = stateAfter([teams, usersTable]);
  assert.deepEqual(invert(op.alterColumn('users', 'name', { type: t.string(50), nullable: false, serverDefault: 'x', comment: 'c', newName: 'full_name' }), s, site).ops, [
    // The type change reset the collation: the way back gives "C" again (an internal alterColumn field).
    { ...op.alterColumn('users', 'full_name', { type: t.text(), nullable: true, serverDefault: null, comment: null, newName: 'name' }), collation: 'C' },
  ]);
  assert.deepEqual(invert(op.alterColumn('users', 'score', { serverDefault: null }), s, site).ops, [op.alterColumn('users', 'score', { serverDefault: sql`0` })]);
  assert.deepEqual(invert(op.alterColumn('users', 'email', { comment: null }), s, site).ops, [op.alterColumn('users', 'email', { comment: 'login' })]);
  assert.deepEqual(invert(op.alterColumn('users', 'status', { type: t.text(), using: sql`status::text` }), s, site).ops, [op.alterColumn('users', 'status', { type: status })]);
});

test('comments: the earlier comment comes back, or it is dropped', () => {
  const s = stateAfter([teams, usersTable]);
  assert.deepEqual(invert(op.createTableComment('users', 'x'), s, site).ops, [op.createTableComment('users', 'people')]);
  assert.deepEqual(invert(op.dropTableComment('users'), s, site).ops, [op.createTableComment('users', 'people')]);
  assert.deepEqual(invert(op.createTableComment('teams', 'x'), s, site).ops, [op.dropTableComment('teams')]);
  assert.deepEqual(invert(op.dropTableComment('teams'), s, site).ops, []);
});

test('createPrimaryKey → dropConstraint, and nullable again where PostgreSQL made the columns NOT NULL', () => {
  const s = stateAfter([op.createTable('a', [column('x', t.integer()), column('y', t.integer(), { nullable: false })])]);
  assert.deepEqual(invert(op.createPrimaryKey('pk_a', 'a', ['x', 'y']), s, site).ops, [op.dropConstraint('pk_a', 'a', { type: 'primary' }), op.alterColumn('a', 'x', { nullable: true })]);
});

test('enum types, schemas, and ops that met what existed (ifNotExists) or nothing (ifExists)', () => {
  const s = stateAfter([op.createSchema('audit'), op.createEnum('mood', ['ok', 'bad'], { schema: 'audit' }), teams, usersTable]);
  assert.deepEqual(invert(op.dropEnum('mood', { schema: 'audit' }), s, site).ops, [op.createEnum('mood', ['ok', 'bad'], { schema: 'audit' })]);
  // A type made on first use comes back with its first restored use, not as an explicit type.
  s.apply(op.dropTable('users'));
  assert.deepEqual(invert(op.dropEnum('user_status'), s, site).ops, []);
  const empty = stateAfter([op.createSchema('x')]);
  assert.deepEqual(invert(op.dropSchema('x'), empty, site).ops, [op.createSchema('x')]);
  assert.deepEqual(invert(op.createSchema('x', { ifNotExists: true }), empty, site).ops, []);
  assert.deepEqual(invert(op.createSchema('y', { ifNotExists: true }), empty, site).ops, [op.dropSchema('y')]);
  assert.deepEqual(invert(op.dropTable('nope', { ifExists: true }), empty, site).ops, []);
  const t1 = stateAfter([teams]);
  assert.deepEqual(invert(op.createTable('teams', [column('id', t.integer())], { ifNotExists: true }), t1, site).ops, []);
  assert.deepEqual(invert(op.addColumn('teams', column('id', t.integer()), { ifNotExists: true }), t1, site).ops, []);
  assert.deepEqual(invert(op.dropColumn('teams', 'nope', { ifExists: true }), t1, site).ops, []);
  assert.deepEqual(invert(op.dropIndex('nope', { ifExists: true }), t1, site).ops, []);
});

test('raw SQL follows a renamed column: re-created with the name the column has, never taken by a new column of the old name', () => {
  const s = stateAfter([
    op.createTable('a', [column('x', t.integer()), column('v', t.text()), check(sql`x > 0 AND "x" <> 7 AND 'x' <> v`, { name: 'ck' })]),
    op.createIndex('ix', 'a', [sql`abs(x)`], { where: sql`x IS NOT NULL /* x */` }),
    op.addColumn('a', column('g', t.integer(), { computed: { expression: sql`x * 2` } })),
    op.alterColumn('a', 'x', { newName: 'from' }),
    op.addColumn('a', column('x', t.integer())),
  ]);
  assert.deepEqual(invert(op.dropConstraint('ck', 'a'), s, site).ops, [op.createCheckConstraint('ck', 'a', sql`"from" > 0 AND "from" <> 7 AND 'x' <> v`)]);
  assert.deepEqual(invert(op.dropIndex('ix'), s, site).ops, [op.createIndex('ix', 'a', [sql`abs("from")`], { where: sql`"from" IS NOT NULL /* x */` })]);
  assert.deepEqual(s.table('a')!.columns.get('g')?.computed, { expression: sql`"from" * 2` });
  // The new "x" is another column: dropping it takes nothing along; dropping "from" takes the check and the index.
  assert.deepEqual(invert(op.dropColumn('a', 'x'), s, site).ops, [op.addColumn('a', column('x', t.integer(), { nullable: true }))]);
  const b = stateAfter([op.createTable('b', [column('x', t.integer()), column('z', t.integer()), check(sql`x > 0`, { name: 'ck' })]), op.alterColumn('b', 'x', { newName: 'y' })]);
  assert.deepEqual(invert(op.dropColumn('b', 'y'), b, site).ops, [op.addColumn('b', column('y', t.integer(), { nullable: true })), op.createCheckConstraint('ck', 'b', sql`y > 0`)]);
});

test('what cannot be derived says why, naming file, revision and op', () => {
  const fails = (o: Op, s: SchemaState, message: string) =>
    assert.throws(() => invert(o, s, site), (err: unknown) => err instanceof MigrationError && err.kind === 'underivable' && err.message === `migrations/b2_x.ts (revision b2b2, upgrade op 1 x): ${message}`);
  const held = stateAfter([op.createSchema('audit'), op.createTable('runs', [column('id', t.integer())], { schema: 'audit' })]);
  fails(op.dropSchema('audit', { cascade: true }), held, `cannot derive the downgrade of dropSchema: schema "audit" held table "audit.runs", dropped with it — write a 'downgrade' list for this migration`);
  const stale = stateAfter([op.createTable('a', [column('x', t.integer())])]);
  stale.apply(op.execute('ALTER TABLE a ADD y int'), { file: 'migrations/a1_raw.ts', revision: 'a1a1', list: 'upgrade', opIndex: 2, opKind: 'execute' });
  fails(
    op.dropColumn('a', 'y'),
    stale,
    `cannot derive the downgrade of dropColumn: column "y" of table "a" is not in the schema model, which may be stale since the raw SQL of migrations/a1_raw.ts (revision a1a1, upgrade op 2 execute) (declare what that SQL did with op.execute(sql, { effects: [...] })) — write a 'downgrade' list for this migration`,
  );
  assert.throws(() => invert(op.execute('SELECT 1'), stale, site), (err: unknown) => err instanceof MigrationError && err.kind === 'irreversible');
});

test('a compiled downgrade prints the warnings after the step comments; effects and assumes make raw SQL and legacy tables reversible', async () => {
  const dir = scratchProject({
    'migrations/a1_base.ts': migrationSource(
      'a1a1',
      null,
      "assumes: [op.createTable('legacy', [column('id', t.integer(), { primaryKey: true }), column('note', t.text(), { nullable: false })])],\n  upgrade: [op.execute('ALTER TABLE legacy ADD flag boolean', { effects: [op.addColumn('legacy', column('flag', t.boolean()))] })]",
    ),
    'migrations/b2_drop.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.dropColumn('legacy', 'flag'), op.dropColumn('legacy', 'note')]"),
  });
  const down = await sqlscribe(dir, 'downgrade', 'b2b2:a1a1');
  assert.equal(down.code, 0, down.stderr);
  assert.equal(
    down.stdout.slice(down.stdout.indexOf('-- Running')),
    `-- Running downgrade b2b2 -> a1a1
-- Revision b2b2
-- WARNING: legacy.note is restored empty: its data is not restored (NOT NULL without a default: this fails while the table has rows)
-- WARNING: legacy.flag is restored empty: its data is not restored

ALTER TABLE legacy ADD COLUMN note TEXT NOT NULL;

ALTER TABLE legacy ADD COLUMN flag BOOLEAN;

UPDATE alembic_version SET version_num='a1a1' WHERE alembic_version.version_num = 'b2b2';

COMMIT;
`,
  );
  // Without effects the model is stale after the raw SQL: the script says so, and the drop of a column
  // the model never saw cannot be derived.
  const opaque = scratchProject({
    'migrations/a1_base.ts': migrationSource('a1a1', null, "upgrade: [op.createTable('t', [column('id', t.integer())]), op.execute('ALTER TABLE t ADD flag boolean')],\n  downgrade: [op.dropTable('t')]"),
    'migrations/b2_drop.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.dropColumn('t', 'flag')]"),
  });
  const up = await sqlscribe(opaque, 'upgrade', 'head');
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, /^ALTER TABLE t ADD flag boolean;\n\n-- NOTE: sqlscribe's schema model may be stale from here on: it cannot see what the raw SQL above does to the schema \(declare that with op\.execute\(sql, \{ effects: \[\.\.\.\] \}\)\)\n\nINSERT INTO alembic_version/m);
  const bad = await sqlscribe(opaque, 'downgrade', 'head:a1a1');
  assert.equal(bad.code, 1);
  assert.equal(
    bad.stderr,
    `sqlscribe: error: migrations/b2_drop.ts (revision b2b2, upgrade op 1 dropColumn): cannot derive the downgrade of dropColumn: column "flag" of table "t" is not in the schema model, which may be stale since the raw SQL of migrations/a1_base.ts (revision a1a1, upgrade op 2 execute) (declare what that SQL did with op.execute(sql, { effects: [...] })) — write a 'downgrade' list for this migration\n`,
  );
});

test('a derived downgrade from a stale model carries a warning', async () => {
  const dir = scratchProject({
    'migrations/a1_base.ts': migrationSource('a1a1', null, "upgrade: [op.createTable('t', [column('id', t.integer()), column('a', t.text())]), op.execute('CREATE VIEW v AS SELECT 1')],\n  downgrade: [op.execute('DROP VIEW v'), op.dropTable('t')]"),
    'migrations/b2_drop.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.dropColumn('t', 'a')]"),
  });
  const down = await sqlscribe(dir, 'downgrade', 'head:a1a1');
  assert.equal(down.code, 0, down.stderr);
  assert.match(
    down.stdout,
    /^-- Revision b2b2\n-- WARNING: derived from a schema model that may be stale since the raw SQL of migrations\/a1_base\.ts \(revision a1a1, upgrade op 2 execute\)\n-- WARNING: t\.a is restored empty: its data is not restored\n\nALTER TABLE t ADD COLUMN a TEXT;$/m,
  );
});
