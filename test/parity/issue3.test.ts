/**
 * Parity on issue 3's acceptance history (test/fixtures/parity/issue3), which has NO `downgrade` written
 * anywhere on the sqlscribe side: two bases with branch labels ('core': c0e1...401 -> 402 -> 403;
 * 'billing': b1d2...501 -> 502 -> 503), a `dependsOn` across the branches (502 depends on core's base
 * 401), a second schema (billing), enum types (one made on first use by createTable, one made by
 * createEnum in the billing schema), identity columns (ALWAYS and BY DEFAULT), deferrable foreign keys
 * (INITIALLY DEFERRED and IMMEDIATE), a cross-schema foreign key (billing.invoices -> public.users), a
 * renamed table (teams -> groups), a collation, and column type and comment changes.
 *
 * `upgrade heads` and partial ranges (`billing@head`, `core@head`, then on to `heads`) must leave the
 * catalog and version rows Alembic 1.8's offline output leaves for the hand-written equivalents; the
 * derived `downgrade heads:base` (sqlscribe only: Alembic 1.8 offline refuses a start with two heads)
 * must leave nothing but the empty version table, and `upgrade heads` again must match Alembic once more;
 * derived downgrades from both heads named as the start (sqlscribe only) must land where Alembic's
 * upgrade to the same revisions lands.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { FIXTURES, assertEmptyAtBase, assertSameState, assertSameToolState, compileSqlscribe, parityTest, type DbState } from './harness.js';

const USERS = 'c0e1a2b3c401'; // 'core' base
const CORE_HEAD = 'c0e1a2b3c403'; // teams renamed to groups, display_name changed
const INVOICES = 'b1d2e3f4a501'; // 'billing' base: schema, enum, identity
const OWNER = 'b1d2e3f4a502'; // depends on USERS: the cross-schema foreign key
const BILLING_HEAD = 'b1d2e3f4a503'; // memo / amount type and comment changes
const HEADS = [BILLING_HEAD, CORE_HEAD].sort();

/** The history's features, read from a database at `heads`, so that a fixture edit cannot drop one unseen. */
function assertHeadsCatalog(state: DbState): void {
  const c = state.catalog;
  assert.deepStrictEqual(c.schemas, ['billing', 'public']);
  assert.deepStrictEqual(Object.keys(c.tables).sort(), ['billing.invoices', 'public.groups', 'public.users']);
  assert.deepStrictEqual(c.enums['public.user_status']?.labels, ['active', 'disabled']);
  assert.deepStrictEqual(c.enums['billing.currency']?.labels, ['EUR', 'USD']);
  const users = c.tables['public.users']!;
  assert.equal(users.columns.id?.identity, 'always');
  assert.equal(users.columns.handle?.collation, 'pg_catalog."C"');
  assert.deepStrictEqual([users.columns.display_name?.type, users.columns.display_name?.comment], ['character varying(200)', 'public name']);
  const teamFk = users.constraints.users_team_id_fkey!;
  assert.deepStrictEqual([teamFk.references, teamFk.deferrable, teamFk.deferred], ['public.groups', true, true]);
  const groups = c.tables['public.groups']!;
  assert.equal(groups.comment, 'groups of users');
  assert.deepStrictEqual(Object.keys(groups.constraints).sort(), ['ck_teams_name', 'teams_owner_id_fkey', 'teams_pkey']);
  const invoices = c.tables['billing.invoices']!;
  assert.equal(invoices.columns.id?.identity, 'by default');
  assert.deepStrictEqual([invoices.columns.memo?.type, invoices.columns.memo?.comment], ['character varying(500)', 'free text']);
  assert.equal(invoices.columns.amount?.type, 'numeric(14,2)');
  const ownerFk = invoices.constraints.invoices_user_id_fkey!;
  assert.deepStrictEqual([ownerFk.references, ownerFk.deferrable, ownerFk.deferred], ['public.users', true, false]);
}

