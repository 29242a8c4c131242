/**
 * The schema state model, op by op: what each op leaves in the model (columns as definitions, constraints
 * with the names PostgreSQL records, indexes, sequences, enum types, comments, the names taken per
 * schema), raw SQL and `effects`, and the journal that `check` rolls back through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, column, foreignKey, migration, op, primaryKey, sql, t, unique } from '../../src/ops/builders.js';
import { SchemaState, type TableState } from '../../src/state/schema.js';
import { mayChangeSchema } from '../../src/state/rawsql.js';
import { editDistance, nearestName } from '../../src/state/suggest.js';

const status = t.enum(['active', 'disabled'], { name: 'user_status' });

function users(state = new SchemaState()): SchemaState {
  state.apply(
    op.createTable(
      'users',
      [
        column('id', t.integer(), { primaryKey: true }),
        column('email', t.string(255), { nullable: false, unique: true }),
        column('status', status, { serverDefault: 'active', comment: 'login allowed?' }),
        column('team_id', t.integer(), { references: { table: 'users', column: 'id', deferrable: true, initially: 'DEFERRED' } }),
        check(sql`length(email) > 3`),
      ],
      { comment: 'people' },
    ),
  );
  return state;
}

/** The constraints of a table as `kind name (columns)`. */
function constraints(table: TableState | undefined): string[] {
  return [...(table?.constraints.values() ?? [])].map((c) => `${c.kind} ${c.name} (${c.columns.join(', ')})${c.refTable ? ` → ${c.refTable}(${c.refColumns!.join(', ')})` : ''}`);
}

/**
 * Everything observable about a state, for before/after comparisons. The model-wide maps compare as sets
 * (a rollback may change their iteration order); a table's maps keep their order.
 */
