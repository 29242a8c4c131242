/**
 * Derived downgrades on a real PostgreSQL, for a history with NO `downgrade` written anywhere: two bases
 * with branch labels, a `dependsOn` across the branches, a second schema, enum types (one made on first
 * use, one explicit in the second schema), identity columns, deferrable foreign keys, a cross-schema
 * foreign key, a renamed table, type, nullability, default and comment changes, and drops of columns,
 * indexes, constraints (one named by PostgreSQL) and a table.
 *
 * Compiled by the CLI in process and applied with `psql -X -v ON_ERROR_STOP=1 -f`, as a DBA does:
 * `upgrade heads` leaves the intended catalog and version rows; each revision's derived downgrade, alone,
 * returns the catalog exactly to the snapshot before that revision (and the version rows with it); and
 * `downgrade heads:base` leaves nothing but the empty version table.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog, pgTest, type PgDb } from '../support/postgres.js';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'sqlscribe-derived-'));

const HISTORY: Record<string, string> = {
  'migrations/core/aa01_users.ts': migrationSource(
    'aa01',
    null,
    `upgrade: [
    op.createTable('users', [
      column('id', t.bigInteger(), { primaryKey: true, identity: { always: true } }),
      column('email', t.string(255), { nullable: false, unique: true }),
      column('display_name', t.string(100), { comment: 'shown name' }),
      column('status', t.enum(['active', 'disabled'], { name: 'user_status' }), { nullable: false, serverDefault: 'active' }),
      column('created_at', t.dateTime({ timezone: true }), { nullable: false, serverDefault: sql\`now()\` }),
    ], { comment: 'people' }),
    op.createIndex('ix_users_display_name', 'users', ['display_name']),
  ]`,
    "\n  branchLabels: ['core'],",
  ),
  'migrations/core/aa02_teams.ts': migrationSource(
    'aa02',
    'aa01',
    `upgrade: [
    op.createTable('teams', [
      column('id', t.integer(), { primaryKey: true, autoincrement: false }),
      column('name', t.text(), { nullable: false }),
      column('owner_id', t.bigInteger(), { references: { table: 'users', column: 'id', onDelete: 'SET NULL', deferrable: true, initially: 'DEFERRED' } }),
      check(sql\`length(name) > 0\`, { name: 'ck_teams_name' }),
    ], { comment: 'groups of users' }),
    op.createIndex('ix_teams_name', 'teams', ['name']),
    op.addColumn('users', column('team_id', t.integer(), { references: { table: 'teams', column: 'id', deferrable: true, initially: 'DEFERRED' } })),
    op.createIndex('ix_users_lower_email', 'users', [sql\`lower(email)\`], { unique: true }),
  ]`,
  ),
  'migrations/core/aa03_rename.ts': migrationSource(
    'aa03',
    'aa02',
    `upgrade: [
    op.renameTable('teams', 'groups'),
    op.alterColumn('users', 'display_name', { type: t.string(200), comment: 'public name' }),
  ]`,
  ),
  'migrations/core/aa04_drops.ts': migrationSource(
    'aa04',
    'aa03',
    `upgrade: [
    op.dropConstraint('users_email_key', 'users', { type: 'unique' }),
    op.dropColumn('users', 'team_id'),
    op.dropTable('groups'),
  ]`,
  ),
  'migrations/billing/bb01_invoices.ts': migrationSource(
    'bb01',
    null,
    `upgrade: [
    op.createSchema('billing'),
    op.createEnum('currency', ['EUR', 'USD'], { schema: 'billing' }),
    op.createTable('invoices', [
      column('id', t.integer(), { identity: {} }),
      column('number', t.string(20), { nullable: false }),
      column('amount', t.numeric(12, 2), { nullable: false }),
      column('currency', t.enum(['EUR', 'USD'], { name: 'currency', schema: 'billing' }), { nullable: false }),
      column('memo', t.text()),
      column('legacy_code', t.string(10)),
      primaryKey(['id'], { name: 'pk_invoices' }),
      check(sql\`amount >= 0\`),
    ], { schema: 'billing' }),
  ]`,
    "\n  branchLabels: ['billing'],",
  ),
  'migrations/billing/bb02_owner.ts': migrationSource(
    'bb02',
    'bb01',
    `upgrade: [
    op.dropColumn('invoices', 'legacy_code', { schema: 'billing' }),
    op.addColumn('invoices', column('user_id', t.bigInteger(), { references: { table: 'users', column: 'id', schema: 'public', onDelete: 'CASCADE' } }), { schema: 'billing' }),
    op.createIndex('ix_invoices_number', 'invoices', ['number'], { schema: 'billing', unique: true }),
  ]`,
    "\n  dependsOn: ['aa01'],",
  ),
  'migrations/billing/bb03_changes.ts': migrationSource(
    'bb03',
    'bb02',
    `upgrade: [
    op.dropIndex('ix_invoices_number', { schema: 'billing' }),
    op.dropConstraint('invoices_amount_check', 'invoices', { schema: 'billing', type: 'check' }),
    op.alterColumn('invoices', 'memo', { schema: 'billing', type: t.string(500), nullable: false, serverDefault: '', comment: 'free text' }),
  ]`,
  ),
};

const project = scratchProject(HISTORY);
let scriptCount = 0;

/** Compiles `command range` with the CLI and applies it with psql; fails the test on any error. */
async function apply(db: PgDb, command: 'upgrade' | 'downgrade', range: string): Promise<string> {
  const compiled = await sqlscribe(project, command, range);
  assert.equal(compiled.code, 0, `sqlscribe ${command} ${range}: ${compiled.stderr}`);
  assert.doesNotMatch(compiled.stdout, /-- NOTE/);
  const file = join(work, `${db.name}-${++scriptCount}.sql`);
  writeFileSync(file, compiled.stdout);
  const applied = await db.psqlFile(file);
  assert.equal(applied.code, 0, `psql -f ${file} (${command} ${range}):\n${applied.stderr}`);
  return compiled.stdout;
}

