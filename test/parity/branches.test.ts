/**
 * Parity on the branchy history (test/fixtures/parity/branches): a branch point (3e5a...), two
 * branches — one creates reserved-word tables with foreign keys ON DELETE CASCADE, the other builds
 * indexes CONCURRENTLY (outside the transaction) — a merge point with ops of its own (a7c9...), and a
 * revision after it. Every downgrade here is derived by sqlscribe.
 */
import assert from 'node:assert/strict';
import { assertSameToolState, parityTest } from './harness.js';

const BASE = '3e5a7c9b1d01'; // branch point
const GROUP = '4a6c8e0f2b12'; // branch 1
const INDEXES = '8d2f4b6a0c23'; // branch 2 (CREATE INDEX CONCURRENTLY)
const MERGE = 'a7c9e1b3d534'; // merge point (down: [GROUP, INDEXES])
const HEAD = 'e1b3d5f7a945';

parityTest('branches: upgrade head, down through the merge point to the branch point, to base, up again', 'branches', async (_ctx, p) => {
  const first = await p.step('upgrade', 'head');
  assert.deepStrictEqual(first.alembic.versions, [HEAD]);
  assert.ok(first.alembic.catalog.tables['public.accounts']?.indexes['ix_accounts_email_lower']?.valid, 'the concurrent index is built and valid');

  assert.deepStrictEqual((await p.step('downgrade', `head:${MERGE}`)).alembic.versions, [MERGE]);
  const split = await p.step('downgrade', `${MERGE}:${BASE}`);
  assert.deepStrictEqual(split.alembic.versions, [BASE]);
  p.assertBase(await p.step('downgrade', `${BASE}:base`));
  const again = await p.step('upgrade', 'head');
  assertSameToolState('sqlscribe: upgrading again after a downgrade to base', again.sqlscribe, first.sqlscribe);
});

parityTest('branches: downgrade heads:base in one range, across the merge and branch points', 'branches', async (_ctx, p) => {
  await p.step('upgrade', 'heads');
  p.assertBase(await p.step('downgrade', 'heads:base'));
});

parityTest('branches: unmerge — downgrade from the merge point to one parent leaves both branch heads', 'branches', async (ctx, p) => {
  await p.step('upgrade', 'head');
  const toGroup = await p.step('downgrade', `head:${GROUP}`);
  assert.deepStrictEqual(toGroup.alembic.versions, [GROUP, INDEXES].sort());

  const q = await ctx.pair();
  await q.step('upgrade', 'head');
  const toIndexes = await q.step('downgrade', `${HEAD}:${INDEXES}`);
  assert.deepStrictEqual(toIndexes.alembic.versions, [GROUP, INDEXES].sort());
  assertSameToolState('sqlscribe: unmerging to either parent gives the same database', toIndexes.sqlscribe, toGroup.sqlscribe);
});

parityTest('branches: sibling ranges — one branch, then the other (two heads)', 'branches', async (_ctx, p) => {
  assert.deepStrictEqual((await p.step('upgrade', `base:${INDEXES}`)).alembic.versions, [INDEXES]);
  const both = await p.step('upgrade', `${INDEXES}:${GROUP}`);
  assert.deepStrictEqual(both.alembic.versions, [GROUP, INDEXES].sort());
});

parityTest('branches: two chained ranges across the merge point equal one', 'branches', async (ctx, one) => {
  const whole = await one.step('upgrade', 'head');
  for (const split of [GROUP, INDEXES, MERGE]) {
    const two = await ctx.pair();
    await two.step('upgrade', `base:${split}`);
    const chained = await two.step('upgrade', `${split}:head`);
    assertSameToolState(`sqlscribe: upgrade base:${split} + ${split}:head vs upgrade head`, chained.sqlscribe, whole.sqlscribe);
    assertSameToolState(`Alembic: upgrade base:${split} + ${split}:head vs upgrade head`, chained.alembic, whole.alembic);
  }
});