function snapshot(s: SchemaState): unknown {
  const sorted = <V>(m: Map<string, V>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.parse(
    JSON.stringify({
      schemas: sorted(s.schemas).map(([k, v]) => [k, v.builtin, sorted(v.relations), sorted(v.constraintNames)]),
      tables: sorted(s.tables).map(([k, v]) => [k, v.name, v.comment, [...v.columns], [...v.constraints], [...v.indexes], [...v.sequences]]),
      enums: sorted(s.enums),
      indexes: sorted(s.indexes),
      stale: s.stale,
    }),
  );
}

test('createTable: column definitions, constraints with the names PostgreSQL gives, the SERIAL sequence, the comment', () => {
  const s = users();
  const u = s.table('users')!;
  assert.deepEqual([...u.columns.keys()], ['id', 'email', 'status', 'team_id']);
  // Keys, uniques and references become constraints; nullability is explicit.
  assert.deepEqual(u.columns.get('id'), { kind: 'column', name: 'id', type: { kind: 'integer' }, nullable: false });
  assert.deepEqual(u.columns.get('email'), { kind: 'column', name: 'email', type: { kind: 'string', length: 255 }, nullable: false });
  assert.deepEqual(u.columns.get('status'), { kind: 'column', name: 'status', type: status, nullable: true, serverDefault: 'active', comment: 'login allowed?' });
  assert.deepEqual(constraints(u), [
    'check users_email_check ()',
    'primaryKey users_pkey (id)',
    'unique users_email_key (email)',
    'foreignKey users_team_id_fkey (team_id) → users(id)',
  ]);
  assert.equal(u.constraints.get('users_team_id_fkey')?.deferrable, true);
  assert.equal(u.constraints.get('users_team_id_fkey')?.initially, 'DEFERRED');
  assert.equal(u.constraints.get('users_pkey')?.defaultName, true);
  assert.deepEqual([...u.sequences], [['id', { name: 'users_id_seq', kind: 'serial' }]]);
  assert.equal(u.comment, 'people');
  assert.deepEqual([...s.schema(undefined)!.relations.keys()], ['users', 'users_id_seq', 'users_pkey', 'users_email_key']);
  assert.deepEqual(s.enumType('user_status'), { type: status, implicit: true, uses: 1 });
  // The default schema, named or not, is one schema.
  assert.equal(s.table('users', 'public'), u);
  assert.deepEqual(s.foreignKeysTo(u).map((f) => f.constraint.name), ['users_team_id_fkey']);
});

test('names: explicit, from the naming convention (the given name kept when the template uses it), and numbered on a clash', () => {
  const s = new SchemaState({ namingConvention: { ck: 'ck_%(table_name)s_%(constraint_name)s', uq: 'uq_%(table_name)s_%(column_0_name)s' } });
  s.apply(op.createTable('a', [column('id', t.integer(), { primaryKey: true }), column('x', t.integer()), unique(['x']), check(sql`x > 0`, { name: 'positive' }), primaryKey(['id'], { name: 'pk_a' })]));
  assert.deepEqual(constraints(s.table('a')), ['check ck_a_positive ()', 'primaryKey pk_a (id)', 'unique uq_a_x (x)']);
  assert.equal(s.table('a')!.constraints.get('ck_a_positive')?.givenName, 'positive');
  assert.equal(s.table('a')!.constraints.get('uq_a_x')?.givenName, undefined);
  s.apply(op.createCheckConstraint('small', 'a', sql`x < 10`));
  assert.equal(s.table('a')!.constraints.get('ck_a_small')?.givenName, 'small');
  // A relation named like the default name makes PostgreSQL number it.
  const p = new SchemaState();
  p.apply(op.createTable('b_x_key', [column('id', t.integer())]));
  p.apply(op.createTable('b', [column('x', t.integer(), { unique: true })]));
  assert.deepEqual(constraints(p.table('b')), ['unique b_x_key1 (x)']);
});

test('addColumn: its constraints and identity sequence; dropColumn: what PostgreSQL drops with it', () => {
  const s = users();
  s.apply(op.addColumn('users', column('n', t.bigInteger(), { identity: { always: true }, unique: true })));
  const u = s.table('users')!;
  assert.deepEqual(u.columns.get('n'), { kind: 'column', name: 'n', type: { kind: 'bigInteger' }, nullable: false, identity: { always: true } });
  assert.deepEqual(u.sequences.get('n'), { name: 'users_n_seq', kind: 'identity' });
  assert.ok(u.constraints.has('users_n_key'));
  s.apply(op.createIndex('ix_users_n_email', 'users', ['n', 'email']));
  s.apply(op.createIndex('ix_users_lower', 'users', [sql`lower(email)`]));
  s.apply(op.dropColumn('users', 'n'));
  assert.equal(u.columns.has('n'), false);
  assert.equal(u.sequences.has('n'), false);
  assert.equal(u.constraints.has('users_n_key'), false);
  assert.equal(s.index('ix_users_n_email'), undefined);
  assert.ok(s.index('ix_users_lower'));
  assert.equal(s.schema(undefined)!.relations.has('users_n_seq'), false);
  s.apply(op.dropColumn('users', 'email'));
  assert.equal(s.index('ix_users_lower'), undefined, 'an expression index on the column goes with it');
  assert.deepEqual(constraints(u), ['primaryKey users_pkey (id)', 'foreignKey users_team_id_fkey (team_id) → users(id)']);
  s.apply(op.dropColumn('users', 'status'));
  assert.equal(s.enumType('user_status')?.uses, 0);
  assert.deepEqual(s.releaseUnusedEnums(), [status]);
});

test('alterColumn: type, nullability, default, comment; a rename follows into keys, indexes and references', () => {
  const s = users();
  s.apply(op.createIndex('ix_users_email', 'users', ['email'], { include: ['status'] }));
  s.apply(op.createIndex('ix_users_email_lower', 'users', [sql`lower(email)`]));
  s.apply(op.alterColumn('users', 'status', { type: t.text(), nullable: false, serverDefault: null, comment: null }));
  assert.deepEqual(s.table('users')!.columns.get('status'), { kind: 'column', name: 'status', type: { kind: 'text' }, nullable: false });
  assert.equal(s.enumType('user_status')?.uses, 0);
  s.apply(op.alterColumn('users', 'id', { newName: 'user_id' }));
  s.apply(op.alterColumn('users', 'email', { newName: 'mail' }));
  s.apply(op.alterColumn('users', 'status', { newName: 'state' }));
  const u = s.table('users')!;
  assert.deepEqual([...u.columns.keys()], ['user_id', 'mail', 'state', 'team_id']);
  assert.deepEqual(constraints(u), [
    'check users_email_check ()',
    'primaryKey users_pkey (user_id)',
    'unique users_email_key (mail)',
    'foreignKey users_team_id_fkey (team_id) → users(user_id)',
  ]);
  assert.deepEqual(s.index('ix_users_email')?.columns, ['mail']);
  assert.deepEqual(s.index('ix_users_email')?.include, ['state']);
  assert.deepEqual(u.sequences.get('user_id'), { name: 'users_id_seq', kind: 'serial' });
  // Raw SQL follows the renamed column, as PostgreSQL's parsed expressions do.
  assert.deepEqual(u.constraints.get('users_email_check')?.condition, sql`length(mail) > 3`);
  assert.deepEqual(s.index('ix_users_email_lower')?.columns, [sql`lower(mail)`]);
});

test('renameTable keeps constraint, index and sequence names, and follows into foreign keys that reference it', () => {
  const s = users();
  s.apply(op.createTable('orders', [column('id', t.integer(), { primaryKey: true }), foreignKey(['id'], 'users', ['id'], { name: 'fk_orders_user' })]));
  s.apply(op.createIndex('ix_users_email', 'users', ['email']));
  s.apply(op.renameTable('users', 'people'));
  assert.equal(s.table('users'), undefined);
  const p = s.table('people')!;
  assert.equal(p.name, 'people');
  assert.ok(p.constraints.has('users_pkey'));
  assert.equal(s.index('ix_users_email')?.table, 'people');
  assert.equal(s.table('orders')!.constraints.get('fk_orders_user')?.refTable, 'people');
  const names = s.schema(undefined)!.relations;
  assert.equal(names.has('users'), false);
  assert.equal(names.get('people'), 'table "people"');
  assert.equal(names.get('users_id_seq'), 'sequence "users_id_seq"');
});

test('constraints by op: a primary key makes its columns NOT NULL; dropConstraint names through the convention', () => {
  const s = new SchemaState({ namingConvention: { fk: 'fk_%(table_name)s_%(constraint_name)s' } });
  s.apply(op.createTable('a', [column('id', t.integer()), column('b_id', t.integer())]));
  s.apply(op.createTable('b', [column('id', t.integer(), { primaryKey: true })]));
  s.apply(op.createPrimaryKey('pk_a', 'a', ['id']));
  assert.equal(s.table('a')!.columns.get('id')?.nullable, false);
  s.apply(op.createUniqueConstraint('uq_a_b', 'a', ['b_id'], { deferrable: true }));
  s.apply(op.createForeignKey('to_b', 'a', 'b', ['b_id'], ['id'], { onDelete: 'CASCADE', notValid: true }));
  assert.deepEqual(constraints(s.table('a')), ['primaryKey pk_a (id)', 'unique uq_a_b (b_id)', 'foreignKey fk_a_to_b (b_id) → b(id)']);
  assert.equal(s.table('a')!.constraints.get('fk_a_to_b')?.notValid, true);
  assert.equal(s.table('a')!.constraints.get('uq_a_b')?.deferrable, true);
  s.apply(op.dropConstraint('to_b', 'a', { type: 'foreignkey' }));
  s.apply(op.dropConstraint('uq_a_b', 'a'));
  assert.deepEqual(constraints(s.table('a')), ['primaryKey pk_a (id)']);
  assert.deepEqual(s.foreignKeysTo(s.table('b')!), []);
});

test('schemas: created, their tables, indexes and types keyed by schema, all gone with dropSchema cascade', () => {
  const s = new SchemaState();
  s.apply(op.createSchema('audit'));
  const mood = t.enum(['a'], { name: 'mood', schema: 'audit' });
  s.apply(op.createTable('runs', [column('id', t.integer(), { primaryKey: true }), column('m', mood)], { schema: 'audit' }));
  s.apply(op.createIndex('ix_runs_m', 'runs', ['m'], { schema: 'audit' }));
  assert.ok(s.table('runs', 'audit'));
  assert.equal(s.table('runs'), undefined);
  assert.ok(s.index('ix_runs_m', 'audit'));
  assert.ok(s.enumType('mood', 'audit'));
  assert.deepEqual([...s.tables.keys()], ['audit.runs']);
  s.apply(op.dropSchema('audit', { cascade: true }));
  assert.deepEqual([[...s.schemas.keys()], [...s.tables.keys()], [...s.indexes.keys()], [...s.enums.keys()]], [['public'], [], [], []]);
});

test('table comments; enum types made explicitly stay until dropped', () => {
  const s = users();
  s.apply(op.createTableComment('users', 'everyone'));
  assert.equal(s.table('users')!.comment, 'everyone');
  s.apply(op.dropTableComment('users'));
  assert.equal(s.table('users')!.comment, undefined);
  s.apply(op.createEnum('mood', ['ok']));
  assert.deepEqual(s.releaseUnusedEnums(), []);
  assert.deepEqual(s.enumType('mood'), { type: { kind: 'enum', name: 'mood', values: ['ok'] }, implicit: false, uses: 0 });
  s.apply(op.dropEnum('mood'));
  assert.equal(s.enumType('mood'), undefined);
});

test('ifNotExists / ifExists: nothing changes when the object is there / missing', () => {
  const s = users();
  const before = snapshot(s);
  s.apply(op.createTable('users', [column('x', t.text())], { ifNotExists: true }));
  s.apply(op.addColumn('users', column('email', t.text()), { ifNotExists: true }));
  s.apply(op.dropTable('nope', { ifExists: true }));
  s.apply(op.dropColumn('users', 'nope', { ifExists: true }));
  s.apply(op.dropIndex('nope', { ifExists: true }));
  s.apply(op.createSchema('public', { ifNotExists: true }));
  assert.deepEqual(snapshot(s), before);
});

test('raw SQL: rows only keep the model exact; anything else makes it stale, at the op; effects are applied instead', () => {
  const s = users();
  const site = { file: 'm.ts', revision: 'r1', list: 'upgrade' as const, opIndex: 2, opKind: 'execute' };
  s.apply(op.execute("UPDATE users SET email = lower(email); INSERT INTO users (email) VALUES ('a;b') -- ; DROP TABLE x"), site);
  assert.equal(s.stale, undefined);
  s.apply(op.execute('ALTER TABLE users ADD COLUMN x int', { effects: [op.addColumn('users', column('x', t.integer()))] }), site);
  assert.equal(s.stale, undefined);
  assert.ok(s.table('users')!.columns.has('x'));
  s.apply(op.execute({ postgresql: 'SELECT 1', default: 'CREATE TABLE x (a int)' }), site);
  assert.equal(s.stale, undefined, 'the PostgreSQL text is the one that counts');
  s.apply(op.execute(sql`CREATE INDEX ix ON users (x)`), site);
  assert.deepEqual(s.stale, { site });
  assert.ok(s.isOpaque(op.execute('DROP TABLE users')));
  assert.equal(s.isOpaque(op.execute('DROP TABLE users', { effects: [op.dropTable('users')] })), false);
});

test('raw SQL classification: data statements, and what may change the schema', () => {
  for (const text of [
    'UPDATE t SET a = 1',
    "insert into t values ('CREATE TABLE x')",
    'DELETE FROM t; SELECT setval($$s$$, 1);',
    'WITH x AS (INSERT INTO t DEFAULT VALUES RETURNING *) SELECT * FROM x',
    '/* CREATE /* nested */ TABLE */ TRUNCATE t',
    'GRANT SELECT ON t TO reader',
    '',
  ]) {
    assert.equal(mayChangeSchema(text), false, text);
  }
  for (const text of ['CREATE TABLE x (a int)', 'UPDATE t SET a = 1; ALTER TABLE t ADD b int', 'SELECT * INTO t2 FROM t', "DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$", 'COMMENT ON TABLE t IS NULL', 'CALL p()']) {
    assert.equal(mayChangeSchema(text), true, text);
  }
});

test('checkpoint / rollback undo every change, nested, in order', () => {
  const s = users();
  s.apply(op.createIndex('ix_users_email', 'users', ['email']));
  const before = snapshot(s);
  const outer = s.checkpoint();
  s.apply(op.alterColumn('users', 'email', { newName: 'mail', type: t.text() }));
  s.apply(op.dropColumn('users', 'status'));
  const middle = snapshot(s);
  const inner = s.checkpoint();
  s.apply(op.renameTable('users', 'people'));
  s.apply(op.dropConstraint('users_pkey', 'people'));
  s.apply(op.createSchema('x'));
  s.apply(op.createTable('t', [column('id', t.integer(), { primaryKey: true })], { schema: 'x' }));
  s.apply(op.execute('DROP TABLE people'));
  s.apply(op.dropTable('people'));
  s.releaseUnusedEnums();
  s.rollback(inner);
  assert.deepEqual(snapshot(s), middle);
  s.rollback(outer);
  assert.deepEqual(snapshot(s), before);
  assert.equal(s.table('users')?.constraints.size, 4);
  // Without a checkpoint nothing is recorded.
  s.apply(op.dropTable('users'));
  s.rollback(0);
  assert.equal(s.table('users'), undefined);
});

test('migration({ assumes }) and op.execute({ effects }) are checked by the builders', () => {
  const m = migration({ revision: 'a1', down: null, message: 'm', upgrade: [], assumes: [op.createTable('legacy', [column('id', t.integer())])] });
  assert.equal(m.assumes?.[0]?.kind, 'createTable');
  assert.throws(() => migration({ revision: 'a1', down: null, message: 'm', upgrade: [], assumes: [op.execute('SELECT 1')] }), {
    message: 'migration: assumes item 1 is op.execute, which says nothing about the schema — declare what it does with the other op.* (op.addColumn(...), op.createTable(...), ...)',
  });
  assert.throws(() => op.execute('x', { effects: [{ kind: 'nope' } as never] }), { message: 'op.execute: effects item 1 is not an op (use op.*(...)), got {"kind":"nope"}' });
  assert.throws(() => op.execute('x', { effects: op.addColumn('t', column('a', t.text())) as never }), { message: /^op\.execute: effects must be an array of op\.\*\(\.\.\.\) values, got \{"kind":"addColumn"/ });
  assert.throws(() => op.execute('x', { effect: [] } as never), { message: "op.execute: unknown option 'effect' (allowed: effects)" });
  assert.deepEqual(op.execute('SELECT 1', { effects: [] }), { kind: 'execute', sql: 'SELECT 1', effects: [] });
  assert.deepEqual(op.execute('SELECT 1'), { kind: 'execute', sql: 'SELECT 1' });
});

test('did you mean: nearest name by edit distance, case ignored, swaps count one', () => {
  assert.equal(editDistance('usres', 'users'), 1);
  assert.equal(editDistance('email_verifed', 'email_verified'), 1);
  assert.equal(editDistance('abc', 'xyz'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(nearestName('emial', ['id', 'email', 'emails']), 'email');
  assert.equal(nearestName('Users', ['users']), 'users');
  assert.equal(nearestName('zzz', ['users', 'orders']), undefined);
  assert.equal(nearestName('id', ['ix', 'name']), 'ix');
});