async function versionRows(db: PgDb): Promise<string[]> {
  return (await db.query('SELECT version_num FROM alembic_version ORDER BY 1')).map((r) => r[0]!);
}

pgTest('upgrade heads builds the intended catalog and version rows; downgrade heads:base leaves only the empty version table', async (_t, db) => {
  const check = await sqlscribe(project, 'check', '--json');
  const report = JSON.parse(check.stdout) as { ok: boolean; errors: unknown[]; findings: { revision: string; op: number; rule: string }[] };
  assert.deepEqual([check.code, report.ok, report.errors, check.stderr], [0, true, [], '']);
  assert.deepEqual(
    report.findings.map((f) => `${f.revision} ${f.op} ${f.rule}`),
    [
      'bb02 1 ban-drop-column',
      'bb02 2 adding-foreign-key-constraint',
      'bb02 3 require-concurrent-index-creation',
      'bb03 1 require-concurrent-index-deletion',
      'bb03 3 narrowing-column-type',
      'bb03 3 changing-column-type',
      'bb03 3 adding-not-nullable-field',
      'aa02 3 adding-foreign-key-constraint',
      'aa02 4 require-concurrent-index-creation',
      'aa03 1 renaming-table',
      'aa04 2 ban-drop-column',
      'aa04 3 ban-drop-table',
    ],
  );
  await apply(db, 'upgrade', 'heads');
  assert.deepEqual(await versionRows(db), ['aa04', 'bb03']);
  const c = await catalog(db);
  assert.deepEqual(c.schemas, ['billing', 'public']);
  assert.deepEqual(Object.keys(c.tables), ['billing.invoices', 'public.alembic_version', 'public.users']);
  const users = c.tables['public.users']!;
  assert.deepEqual(
    Object.values(users.columns).map((col) => [col.position, col.name, col.type, col.notNull, col.default, col.identity, col.comment]),
    [
      [5, 'created_at', 'timestamp with time zone', true, 'now()', null, null],
      [3, 'display_name', 'character varying(200)', false, null, null, 'public name'],
      [2, 'email', 'character varying(255)', true, null, null, null],
      [1, 'id', 'bigint', true, null, 'always', null],
      [4, 'status', 'user_status', true, "'active'::user_status", null, null],
    ],
  );
  assert.equal(users.comment, 'people');
  assert.deepEqual(Object.keys(users.constraints), ['users_pkey']);
  assert.deepEqual(Object.keys(users.indexes), ['ix_users_display_name', 'ix_users_lower_email', 'users_pkey']);
  const invoices = c.tables['billing.invoices']!;
  assert.deepEqual(Object.keys(invoices.columns), ['amount', 'currency', 'id', 'memo', 'number', 'user_id']);
  assert.deepEqual(
    [invoices.columns.memo!.type, invoices.columns.memo!.notNull, invoices.columns.memo!.default, invoices.columns.memo!.comment],
    ['character varying(500)', true, "''::character varying", 'free text'],
  );
  assert.equal(invoices.columns.id!.identity, 'by default');
  assert.deepEqual(
    Object.values(invoices.constraints).map((k) => [k.name, k.type, k.definition]),
    [
      ['invoices_user_id_fkey', 'foreign key', 'FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE'],
      ['pk_invoices', 'primary key', 'PRIMARY KEY (id)'],
    ],
  );
  assert.equal(invoices.constraints.invoices_user_id_fkey!.references, 'public.users');
  assert.deepEqual(Object.keys(c.enums), ['billing.currency', 'public.user_status']);
  assert.deepEqual(
    Object.values(c.sequences).map((s) => [s.schema, s.name, s.ownedBy, s.identity]),
    [
      ['billing', 'invoices_id_seq', 'billing.invoices.id', true],
      ['public', 'users_id_seq', 'public.users.id', true],
    ],
  );

  const down = await apply(db, 'downgrade', 'heads:base');
  assert.match(down, /^-- WARNING: table groups is restored empty: its rows are not restored$/m);
  assert.deepEqual(await versionRows(db), []);
  const after = await catalog(db);
  assert.deepEqual(after.schemas, ['public']);
  assert.deepEqual(Object.keys(after.tables), ['public.alembic_version']);
  assert.deepEqual([after.enums, after.sequences, after.extensions], [{}, {}, []]);
});

