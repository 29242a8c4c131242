/**
 * Issue 3's ten kinds of bad input, each through the real CLI (`runCli`, in process) on a scratch
 * project: an unknown column, an unknown table, a cycle, a duplicate revision, a missing parent, a
 * syntax error, irreversible raw SQL, an index on a missing column, a table created twice, and a file
 * that is not a migration.
 *
 * For each: exit 1; nothing on stdout; exactly one line on stderr, `sqlscribe: error: <message>`, whose
 * message names the file (and, for an op, the revision and op) and the cause, compared exactly; no
 * stack trace; and with `-o FILE`, no file written — neither FILE nor a temp file beside it — and an
 * existing FILE left as it was. A control project (the same base without the bad file) compiles with
 * exit 0 and writes FILE, so the assertions above cannot pass merely because nothing ever works.
 *
 * The last test runs each case once more through the built executable (`node dist/src/cli.js`) in its
 * own process, so the process exit status and the stderr a DBA sees are asserted too.
 *
 * (test/check/bad-input.test.ts runs the same ten kinds through `check`; this file is about the
 * compile commands and their output file.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationSource, scratchProject, sqlscribe, type CliResult } from '../support/cli.js';
import { run } from '../support/common.js';

/** The built executable (this file runs as dist/test/cli/bad-input.test.js). */
const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

const BASE_FILE = 'migrations/a1_base.ts';
const base = migrationSource(
  'a1a1',
  null,
  "upgrade: [op.createTable('users', [column('id', t.integer(), { primaryKey: true }), column('email', t.string(255))])]",
);

interface Case {
  readonly name: string;
  /** Files besides the base migration. */
  readonly files: Record<string, string>;
  /** The command that must fail (an `-o` is appended for the second run). */
  readonly command: readonly string[];
  /** The exact message after `sqlscribe: error: `. */
  readonly message: string;
}

