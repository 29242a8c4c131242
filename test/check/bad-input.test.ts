/**
 * Ten kinds of bad input, each through the CLI in process, for `upgrade` (or `downgrade`, where only a
 * downgrade is affected) and for `check`: exit 1, nothing on stdout, a message naming the file and the
 * cause, no stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrationSource, scratchProject, sqlscribe, type CliResult } from '../support/cli.js';

const base = migrationSource('a1a1', null, "upgrade: [op.createTable('users', [column('id', t.integer(), { primaryKey: true }), column('email', t.string(255))])]");

/** Exit 1, no stdout, the expected lines on stderr (each `sqlscribe: error: ...`), no stack trace. */
function assertFails(r: CliResult, lines: readonly (string | RegExp)[]): void {
  assert.equal(r.code, 1, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  assert.doesNotMatch(r.stderr, /\n\s+at |Error:/);
  const got = r.stderr.split('\n').filter(Boolean);
  assert.equal(got.length, lines.length, `stderr lines: ${r.stderr}`);
  lines.forEach((want, i) => {
    if (typeof want === 'string') assert.equal(got[i], `sqlscribe: error: ${want}`);
    else assert.match(got[i]!, want);
  });
}

/** `check`'s last line: the count. */
const summary = (errors: number, failing: number, revisions: number) => `check found ${errors} ${errors === 1 ? 'error' : 'errors'} in ${failing} of ${revisions} revisions`;

const cases: { name: string; files: Record<string, string>; command: string[]; message: string | RegExp; check?: string[] }[] = [
  {
    name: 'an unknown column',
    files: { 'migrations/a1_base.ts': base, 'migrations/b2_alter.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.alterColumn('users', 'emial', { nullable: false })]") },
    command: ['upgrade', 'head'],
    message: 'migrations/b2_alter.ts (revision b2b2, upgrade op 1 alterColumn): column "emial" of table "users" does not exist — did you mean "email"?',
  },
  {
    name: 'an unknown table',
    files: { 'migrations/a1_base.ts': base, 'migrations/b2_add.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.addColumn('user', column('name', t.text()))]") },
    command: ['upgrade', 'head'],
    message: 'migrations/b2_add.ts (revision b2b2, upgrade op 1 addColumn): table "user" does not exist — did you mean "users"?',
  },
  {
    name: 'an index on a missing column',
    files: { 'migrations/a1_base.ts': base, 'migrations/b2_ix.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.createIndex('ix_users_mail', 'users', ['mail'])]") },
    command: ['upgrade', 'head'],
    message: 'migrations/b2_ix.ts (revision b2b2, upgrade op 1 createIndex): column "mail" of table "users" does not exist — did you mean "email"?',
  },
  {
    name: 'a table created twice',
    files: { 'migrations/a1_base.ts': base, 'migrations/b2_again.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.createTable('users', [column('id', t.integer())])]") },
    command: ['upgrade', 'head'],
    message: 'migrations/b2_again.ts (revision b2b2, upgrade op 1 createTable): table "users" already exists',
  },
  {
    name: 'irreversible raw SQL (it stops the downgrade, not the upgrade)',
    files: { 'migrations/a1_base.ts': base, 'migrations/b2_sql.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.execute(\"UPDATE users SET email = lower(email)\")]") },
    command: ['downgrade', 'head:base'],
    message:
      "migrations/b2_sql.ts (revision b2b2, upgrade op 1 execute): execute has no inverse, so this migration is irreversible — write a 'downgrade' list for it (op.execute(...) with the SQL that undoes it, or [] if nothing needs undoing)",
  },
  {
    name: 'a cycle',
    files: { 'migrations/a1_base.ts': base, 'migrations/b2_x.ts': migrationSource('b2b2', 'c3c3'), 'migrations/c3_y.ts': migrationSource('c3c3', 'b2b2') },
    command: ['upgrade', 'heads'],
    message: /^sqlscribe: error: Cycle is detected in revisions \(.*b2b2.*c3c3.*\)|^sqlscribe: error: .*[Cc]ycle.*(b2b2.*c3c3|c3c3.*b2b2)/,
  },
  {
    name: 'a duplicate revision',
    files: { 'migrations/a1_base.ts': base, 'migrations/b2_copy.ts': migrationSource('a1a1', null) },
    command: ['upgrade', 'head'],
    message: "Revision a1a1 is present more than once: migrations/a1_base.ts and migrations/b2_copy.ts — give one of them a new 'revision' id",
  },
  {
    name: 'a missing parent',
    files: { 'migrations/a1_base.ts': base, 'migrations/b2_orphan.ts': migrationSource('b2b2', 'ffff') },
    command: ['upgrade', 'heads'],
    message: "migrations/b2_orphan.ts: down revision 'ffff' of revision b2b2 is not present — fix 'down' in migrations/b2_orphan.ts, or restore the migration that defines 'ffff'",
  },
  {
    name: 'a syntax error',
    files: { 'migrations/a1_base.ts': base, 'migrations/b2_bad.ts': "export default migration({ revision: 'b2b2', down: 'a1a1', message: 'x', upgrade: [ }" },
    command: ['upgrade', 'head'],
    message: /^sqlscribe: error: migrations\/b2_bad\.ts:1:\d+: syntax error: .+/,
  },
  {
    name: 'a file that is not a migration',
    files: { 'migrations/a1_base.ts': base, 'migrations/helpers.ts': 'export const idColumn = 1;\n' },
    command: ['upgrade', 'head'],
    message:
      "migrations/helpers.ts: not a migration: it has no default export — write 'export default migration({ revision, down, message, upgrade })', or move helper files to a name starting with '_'",
  },
];

for (const c of cases) {
  test(`bad input, ${c.name}: ${c.command[0]} and check exit 1 naming the file and the cause`, async () => {
    const dir = scratchProject(c.files);
    assertFails(await sqlscribe(dir, ...c.command), [c.message]);
    // check: the same message; a problem of an op comes with the count, a file or graph problem alone.
    const opLevel = typeof c.message === 'string' && c.message.includes(' op ');
    const revisions = Object.keys(c.files).length;
    assertFails(await sqlscribe(dir, 'check'), opLevel ? [c.message, summary(1, 1, revisions)] : [c.message]);
    const json = await sqlscribe(dir, 'check', '--json');
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as { ok: boolean; errors: { file: string | null; message: string; kind: string }[] };
    assert.equal(report.ok, false);
    assert.equal(report.errors.length, 1);
    const line = `sqlscribe: error: ${report.errors[0]!.message}`;
    if (typeof c.message === 'string') assert.equal(line, `sqlscribe: error: ${c.message}`);
    else assert.match(line, c.message);
    if (!opLevel) assert.equal(report.errors[0]!.kind, 'load');
  });
}