test('issue3: no sqlscribe migration of the history writes a downgrade (every one is derived)', () => {
  const dir = path.join(FIXTURES, 'issue3', 'sqlscribe');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  assert.equal(files.length, 6);
  for (const f of files) assert.doesNotMatch(readFileSync(path.join(dir, f), 'utf8'), /\bdowngrade\s*:/, f);
});

parityTest('issue3: upgrade heads equals Alembic; derived downgrade heads:base leaves nothing; upgrade heads again equals Alembic', 'issue3', async (_ctx, p) => {
  const up = await p.step('upgrade', 'heads');
  assert.deepStrictEqual(up.alembic.versions, HEADS);
  assertHeadsCatalog(up.alembic);
  assert.doesNotMatch(up.scripts.sqlscribe.text, /-- (NOTE|WARNING)/, 'nothing in this history makes the model stale');

  // Alembic 1.8 refuses 'heads' as the start of an offline downgrade with two heads: sqlscribe only.
  const base = await p.sqlscribeOnly('downgrade', 'heads:base');
  assertEmptyAtBase('issue3: sqlscribe downgrade heads:base', base, { versionTable: 'kept' });
  assert.deepStrictEqual(base.versionTable, p.alembicVersionTable, "the kept version table has Alembic's shape");

  // Up again over the kept (empty) version table: the same database Alembic's `upgrade heads` made.
  const again = await p.sqlscribeOnly('upgrade', 'heads');
  assertSameState('issue3: sqlscribe upgrade heads ; downgrade heads:base ; upgrade heads vs Alembic upgrade heads', again, up.alembic, p.alembicVersionTable);
  assertSameToolState('issue3: sqlscribe upgrade heads after a round trip vs the first time', again, up.sqlscribe);
});

parityTest('issue3: billing@head pulls in its dependency (core base), then on to heads; equals upgrade heads', 'issue3', async (ctx, p) => {
  const billing = await p.step('upgrade', 'billing@head');
  // The dependency's row is consumed by the dependent revision, as at a merge point.
  assert.deepStrictEqual(billing.alembic.versions, [BILLING_HEAD]);
  assert.ok(billing.alembic.catalog.tables['public.users'], 'the dependency ran');
  assert.equal(billing.alembic.catalog.tables['public.teams'], undefined, 'the rest of core did not');
  const heads = await p.step('upgrade', `${BILLING_HEAD}:heads`);
  assert.deepStrictEqual(heads.alembic.versions, HEADS);

  const one = await ctx.pair();
  const whole = await one.step('upgrade', 'heads');
  assertSameToolState('sqlscribe: billing@head + BILLING_HEAD:heads vs heads', heads.sqlscribe, whole.sqlscribe);
  assertSameToolState('Alembic: billing@head + BILLING_HEAD:heads vs heads', heads.alembic, whole.alembic);
});