const cases: readonly Case[] = [
  {
    name: 'an unknown column',
    files: { 'migrations/b2_alter.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.alterColumn('users', 'emial', { nullable: false })]") },
    command: ['upgrade', 'head'],
    message: 'migrations/b2_alter.ts (revision b2b2, upgrade op 1 alterColumn): column "emial" of table "users" does not exist — did you mean "email"?',
  },
  {
    name: 'an unknown table',
    files: { 'migrations/b2_add.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.addColumn('user', column('name', t.text()))]") },
    command: ['upgrade', 'head'],
    message: 'migrations/b2_add.ts (revision b2b2, upgrade op 1 addColumn): table "user" does not exist — did you mean "users"?',
  },
  {
    name: 'a cycle',
    files: { 'migrations/b2_x.ts': migrationSource('b2b2', 'c3c3'), 'migrations/c3_y.ts': migrationSource('c3c3', 'b2b2') },
    command: ['upgrade', 'heads'],
    message: "Cycle is detected in revisions (b2b2, c3c3) — a revision cannot come after itself; fix 'down' in migrations/b2_x.ts, migrations/c3_y.ts",
  },
  {
    name: 'a duplicate revision',
    files: { 'migrations/b2_copy.ts': migrationSource('a1a1', null) },
    command: ['upgrade', 'head'],
    message: "Revision a1a1 is present more than once: migrations/a1_base.ts and migrations/b2_copy.ts — give one of them a new 'revision' id",
  },
  {
    name: 'a missing parent',
    files: { 'migrations/b2_orphan.ts': migrationSource('b2b2', 'ffff') },
    command: ['upgrade', 'heads'],
    message:
      "migrations/b2_orphan.ts: down revision 'ffff' of revision b2b2 is not present — fix 'down' in migrations/b2_orphan.ts, or restore the migration that defines 'ffff'",
  },
  {
    name: 'a syntax error',
    files: { 'migrations/b2_bad.ts': "export default migration({ revision: 'b2b2', down: 'a1a1', message: 'x', upgrade: [ }" },
    command: ['upgrade', 'head'],
    message: "migrations/b2_bad.ts:1:85: syntax error: Unexpected token '}' — fix the TypeScript in this file",
  },
  {
    name: 'irreversible raw SQL (its downgrade)',
    files: { 'migrations/b2_sql.ts': migrationSource('b2b2', 'a1a1', 'upgrade: [op.execute("UPDATE users SET email = lower(email)")]') },
    command: ['downgrade', 'head:base'],
    message:
      "migrations/b2_sql.ts (revision b2b2, upgrade op 1 execute): execute has no inverse, so this migration is irreversible — write a 'downgrade' list for it (op.execute(...) with the SQL that undoes it, or [] if nothing needs undoing)",
  },
  {
    name: 'an index on a missing column',
    files: { 'migrations/b2_ix.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.createIndex('ix_users_mail', 'users', ['mail'])]") },
    command: ['upgrade', 'head'],
    message: 'migrations/b2_ix.ts (revision b2b2, upgrade op 1 createIndex): column "mail" of table "users" does not exist — did you mean "email"?',
  },
  {
    name: 'a table created twice',
    files: { 'migrations/b2_again.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.createTable('users', [column('id', t.integer())])]") },
    command: ['upgrade', 'head'],
    message: 'migrations/b2_again.ts (revision b2b2, upgrade op 1 createTable): table "users" already exists',
  },
  {
    name: 'a file that is not a migration',
    files: { 'migrations/helpers.ts': 'export const idColumn = 1;\n' },
    command: ['upgrade', 'head'],
    message:
      "migrations/helpers.ts: not a migration: it has no default export — write 'export default migration({ revision, down, message, upgrade })', or move helper files to a name starting with '_'",
  },
];

/** Exit 1, empty stdout, exactly `sqlscribe: error: <message>\n` on stderr, no stack-trace line. */
function assertUserError(r: CliResult, message: string): void {
  assert.doesNotMatch(r.stderr, /^\s*at /m, 'no stack trace');
  assert.equal(r.stderr, `sqlscribe: error: ${message}\n`);
  assert.equal(r.stdout, '');
  assert.equal(r.code, 1);
}

test('bad input, the control: the base alone compiles upgrade and downgrade, and -o writes the file', async () => {
  const dir = scratchProject({ [BASE_FILE]: base });
  for (const command of [['upgrade', 'head'], ['downgrade', 'head:base']]) {
    const r = await sqlscribe(dir, ...command, '-o', 'out/script.sql');
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', ''], command.join(' '));
    assert.match(readFileSync(join(dir, 'out/script.sql'), 'utf8'), /^-- Running (up|down)grade /m);
  }
});

test('bad input: the ten kinds are ten distinct causes', () => {
  assert.equal(cases.length, 10);
  assert.equal(new Set(cases.map((c) => c.message)).size, 10);
});

for (const c of cases) {
  test(`bad input, ${c.name}: ${c.command.join(' ')} exits 1 with one line naming the file and the cause, and writes no file`, async () => {
    const dir = scratchProject({ [BASE_FILE]: base, ...c.files });
    const file = Object.keys(c.files)[0]!;
    assert.ok(c.message.includes(file), `the message names ${file}`);

    assertUserError(await sqlscribe(dir, ...c.command), c.message);

    // -o to a new file in a new folder: nothing is written, not even a temp file.
    assertUserError(await sqlscribe(dir, ...c.command, '-o', 'out/script.sql'), c.message);
    assert.equal(existsSync(join(dir, 'out/script.sql')), false, 'no output file');
    assert.deepEqual(existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : [], [], 'nothing left in the output folder');

    // -o over an existing file: it is left exactly as it was.
    mkdirSync(join(dir, 'prev'), { recursive: true });
    writeFileSync(join(dir, 'prev/script.sql'), '-- the previous script\n');
    assertUserError(await sqlscribe(dir, ...c.command, '-o', 'prev/script.sql'), c.message);
    assert.equal(readFileSync(join(dir, 'prev/script.sql'), 'utf8'), '-- the previous script\n');
    assert.deepEqual(readdirSync(join(dir, 'prev')), ['script.sql']);
  });
}

test('bad input, irreversible raw SQL: the upgrade of the same project compiles (only the downgrade is refused)', async () => {
  const c = cases.find((x) => x.command[0] === 'downgrade')!;
  const dir = scratchProject({ [BASE_FILE]: base, ...c.files });
  const r = await sqlscribe(dir, 'upgrade', 'head');
  assert.deepEqual([r.code, r.stderr], [0, '']);
  assert.match(r.stdout, /^UPDATE users SET email = lower\(email\);$/m);
});

test('bad input, as a process: node dist/src/cli.js exits with status 1 and the same single line for each of the ten', async () => {
  for (const c of cases) {
    const dir = scratchProject({ [BASE_FILE]: base, ...c.files });
    const r = await run(process.execPath, [CLI, ...c.command, '-o', 'out/script.sql'], { cwd: dir, timeoutMs: 60_000 });
    assertUserError(r, c.message);
    assert.equal(existsSync(join(dir, 'out/script.sql')), false, `${c.name}: no output file`);
  }
});
