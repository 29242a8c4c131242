/**
 * Parity on the linear history (test/fixtures/parity/linear): reserved-word and mixed-case identifiers,
 * quoted literals in defaults, comments and bulk inserts, a `transactional: false` migration, enum types, a foreign key ON DELETE CASCADE,
 * check constraints, partial/unique/expression indexes, a column type change with USING, drops and
 * renames; derived downgrades (9a4b..., 0b7e..., f3a1...) next to hand-written ones.
 */
import assert from 'node:assert/strict';
import { assertSameToolState, parityTest } from './harness.js';

const USERS = 'f3a1c0d9e801'; // create "Users"
const ORDER = '0b7e2d4c9a12'; // create "order" + enum order_status (derived downgrade drops both)
const SEED = '5d9c1e7f2b23'; // bulk inserts (hand-written downgrade)
const INDEXES = '9a4b8c2d1e34'; // indexes, checks, enum priority, column with quoted default (derived)
const ALTER = 'c2e7f9a0b345'; // column type change etc. (hand-written downgrade)
const DROP = '7f1d3b5a9c56'; // drops and renames (hand-written downgrade)
const URGENT = '2d4f6b8a0c78'; // transactional: false, adds an enum label (downgrade: [])

parityTest('linear: upgrade head, down to a middle revision, up again, down to base, up again', 'linear', async (_ctx, p) => {
  const first = await p.step('upgrade', 'head');
  assert.deepStrictEqual(first.alembic.versions, [URGENT]);
  assert.deepStrictEqual(first.alembic.catalog.enums['public.priority']?.labels, ['low', 'urgent', 'high']);
  assert.ok(first.alembic.catalog.tables['public.Order Line'], 'the history ends with the table renamed to "Order Line"');
  assert.equal(first.alembic.data['public.Users']?.rows.length, 3, 'the seed rows are there');

  const mid = await p.step('downgrade', `head:${ORDER}`);
  assert.deepStrictEqual(mid.alembic.versions, [ORDER]);
  assert.deepStrictEqual(Object.keys(mid.alembic.catalog.enums), ['public.order_status'], 'the priority enum is dropped by the derived downgrade');

  await p.step('upgrade', `${ORDER}:head`);
  const base = await p.step('downgrade', 'head:base');
  p.assertBase(base);

  const again = await p.step('upgrade', 'head');
  assertSameToolState('sqlscribe: upgrading again after a downgrade to base', again.sqlscribe, first.sqlscribe);
  assertSameToolState('Alembic: upgrading again after a downgrade to base', again.alembic, first.alembic);
});

parityTest('linear: one revision at a time, up to head and back down to base', 'linear', async (_ctx, p) => {
  const chain = [USERS, ORDER, SEED, INDEXES, ALTER, DROP, URGENT];
  let from = 'base';
  for (const rev of chain) {
    const r = await p.step('upgrade', `${from}:${rev}`);
    assert.deepStrictEqual(r.alembic.versions, [rev]);
    from = rev;
  }
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    const to = i === 0 ? 'base' : chain[i - 1]!;
    const r = await p.step('downgrade', `${chain[i]}:${to}`);
    if (to === 'base') p.assertBase(r);
    else assert.deepStrictEqual(r.alembic.versions, [to]);
  }
});

parityTest('linear: relative targets and id prefixes (+2, REV:+2, head:-3, prefix:prefix)', 'linear', async (_ctx, p) => {
  assert.deepStrictEqual((await p.step('upgrade', '+2')).alembic.versions, [ORDER]);
  assert.deepStrictEqual((await p.step('upgrade', `${ORDER}:+2`)).alembic.versions, [INDEXES]);
  assert.deepStrictEqual((await p.step('upgrade', `${INDEXES.slice(0, 4)}:head`)).alembic.versions, [URGENT]);
  assert.deepStrictEqual((await p.step('downgrade', 'head:-3')).alembic.versions, [INDEXES]);
  assert.deepStrictEqual((await p.step('downgrade', `${INDEXES.slice(0, 4)}:${USERS.slice(0, 4)}`)).alembic.versions, [USERS]);
});

parityTest('linear: two chained ranges leave exactly what one range leaves', 'linear', async (ctx, one) => {
  const whole = await one.step('upgrade', 'head');
  for (const split of [SEED, ALTER, DROP]) {
    const two = await ctx.pair();
    await two.step('upgrade', `base:${split}`);
    const chained = await two.step('upgrade', `${split}:head`);
    assertSameToolState(`sqlscribe: upgrade base:${split} + ${split}:head vs upgrade head`, chained.sqlscribe, whole.sqlscribe);
    assertSameToolState(`Alembic: upgrade base:${split} + ${split}:head vs upgrade head`, chained.alembic, whole.alembic);
  }
  // And downwards: head:X + X:base equals head:base.
  const downWhole = await one.step('downgrade', 'head:base');
  const two = await ctx.pair();
  await two.step('upgrade', 'head');
  await two.step('downgrade', `head:${INDEXES}`);
  const downChained = await two.step('downgrade', `${INDEXES}:base`);
  two.assertBase(downChained);
  assertSameToolState('sqlscribe: downgrade head:X + X:base vs head:base', downChained.sqlscribe, downWhole.sqlscribe);
  assertSameToolState('Alembic: downgrade head:X + X:base vs head:base', downChained.alembic, downWhole.alembic);
});
