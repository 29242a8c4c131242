/**
 * The lint API: the shape of a finding, `formatFinding`, op order, the state left untouched, downgrade
 * lists, dialects, and the rule table.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatFinding, lintMigration, lintRevision, RULES, type Finding } from '../../src/lint/index.js';
import { column, op, sql, t } from '../../src/ops/builders.js';
import { SITE, USERS, lint, rulesOf, stateOf } from './support.js';

describe('lint API', () => {
  test('a finding carries the rule, severity, site, list, 1-based op and op kind', () => {
    const [f] = lint([op.execute('SELECT 1'), op.createIndex('ix_users_name', 'users', ['name'])]);
    assert.deepEqual(f, {
      rule: 'require-concurrent-index-creation',
      severity: 'warning',
      file: 'migrations/abc123_change.ts',
      revision: 'abc123',
      list: 'upgrade',
      op: 2,
      kind: 'createIndex',
      message:
        'creating index ix_users_name on users without concurrently holds a SHARE lock that blocks inserts, updates and deletes on users until the index is built; pass { concurrently: true } (sqlscribe then runs it outside the transaction)',
    } satisfies Finding);
  });

  test('formatFinding: one line, site first, as `check` prints it and the header shows it', () => {
    const [f] = lint([op.execute('SELECT 1'), op.createIndex('ix_users_name', 'users', ['name'])]);
    assert.equal(
      formatFinding(f!),
      'migrations/abc123_change.ts (revision abc123, upgrade op 2 createIndex): require-concurrent-index-creation: creating index ix_users_name on users without concurrently holds a SHARE lock that blocks inserts, updates and deletes on users until the index is built; pass { concurrently: true } (sqlscribe then runs it outside the transaction)',
    );
    const [d] = lint([op.dropTable('users')], { list: 'downgrade' });
    assert.match(formatFinding(d!), /^migrations\/abc123_change\.ts \(revision abc123, downgrade op 1 dropTable\): ban-drop-table: dropping table users /);
  });

  test('findings are in op order, and within an op in the order of its statements', () => {
    const findings = lint([
      op.alterColumn('users', 'email', { type: t.string(10), nullable: false, newName: 'mail' }),
      op.dropColumn('users', 'bio'),
      op.createIndex('ix', 'users', ['name']),
    ]);
    assert.deepEqual(rulesOf(findings), [
      [1, 'narrowing-column-type'],
      [1, 'changing-column-type'],
      [1, 'adding-not-nullable-field'],
      [1, 'renaming-column'],
      [2, 'ban-drop-column'],
      [3, 'require-concurrent-index-creation'],
    ]);
  });

  test('severity: error for data loss and statements that fail on a table with rows, warning otherwise', () => {
    const findings = lint([op.dropTable('users'), op.createIndex('ix', 'users', ['name'])], { existing: [...USERS, op.createTable('other', [column('id', t.integer())])] });
    assert.deepEqual(findings.map((f) => [f.rule, f.severity]), [['ban-drop-table', 'error']]); // users is gone for op 2
    assert.deepEqual(
      RULES.filter((r) => r.severity === 'error').map((r) => r.name),
      ['ban-drop-table', 'ban-drop-column', 'narrowing-column-type', 'adding-required-field'],
    );
  });

  test('the state before the migration is not changed', () => {
    const before = stateOf(USERS);
    const snapshot = JSON.stringify([...before.tables].map(([k, v]) => [k, v.name, [...v.columns.keys()]]));
    lintMigration({
      ops: [op.dropColumn('users', 'bio'), op.renameTable('users', 'people'), op.addColumn('people', column('x', t.text())), op.createTable('a', [column('id', t.integer())])],
      before,
      dialect: 'postgresql',
      site: SITE,
    });
    assert.equal(JSON.stringify([...before.tables].map(([k, v]) => [k, v.name, [...v.columns.keys()]])), snapshot);
  });

  test('lintRevision: the downgrade is linted against the state after the upgrade, where the upgrade’s tables exist', () => {
    const upgrade = [op.createTable('accounts', [column('id', t.integer(), { primaryKey: true })]), op.addColumn('users', column('account_id', t.integer()))];
    const downgrade = [op.dropColumn('users', 'account_id'), op.dropTable('accounts')];
    const findings = lintRevision({ upgrade, downgrade, before: stateOf(USERS), dialect: 'postgresql', site: SITE });
    assert.deepEqual(findings.map((f) => [f.list, f.op, f.rule]), [
      ['downgrade', 1, 'ban-drop-column'],
      ['downgrade', 2, 'ban-drop-table'],
    ]);
    assert.deepEqual(lintRevision({ upgrade, before: stateOf(USERS), dialect: 'postgresql', site: SITE }), []);
  });

  test('lintMigration with list: downgrade marks the findings', () => {
    assert.deepEqual(lint([op.dropColumn('users', 'bio')], { list: 'downgrade' }).map((f) => [f.list, f.op, f.rule]), [['downgrade', 1, 'ban-drop-column']]);
  });

  test('other dialects get the drop and rename rules only (locks and rewrites are PostgreSQL’s)', () => {
    const ops = [
      op.createIndex('ix', 'users', ['name']),
      op.alterColumn('users', 'email', { type: t.string(10), nullable: false }),
      op.addColumn('users', column('x', t.text(), { serverDefault: sql`random()` })),
      op.alterColumn('users', 'name', { newName: 'full_name' }),
      op.renameTable('users', 'people'),
      op.dropColumn('people', 'bio'),
      op.dropTable('people'),
    ];
    for (const dialect of ['sqlite', 'mysql', 'mariadb'] as const) {
      assert.deepEqual(rulesOf(lint(ops, { dialect })), [
        [4, 'renaming-column'],
        [5, 'renaming-table'],
        [6, 'ban-drop-column'],
        [7, 'ban-drop-table'],
      ], dialect);
    }
  });

  test('messages are one line, even with names that hold line breaks', () => {
    const [f] = lint([op.dropColumn('users', 'odd\nname')], { existing: [op.createTable('users', [column('odd\nname', t.text())])] });
    assert.ok(f);
    assert.doesNotMatch(f.message, /[\r\n]/);
    assert.doesNotMatch(formatFinding(f), /[\r\n]/);
  });

  test('ops that are not linted: raw SQL, bulk inserts, comments, schemas, enums', () => {
    assert.deepEqual(
      lint([
        op.execute('DROP TABLE users'),
        op.bulkInsert('users', [{ id: 1 }]),
        op.createTableComment('users', 'people'),
        op.createSchema('s'),
        op.createEnum('e', ['a']),
        op.dropConstraint('users_pkey', 'users'),
      ]),
      [],
    );
  });
});

describe('rule table', () => {
  test('every rule once, each with a trigger and a reference; squawk’s names where squawk has the rule', () => {
    const names = RULES.map((r) => r.name);
    assert.equal(new Set(names).size, names.length);
    for (const r of RULES) {
      assert.match(r.name, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(r.trigger.length > 20 && r.reference.length > 10, r.name);
    }
    assert.deepEqual(RULES.filter((r) => r.origin === 'sqlscribe').map((r) => r.name), ['narrowing-column-type']);
    assert.deepEqual(RULES.filter((r) => r.dialects === 'any').map((r) => r.name), ['ban-drop-table', 'ban-drop-column', 'renaming-table', 'renaming-column']);
  });
});
