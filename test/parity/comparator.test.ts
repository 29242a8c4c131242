/**
 * The comparison the parity tests rely on must see differences: starting from two databases that
 * Alembic migrated identically, each small change below (a default, a comment, an index predicate, a
 * constraint, an enum label, a row, a version row, a dropped version table) must make
 * `assertSameState` fail, and undoing it must make it pass again.
 */
import assert from 'node:assert/strict';
import { assertSameState, compileAlembic, parityTest, readState } from './harness.js';

const MUTATIONS: [string, string, string][] = [
  ['a column default', `ALTER TABLE "Users" ALTER COLUMN "Select" SET DEFAULT 'OBrien'`, `ALTER TABLE "Users" ALTER COLUMN "Select" SET DEFAULT 'O''Brien'`],
  ['a column comment', `COMMENT ON COLUMN "Order Line".note IS 'O''Brien''s note.'`, `COMMENT ON COLUMN "Order Line".note IS 'O''Brien''s note'`],
  ['a table comment', `COMMENT ON TABLE "Users" IS 'x'`, `COMMENT ON TABLE "Users" IS NULL`],
  [
    'a partial index predicate',
    `DROP INDEX uq_order_open_per_user; CREATE UNIQUE INDEX uq_order_open_per_user ON "Order Line" (user_id) WHERE status = 'paid'`,
    `DROP INDEX uq_order_open_per_user; CREATE UNIQUE INDEX uq_order_open_per_user ON "Order Line" (user_id) WHERE status = 'new'`,
  ],
  ['a check constraint', `ALTER TABLE "Order Line" DROP CONSTRAINT ck_order_qty`, `ALTER TABLE "Order Line" ADD CONSTRAINT ck_order_qty CHECK (qty >= 0)`],
  ['an enum label', `ALTER TYPE priority ADD VALUE 'critical'`, `ALTER TABLE "Order Line" DROP COLUMN priority; DROP TYPE priority; CREATE TYPE priority AS ENUM ('low', 'urgent', 'high'); ALTER TABLE "Order Line" ADD COLUMN priority priority`],
  ['a row', `UPDATE "Users" SET "Select" = 'x' WHERE id = 2`, `UPDATE "Users" SET "Select" = NULL WHERE id = 2`],
  ['a version row', `INSERT INTO alembic_version VALUES ('zzzz')`, `DELETE FROM alembic_version WHERE version_num = 'zzzz'`],
  ['a column type', `ALTER TABLE "Users" ALTER COLUMN "user" TYPE varchar(121)`, `ALTER TABLE "Users" ALTER COLUMN "user" TYPE varchar(120)`],
];

parityTest('comparator: every small difference between two databases is caught', 'linear', async (_ctx, p) => {
  const script = await compileAlembic('linear', 'upgrade', 'head');
  for (const db of [p.ours, p.theirs]) assert.equal((await db.psqlFile(script.file)).code, 0);
  const reference = await readState(p.theirs);
  assertSameState('identical databases', await readState(p.ours), reference);
  for (const [what, change, undo] of MUTATIONS) {
    await p.ours.exec(change);
    const changed = await readState(p.ours);
    assert.throws(() => assertSameState(what, changed, reference), assert.AssertionError, `a difference in ${what} was not caught`);
    await p.ours.exec(undo);
    assertSameState(`after undoing ${what}`, await readState(p.ours), reference);
  }
  // A dropped version table (Alembic 1.8 at base) is only equal to a kept, empty one of the same shape.
  const keptShape = reference.versionTable;
  await p.theirs.exec('DROP TABLE alembic_version');
  const dropped = await readState(p.theirs);
  assert.throws(() => assertSameState('version rows remain', reference, dropped, keptShape), assert.AssertionError);
  await p.ours.exec('DELETE FROM alembic_version');
  assertSameState('kept and empty vs dropped', await readState(p.ours), dropped, keptShape);
  await p.ours.exec('DROP TABLE alembic_version');
  assert.throws(() => assertSameState('both dropped', { ...dropped }, dropped, keptShape), assert.AssertionError);
});
