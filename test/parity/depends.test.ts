/**
 * Parity on two bases joined by depends_on (test/fixtures/parity/depends): the main line
 * b0c1 -> 6e7f, and a second base 2c3d labelled 'audit' whose child d4e5 depends on b0c1 (it adds a
 * foreign key to items). Targets by branch label (audit@head, audit@base) and `heads`.
 */
import assert from 'node:assert/strict';
import { assertEmptyAtBase, assertSameToolState, parityTest } from './harness.js';

const ITEMS = 'b0c1d2e3f401'; // main base
const LABEL = '6e7f8091a212'; // main head
const AUDIT = '2c3d4e5f6a01'; // second base, branch label 'audit'
const AUDIT_REF = 'd4e5f6a7b812'; // audit head, depends_on ITEMS

parityTest('depends: audit@head pulls in its dependency; then up to heads; equals upgrade heads', 'depends', async (ctx, p) => {
  const audit = await p.step('upgrade', 'audit@head');
  // The dependency's row is consumed by the dependent revision, as at a merge point.
  assert.deepStrictEqual(audit.alembic.versions, [AUDIT_REF]);
  assert.ok(audit.alembic.catalog.tables['public.items'], 'the dependency ran');
  const heads = await p.step('upgrade', `${AUDIT_REF}:heads`);
  assert.deepStrictEqual(heads.alembic.versions, [LABEL, AUDIT_REF].sort());

  const one = await ctx.pair();
  const whole = await one.step('upgrade', 'heads');
  assertSameToolState('sqlscribe: audit@head + AUDIT_REF:heads vs heads', heads.sqlscribe, whole.sqlscribe);
  assertSameToolState('Alembic: audit@head + AUDIT_REF:heads vs heads', heads.alembic, whole.alembic);
});

parityTest('depends: upgrade to the dependency first, then to audit@head; equals upgrade audit@head', 'depends', async (ctx, p) => {
  assert.deepStrictEqual((await p.step('upgrade', `base:${ITEMS}`)).alembic.versions, [ITEMS]);
  const chained = await p.step('upgrade', `${ITEMS}:audit@head`);
  assert.deepStrictEqual(chained.alembic.versions, [AUDIT_REF]);
  const one = await ctx.pair();
  const whole = await one.step('upgrade', 'audit@head');
  assertSameToolState('sqlscribe: base:ITEMS + ITEMS:audit@head vs audit@head', chained.sqlscribe, whole.sqlscribe);
  assertSameToolState('Alembic: base:ITEMS + ITEMS:audit@head vs audit@head', chained.alembic, whole.alembic);
});

parityTest('depends: downgrade the labelled branch to audit@base, then the rest to base, then up to heads', 'depends', async (_ctx, p) => {
  await p.step('upgrade', 'audit@head');
  const audit = await p.step('downgrade', `${AUDIT_REF}:audit@base`);
  // Unmerging re-creates the dependency's row, which stays when the audit branch is gone.
  assert.deepStrictEqual(audit.alembic.versions, [ITEMS]);
  assert.equal(audit.alembic.catalog.tables['audit.audit_log'], undefined);
  assert.deepStrictEqual(audit.alembic.catalog.schemas, ['public'], 'the audit schema is dropped');
  p.assertBase(await p.step('downgrade', `${ITEMS}:base`));
  const again = await p.step('upgrade', 'heads');
  assert.deepStrictEqual(again.alembic.versions, [LABEL, AUDIT_REF].sort());
});

parityTest('depends: downgrade from the dependent head to base in one range', 'depends', async (_ctx, p) => {
  await p.step('upgrade', 'audit@head');
  p.assertBase(await p.step('downgrade', `${AUDIT_REF}:base`));
});

parityTest('depends: downgrade heads:base from two heads (sqlscribe only: Alembic --sql takes one start)', 'depends', async (_ctx, p) => {
  const up = await p.step('upgrade', 'heads');
  assert.deepStrictEqual(up.alembic.versions, [LABEL, AUDIT_REF].sort());
  // Alembic 1.8 refuses 'heads' as the start of an offline range when there are two heads ("Multiple head
  // revisions are present"), so only sqlscribe's side runs; it must leave an empty version table of
  // Alembic's shape, and no table, schema, enum type or sequence.
  const base = await p.sqlscribeOnly('downgrade', 'heads:base');
  assertEmptyAtBase('sqlscribe downgrade heads:base from two heads', base, { versionTable: 'kept' });
  assert.deepStrictEqual(base.versionTable, p.alembicVersionTable, "the kept version table has Alembic's shape");
});
