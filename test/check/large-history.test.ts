/**
 * Size: a 10,000-revision history (tables with keys, foreign keys, enum columns, indexes, renames, type
 * changes, drops) replays on the schema model, compiles a script at its end, and is checked whole, with
 * no recursion and no error. Nothing here is timed: speed is measured by the benchmark in `bench/`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { revisionInputs } from '../../src/cli/project.js';
import { getDialect } from '../../src/dialects/index.js';
import type { LoadedMigration } from '../../src/load/migrations.js';
import { column, migration, op, sql, t } from '../../src/ops/builders.js';
import type { Op } from '../../src/ops/types.js';
import { checkHistory } from '../../src/plan/check.js';
import { compilePlan } from '../../src/plan/compile.js';
import { dialectTemplates } from '../../src/render/templates.js';
import { RevisionMap, planDowngrade, planUpgrade } from '../../src/revision/index.js';

const N = 10_000;
const id = (i: number) => `r${String(i).padStart(5, '0')}`;
const templates = dialectTemplates('postgresql');
const dialect = getDialect('postgresql');
const mood = t.enum(['ok', 'bad'], { name: 'mood' });

/** Revision i's ops: a new table every 10th revision, then columns, indexes and changes on it. */
function opsOf(i: number): Op[] {
  const table = `t${Math.floor(i / 10)}`;
  const k = i % 10;
  if (k === 0) {
    const prev = i === 0 ? [] : [column('prev_id', t.integer(), { references: { table: `t${Math.floor(i / 10) - 1}`, column: 'id', onDelete: 'CASCADE' } })];
    return [
      op.createTable(table, [column('id', t.integer(), { primaryKey: true }), column('name', t.string(50), { nullable: false, unique: true }), column('m', mood), ...prev], { comment: `table ${i}` }),
      op.createIndex(`ix_${table}_name_m`, table, ['name', 'm']),
    ];
  }
  const c = `c${k}`;
  switch (k) {
    case 1:
    case 2:
    case 3:
      return [op.addColumn(table, column(c, t.integer(), { serverDefault: 0 })), op.createIndex(`ix_${table}_${c}`, table, [c])];
    case 4:
      return [op.alterColumn(table, 'c1', { type: t.bigInteger(), comment: 'wider' }), op.createCheckConstraint(`ck_${table}_c2`, table, sql`c2 >= 0`)];
    case 5:
      return [op.dropColumn(table, 'c3')];
    case 6:
      return [op.alterColumn(table, 'name', { newName: 'title', type: t.string(80) })];
    case 7:
      return [op.dropIndex(`ix_${table}_name_m`), op.dropConstraint(`ck_${table}_c2`, table)];
    case 8:
      return [op.bulkInsert(table, [{ title: `n${i}` }])];
    default:
      return [op.execute(`UPDATE ${table} SET c1 = c1 + 1`)];
  }
}

const migrations: LoadedMigration[] = Array.from({ length: N }, (_, i) => ({
  file: `migrations/${id(i)}.ts`,
  absoluteFile: `/m/${id(i)}.ts`,
  sha256: '',
  migration: migration({
    revision: id(i),
    down: i === 0 ? null : id(i - 1),
    message: `revision ${i}`,
    upgrade: opsOf(i),
    // bulkInsert and execute have no inverse: their migrations write a downgrade, as a user must.
    ...(i % 10 >= 8 ? { downgrade: [] } : {}),
  }),
}));
const map = RevisionMap.build(revisionInputs(migrations));
const byRevision = new Map(migrations.map((m) => [m.migration.revision, m] as const));
const compile = (plan: ReturnType<typeof planUpgrade>) =>
  compilePlan({ dialect, templates, map, migrations: byRevision, plan, header: { tool: 't', version: '0', dialect: 'postgresql', command: plan.command, range: plan.range, lines: [] }, versionTable: { name: 'alembic_version' }, transactionPerMigration: false });

test('10,000 revisions: replay to the end and compile the last step, derive its downgrade, check everything', () => {
  compile(planUpgrade(map, `${id(N - 3)}:${id(N - 2)}`)); // warm-up (JIT, templates)
  const up = compile(planUpgrade(map, `${id(N - 2)}:head`));
  assert.match(up, new RegExp(`^-- Running upgrade ${id(N - 2)} -> ${id(N - 1)}$`, 'm'));
  const last = N - 1 - ((N - 1) % 10) + 7; // a revision with a derived downgrade: t999's dropIndex/dropConstraint
  const down = compile(planDowngrade(map, `head:${id(last - 1)}`));
  assert.match(down, /^CREATE INDEX ix_t999_name_m ON t999 \(title, m\);$/m);
  assert.match(down, /^ALTER TABLE t999 ADD CONSTRAINT ck_t999_c2 CHECK \(c2 >= 0\);$/m);
  const report = checkHistory({ dialect, templates, map, migrations: byRevision });
  assert.deepEqual(report.errors, []);
});

test('10,000 revisions in one wide branch point: check replays every branch from the shared root', () => {
  const root: LoadedMigration = {
    file: 'migrations/root.ts',
    absoluteFile: '/m/root.ts',
    sha256: '',
    migration: migration({ revision: 'root', down: null, message: 'root', upgrade: Array.from({ length: 200 }, (_, i) => op.createTable(`base${i}`, [column('id', t.integer(), { primaryKey: true }), column('a', t.text())])) }),
  };
  const leaves: LoadedMigration[] = Array.from({ length: N }, (_, i) => ({
    file: `migrations/leaf${i}.ts`,
    absoluteFile: `/m/leaf${i}.ts`,
    sha256: '',
    migration: migration({ revision: `leaf${i}`, down: 'root', message: 'leaf', upgrade: [op.dropColumn(`base${i % 200}`, 'a'), op.createTable(`own${i}`, [column('id', t.integer())])] }),
  }));
  const all = [root, ...leaves];
  const wide = RevisionMap.build(revisionInputs(all));
  const report = checkHistory({ dialect, templates, map: wide, migrations: new Map(all.map((m) => [m.migration.revision, m] as const)) });
  assert.deepEqual(report.errors, []);
});
