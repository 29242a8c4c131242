import { test } from 'node:test';
import assert from 'node:assert/strict';
import { column, op, sql, t } from '../../src/ops/builders.js';
import { deriveDowngrade } from '../../src/plan/inverse.js';
import { SchemaState } from '../../src/state/schema.js';
import { SiteError } from '../../src/errors.js';

const site = { file: 'migrations/a1_x.ts', revision: 'a1a1' };
const status = t.enum(['queued', 'done'], { name: 'task_status' });

test('derived downgrade: each inverse in reverse order', () => {
  const upgrade = [
    op.createSchema('audit'),
    op.createTable('runs', [column('id', t.integer(), { primaryKey: true }), column('status', status)], { schema: 'audit' }),
    op.addColumn('runs', column('note', t.text()), { schema: 'audit' }),
    op.createIndex('ix_runs_note', 'runs', ['note'], { schema: 'audit', concurrently: true }),
    op.createPrimaryKey('pk_x', 'x', ['id']),
    op.createUniqueConstraint('uq_x', 'x', ['a']),
    op.createCheckConstraint('ck_x', 'x', sql`a > 0`),
    op.createForeignKey('fk_x', 'x', 'y', ['y_id'], ['id'], { sourceSchema: 's1', referentSchema: 's2' }),
    op.renameTable('x', 'z'),
    op.alterColumn('z', 'a', { newName: 'b' }),
    op.createEnum('mood', ['ok']),
  ];
  assert.deepEqual(deriveDowngrade(upgrade, new SchemaState(), site), [
    op.dropEnum('mood'),
    op.alterColumn('z', 'b', { newName: 'a' }),
    op.renameTable('z', 'x'),
    op.dropConstraint('fk_x', 'x', { type: 'foreignkey', schema: 's1' }),
    op.dropConstraint('ck_x', 'x', { type: 'check' }),
    op.dropConstraint('uq_x', 'x', { type: 'unique' }),
    op.dropConstraint('pk_x', 'x', { type: 'primary' }),
    op.dropIndex('ix_runs_note', { table: 'runs', schema: 'audit', concurrently: true }),
    op.dropColumn('runs', 'note', { schema: 'audit' }),
    op.dropTable('runs', { schema: 'audit' }),
    op.dropSchema('audit'),
  ]);
});

test('an enum type created on first use is released after its last use; an explicit one is not', () => {
  const state = new SchemaState();
  state.apply(op.createEnum('mood', ['ok']));
  state.apply(op.createTable('a', [column('s', status), column('m', t.enum(['ok'], { name: 'mood' }))]));
  state.apply(op.addColumn('b', column('s', status)));
  state.apply(op.createTable('b', [column('id', t.integer())]));
  state.apply(op.addColumn('b', column('s', t.array(status))));
  state.apply(op.dropTable('a'));
  assert.deepEqual(state.releaseUnusedEnums(), []);
  state.apply(op.alterColumn('b', 's', { type: t.text() }));
  assert.deepEqual(state.releaseUnusedEnums(), [status]);
  assert.equal(state.enumExists(status), false);
  assert.equal(state.enumExists(t.enum(['ok'], { name: 'mood' }) as never), true);
});

test('an op whose inverse needs what the model does not have asks for a downgrade, naming file, revision and op', () => {
  assert.throws(
    () => deriveDowngrade([op.addColumn('t', column('a', t.text())), op.dropColumn('t', 'b')], new SchemaState(), site),
    (err: unknown) =>
      err instanceof SiteError &&
      err.message === `migrations/a1_x.ts (revision a1a1, upgrade op 2 dropColumn): cannot derive the downgrade of dropColumn: column "b" of table "t" does not exist — write a 'downgrade' list for this migration`,
  );
  assert.throws(
    () => deriveDowngrade([op.alterColumn('t', 'a', { nullable: false, newName: 'b' })], new SchemaState(), site),
    { message: `migrations/a1_x.ts (revision a1a1, upgrade op 1 alterColumn): cannot derive the downgrade of alterColumn: column "a" of table "t" does not exist — write a 'downgrade' list for this migration` },
  );
});

test('execute and bulkInsert make a migration irreversible unless it writes a downgrade', () => {
  for (const o of [op.execute('UPDATE t SET a = 1'), op.bulkInsert('t', [{ a: 1 }])]) {
    assert.throws(() => deriveDowngrade([o], new SchemaState(), site), {
      message: `migrations/a1_x.ts (revision a1a1, upgrade op 1 ${o.kind}): ${o.kind} has no inverse, so this migration is irreversible — write a 'downgrade' list for it (op.execute(...) with the SQL that undoes it, or [] if nothing needs undoing)`,
    });
  }
});