pgTest("each revision's derived downgrade, alone, returns the catalog exactly to the snapshot before it", async (_t, db) => {
  // An order `upgrade heads` could take: bb02 after aa01 (its dependency), each branch in order.
  // Each downgrade starts from every version row (as the database has them) and goes down one revision.
  const order: [string, string][] = [
    ['aa01', 'core@base'],
    ['aa02', 'aa01'],
    ['bb01', 'billing@base'],
    ['bb02', 'bb01'],
    ['aa03', 'aa02'],
    ['aa04', 'aa03'],
    ['bb03', 'bb02'],
  ];
  // The version table as the first script makes it (IF NOT EXISTS), so that the first snapshot has it.
  await db.exec('CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))');
  for (const [rev, parent] of order) {
    const rows = await versionRows(db);
    const before = await catalog(db);
    const from = rows.length === 0 ? 'base' : rows.join(',');
    await apply(db, 'upgrade', `${from}:${rev}`);
    assert.notDeepEqual(await catalog(db), before, `${rev} changes the catalog`);
    await apply(db, 'downgrade', `${(await versionRows(db)).join(',')}:${parent}`);
    assert.deepEqual(await catalog(db), before, `the derived downgrade of ${rev} restores the catalog`);
    assert.deepEqual(await versionRows(db), rows, `the derived downgrade of ${rev} restores the version rows`);
    await apply(db, 'upgrade', `${from}:${rev}`);
  }
  assert.deepEqual(await versionRows(db), ['aa04', 'bb03']);
});
