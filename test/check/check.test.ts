/**
 * `sqlscribe check`: every revision replayed against the state its own ancestors build, every problem
 * reported (not just the first), every downgrade derived and validated; `--json`; the lint hook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openProject } from '../../src/cli/project.js';
import { getDialect } from '../../src/dialects/index.js';
import { checkHistory } from '../../src/plan/check.js';
import { dialectTemplates } from '../../src/render/templates.js';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';

const users = migrationSource('a1a1', null, "upgrade: [op.createTable('users', [column('id', t.integer(), { primaryKey: true }), column('email', t.string(255))])]");

function stderrLines(r: { stderr: string }): string[] {
  return r.stderr.split('\n').filter(Boolean);
}

test('a clean history: its lint findings, then the one-line answer; --strict fails on findings', async () => {
  const dir = scratchProject({ 'migrations/a1.ts': users, 'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.dropColumn('users', 'email')]") });
  const finding =
    'migrations/b2.ts (revision b2b2, upgrade op 1 dropColumn): ban-drop-column: dropping column users.email deletes its data, and running code that still reads or writes it fails; deploy code that no longer uses email first, then drop it in a later migration';
  const r = await sqlscribe(dir, 'check');
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, `error: ${finding}\nok: 2 revisions, head: b2b2, 1 lint finding\n`, '']);
  const json = await sqlscribe(dir, 'check', '--json');
  assert.equal(json.code, 0);
  assert.deepEqual(JSON.parse(json.stdout), {
    ok: true,
    revisions: 2,
    heads: ['b2b2'],
    errors: [],
    findings: [{ rule: 'ban-drop-column', severity: 'error', file: 'migrations/b2.ts', revision: 'b2b2', list: 'upgrade', op: 1, kind: 'dropColumn', message: finding.slice(finding.indexOf('dropping')) }],
  });
  const strict = await sqlscribe(dir, 'check', '--strict');
  assert.deepEqual([strict.code, strict.stderr], [1, 'sqlscribe: error: check found 1 lint finding and --strict is set\n']);
  const quiet = scratchProject({ 'migrations/a1.ts': users });
  assert.deepEqual((await sqlscribe(quiet, 'check', '--strict')).stdout, 'ok: 1 revisions, head: a1a1\n');
});

test('every error of every head is reported, by revision in topological order, then the count; --json gives each with its place and kind', async () => {
  const dir = scratchProject({
    'migrations/a1.ts': users,
    // Head 1: two errors in one revision, and one in its child.
    'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.addColumn('usres', column('a', t.text())), op.createIndex('ix_users_mail', 'users', ['mail'])]"),
    'migrations/c3.ts': migrationSource('c3c3', 'b2b2', "upgrade: [op.dropTable('orders')]"),
    // Head 2: a hand-written downgrade that names a column that is not there after the upgrade.
    'migrations/d4.ts': migrationSource('d4d4', 'a1a1', "upgrade: [op.addColumn('users', column('nick', t.text()))],\n  downgrade: [op.dropColumn('users', 'nik')]"),
  });
  const r = await sqlscribe(dir, 'check');
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.deepEqual(stderrLines(r), [
    'sqlscribe: error: migrations/b2.ts (revision b2b2, upgrade op 1 addColumn): table "usres" does not exist — did you mean "users"?',
    'sqlscribe: error: migrations/b2.ts (revision b2b2, upgrade op 2 createIndex): column "mail" of table "users" does not exist — did you mean "email"?',
    'sqlscribe: error: migrations/d4.ts (revision d4d4, downgrade op 1 dropColumn): column "nik" of table "users" does not exist — did you mean "nick"?',
    'sqlscribe: error: migrations/c3.ts (revision c3c3, upgrade op 1 dropTable): table "orders" does not exist',
    'sqlscribe: error: check found 4 errors in 3 of 4 revisions',
  ]);
  const json = await sqlscribe(dir, 'check', '--json');
  assert.equal(json.code, 1);
  assert.equal(json.stderr, 'sqlscribe: error: check found 4 errors in 3 of 4 revisions\n');
  const report = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(report), ['ok', 'revisions', 'heads', 'errors', 'findings']);
  assert.deepEqual([report.ok, report.revisions, report.heads], [false, 4, ['c3c3', 'd4d4']]);
  assert.deepEqual(
    report.findings.map((f: { revision: string; list: string; op: number; rule: string }) => `${f.revision} ${f.list} ${f.op} ${f.rule}`),
    ['b2b2 upgrade 2 require-concurrent-index-creation', 'c3c3 upgrade 1 ban-drop-table', 'd4d4 downgrade 1 ban-drop-column'],
  );
  assert.deepEqual(report.errors[0], {
    file: 'migrations/b2.ts',
    revision: 'b2b2',
    list: 'upgrade',
    op: 1,
    kind: 'unknown-table',
    message: 'migrations/b2.ts (revision b2b2, upgrade op 1 addColumn): table "usres" does not exist — did you mean "users"?',
  });
  assert.deepEqual(
    report.errors.map((e: { revision: string; list: string; op: number; kind: string }) => `${e.revision} ${e.list} ${e.op} ${e.kind}`),
    ['b2b2 upgrade 1 unknown-table', 'b2b2 upgrade 2 unknown-column', 'd4d4 downgrade 1 unknown-column', 'c3c3 upgrade 1 unknown-table'],
  );
});

test("each revision is checked against what its own ancestors build: a sibling branch's table is not there", async () => {
  const dir = scratchProject({
    'migrations/a1.ts': users,
    'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.createTable('teams', [column('id', t.integer(), { primaryKey: true })])]"),
    'migrations/c3.ts': migrationSource('c3c3', 'a1a1', "upgrade: [op.addColumn('teams', column('name', t.text()))]"),
    'migrations/m4.ts': migrationSource('m4m4', ['b2b2', 'c3c3']),
  });
  const message = 'migrations/c3.ts (revision c3c3, upgrade op 1 addColumn): table "teams" does not exist';
  assert.deepEqual(stderrLines(await sqlscribe(dir, 'check')), [`sqlscribe: error: ${message}`, 'sqlscribe: error: check found 1 error in 1 of 4 revisions']);
  // What `upgrade c3c3` would say.
  assert.equal((await sqlscribe(dir, 'upgrade', 'c3c3')).stderr, `sqlscribe: error: ${message}\n`);
  // With dependsOn, the sibling is an ancestor: no error.
  const fixed = scratchProject({
    'migrations/a1.ts': users,
    'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.createTable('teams', [column('id', t.integer(), { primaryKey: true })])]"),
    'migrations/c3.ts': migrationSource('c3c3', 'a1a1', "upgrade: [op.addColumn('teams', column('name', t.text()))]", "\n  dependsOn: ['b2b2'],"),
    'migrations/m4.ts': migrationSource('m4m4', ['b2b2', 'c3c3']),
  });
  const ok = await sqlscribe(fixed, 'check');
  assert.equal(ok.code, 0, ok.stderr);
});

test('merged branches that conflict are found at the merge, reported once', async () => {
  const dir = scratchProject({
    'migrations/a1.ts': users,
    'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.createTable('teams', [column('id', t.integer())])]"),
    'migrations/c3.ts': migrationSource('c3c3', 'a1a1', "upgrade: [op.createTable('teams', [column('id', t.integer())])]"),
    'migrations/m4.ts': migrationSource('m4m4', ['b2b2', 'c3c3']),
  });
  const lines = stderrLines(await sqlscribe(dir, 'check'));
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0]!, /^sqlscribe: error: migrations\/(b2|c3)\.ts \(revision (b2b2|c3c3), upgrade op 1 createTable\): table "teams" already exists$/);
});

test('every downgrade is derived and checked: irreversible ops and stale models are reported with the upgrade errors', async () => {
  const dir = scratchProject({
    'migrations/a1.ts': migrationSource('a1a1', null, "upgrade: [op.createTable('t', [column('id', t.integer())]), op.execute('ALTER TABLE t ADD x int')]"),
    'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.dropColumn('t', 'x'), op.bulkInsert('t', [{ id: 1 }])]"),
  });
  const r = await sqlscribe(dir, 'check', '--json');
  const report = JSON.parse(r.stdout);
  assert.deepEqual(
    report.errors.map((e: { revision: string; op: number; kind: string }) => `${e.revision} ${e.op} ${e.kind}`),
    ['a1a1 2 irreversible', 'b2b2 1 underivable', 'b2b2 2 irreversible'],
  );
  // The upgrade itself compiles: the stale model checks nothing after the raw SQL.
  assert.equal((await sqlscribe(dir, 'upgrade', 'head')).code, 0);
});

test('effects and assumes are validated like ops, and named as such', async () => {
  const dir = scratchProject({
    'migrations/a1.ts': users,
    'migrations/b2.ts': migrationSource(
      'b2b2',
      'a1a1',
      "assumes: [op.createTable('users', [column('id', t.integer())]), op.createTable('legacy', [column('id', t.integer())])],\n  upgrade: [op.execute('ALTER TABLE legacy ADD x int', { effects: [op.addColumn('legacy', column('x', t.integer())), op.addColumn('legacyy', column('y', t.integer()))] })],\n  downgrade: []",
    ),
  });
  const r = await sqlscribe(dir, 'check', '--json');
  const report = JSON.parse(r.stdout);
  assert.deepEqual(report.errors, [
    {
      file: 'migrations/b2.ts',
      revision: 'b2b2',
      list: 'assumes',
      op: 1,
      kind: 'duplicate-table',
      message: 'migrations/b2.ts (revision b2b2): assumes op 1 createTable: table "users" already exists',
    },
    {
      file: 'migrations/b2.ts',
      revision: 'b2b2',
      list: 'upgrade',
      op: 1,
      kind: 'unknown-table',
      message: 'migrations/b2.ts (revision b2b2, upgrade op 1 execute): effects[2] addColumn: table "legacyy" does not exist — did you mean "legacy"?',
    },
  ]);
});

test('a project that does not load: --json still answers, with one error of kind load', async () => {
  const dir = scratchProject({ 'migrations/a1.ts': users, 'migrations/b2.ts': migrationSource('b2b2', 'zzzz') });
  const r = await sqlscribe(dir, 'check', '--json');
  assert.equal(r.code, 1);
  assert.deepEqual(JSON.parse(r.stdout), {
    ok: false,
    revisions: 0,
    heads: [],
    errors: [{ file: null, revision: null, list: null, op: null, kind: 'load', message: "migrations/b2.ts: down revision 'zzzz' of revision b2b2 is not present — fix 'down' in migrations/b2.ts, or restore the migration that defines 'zzzz'" }],
    findings: [],
  });
});

test('the lint hook sees each revision once, with the state its ancestors built (and its assumes)', () => {
  const dir = scratchProject({
    'migrations/a1.ts': users,
    'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "assumes: [op.createTable('legacy', [column('id', t.integer())])],\n  upgrade: [op.dropTable('users')]"),
    'migrations/c3.ts': migrationSource('c3c3', 'a1a1', "upgrade: [op.addColumn('users', column('x', t.text()))]"),
  });
  const project = openProject(dir, {});
  const dialect = getDialect('postgresql');
  const seen: string[] = [];
  const report = checkHistory({
    dialect,
    templates: dialectTemplates('postgresql'),
    map: project.map,
    migrations: project.byRevision,
    lint: (m, before) => {
      seen.push(`${m.migration.revision}: ${[...before.tables.keys()].join(',')}`);
      return [{ rule: 'demo', revision: m.migration.revision }];
    },
  });
  assert.deepEqual(report.errors, []);
  assert.deepEqual(seen, ['a1a1: ', 'b2b2: users,legacy', 'c3c3: users']);
  assert.deepEqual(report.findings, ['a1a1', 'b2b2', 'c3c3'].map((revision) => ({ rule: 'demo', revision })));
});