parityTest('issue3: core@head, then billing@head from there; derived downgrades of each branch against Alembic\'s hand-written ones', 'issue3', async (_ctx, p) => {
  const core = await p.step('upgrade', 'core@head');
  assert.deepStrictEqual(core.alembic.versions, [CORE_HEAD]);
  assert.deepStrictEqual(core.alembic.catalog.schemas, ['public']);
  const both = await p.step('upgrade', `${CORE_HEAD}:billing@head`);
  assert.deepStrictEqual(both.alembic.versions, HEADS);
  assertHeadsCatalog(both.alembic);

  // One start of two heads, as Alembic's offline mode writes it. sqlscribe's version guard refuses that
  // script (the database holds both heads, the script expects exactly [BILLING_HEAD]), which is shown first;
  // compiled with --no-guard it does what Alembic's does. (The comma form from both heads, guarded, is below.)
  const guarded = await compileSqlscribe('issue3', 'downgrade', `${BILLING_HEAD}:${OWNER}`);
  const refused = await p.ours.psqlFile(guarded.file);
  assert.notEqual(refused.code, 0, 'the guard refuses a single-head start on a two-head database');
  assert.match(refused.stderr, new RegExp(`expects alembic_version holding exactly \\[${BILLING_HEAD}\\]; the database has \\[${CORE_HEAD}, ${BILLING_HEAD}\\]`));
  const owner = await p.step('downgrade', `${BILLING_HEAD}:${OWNER}`, { guard: false });
  assert.deepStrictEqual(owner.alembic.versions, [CORE_HEAD, OWNER].sort());
  assert.deepStrictEqual(
    [owner.alembic.catalog.tables['billing.invoices']?.columns.memo?.type, owner.alembic.catalog.tables['billing.invoices']?.columns.memo?.comment],
    ['text', null],
  );
  const users = await p.step('downgrade', `${CORE_HEAD}:${USERS}`, { guard: false });
  assert.deepStrictEqual(users.alembic.versions, [OWNER, USERS].sort());
  assert.deepStrictEqual(Object.keys(users.alembic.catalog.tables).sort(), ['billing.invoices', 'public.users']);
  // Not further: Alembic's offline mode starts a range at one revision and cannot see the other rows,
  // so a range that unmerges OWNER's dependency re-inserts USERS's row, which is already there.
});

parityTest('issue3: billing@head, its derived downgrade to billing@base keeps the dependency, then down to base', 'issue3', async (_ctx, p) => {
  const billing = await p.step('upgrade', 'billing@head');
  assert.deepStrictEqual(billing.alembic.versions, [BILLING_HEAD]);
  const unbilled = await p.step('downgrade', `${BILLING_HEAD}:billing@base`);
  // Unmerging re-creates the dependency's row, which stays when the billing branch is gone.
  assert.deepStrictEqual(unbilled.alembic.versions, [USERS]);
  assert.deepStrictEqual(unbilled.alembic.catalog.schemas, ['public'], 'the billing schema is dropped');
  assert.deepStrictEqual(Object.keys(unbilled.alembic.catalog.enums), ['public.user_status'], 'billing.currency is dropped');
  assert.deepStrictEqual(Object.keys(unbilled.alembic.catalog.tables), ['public.users']);
  p.assertBase(await p.step('downgrade', `${USERS}:base`));
});

parityTest('issue3: derived downgrades from both heads (sqlscribe only) land where Alembic\'s upgrade to the same revisions lands', 'issue3', async (ctx, p) => {
  await p.step('upgrade', 'heads');
  // Both heads named as the start, so the version rows are known exactly (Alembic's offline mode takes one).
  const owner = await p.sqlscribeOnly('downgrade', `${CORE_HEAD},${BILLING_HEAD}:${OWNER}`);
  assert.deepStrictEqual(owner.versions, [CORE_HEAD, OWNER].sort());
  // core down to its base while OWNER depends on it: core's row goes (OWNER's implies USERS), as Alembic does online.
  const users = await p.sqlscribeOnly('downgrade', `${CORE_HEAD},${OWNER}:${USERS}`);
  const atOwner = await ctx.pair();
  const ref = await atOwner.step('upgrade', OWNER);
  assert.deepStrictEqual(ref.alembic.versions, [OWNER]);
  assertSameState(`issue3: sqlscribe upgrade heads ; downgrade ${CORE_HEAD},${BILLING_HEAD}:${OWNER} ; downgrade ${CORE_HEAD},${OWNER}:${USERS} vs Alembic upgrade ${OWNER}`, users, ref.alembic);

  // core@base takes the billing revisions that depend on it along: billing's base stays.
  const invoices = await p.sqlscribeOnly('downgrade', `${OWNER}:core@base`);
  const atInvoices = await ctx.pair();
  const ref2 = await atInvoices.step('upgrade', INVOICES);
  assert.deepStrictEqual(ref2.alembic.versions, [INVOICES]);
  assertSameState(`issue3: sqlscribe ... ; downgrade ${OWNER}:core@base vs Alembic upgrade ${INVOICES}`, invoices, ref2.alembic);
});
