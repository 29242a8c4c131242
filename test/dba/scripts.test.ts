/**
 * Issue 5, on real PostgreSQL: scripts a DBA can trust on a change ticket. A history outside this
 * repository (a scratch project: tables, a unique column, an enum, a check and a foreign key, a concurrent
 * index, a column rename) is compiled by the CLI and applied with the engine's own client:
 * - the version guard stops a script run against a database at another revision, under plain `psql -f`
 *   (no -v ON_ERROR_STOP on the command line), and nothing changes;
 * - two runs give identical bytes, also for `--split`;
 * - `--split -o DIR` writes a manifest whose checksums hold, and its files applied in manifest order
 *   reach the catalog of the single script;
 * - an `--idempotent` script applied twice leaves the catalog of a plain run (and stays guarded);
 * - `--history-table` records each step; session settings are applied;
 * - `verify` passes on fresh output and reports drift after a migration changes;
 * - a `--templates` override replaces the header.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { catalog, pgTest, type PgDb } from '../support/postgres.js';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';
import { run } from '../support/common.js';

const A = 'a1a1a1a1a1a1';
const B = 'b2b2b2b2b2b2';
const C = 'c3c3c3c3c3c3';
const D = 'd4d4d4d4d4d4';

/** A four-revision history with every kind of guarded DDL. */
function project(): string {
  return scratchProject({
    [`migrations/${A}_users.ts`]: migrationSource(
      A,
      null,
      `upgrade: [op.createTable('users', [column('id', t.integer(), { primaryKey: true }), column('email', t.string(200), { nullable: false, unique: true }), column('mood', t.enum(['ok', 'meh'], { name: 'mood' }))])]`,
    ),
    [`migrations/${B}_orders.ts`]: migrationSource(
      B,
      A,
      `upgrade: [
    op.createTable('orders', [column('id', t.integer(), { primaryKey: true }), column('user_id', t.integer()), column('total', t.integer())]),
    op.createForeignKey('fk_orders_user', 'orders', 'users', ['user_id'], ['id']),
    op.createCheckConstraint('ck_orders_total', 'orders', sql\`total >= 0\`),
    op.addColumn('users', column('nick', t.string(40), { unique: true })),
  ]`,
    ),
    [`migrations/${C}_index.ts`]: migrationSource(C, B, `upgrade: [op.createIndex('ix_orders_user', 'orders', ['user_id'], { concurrently: true })]`),
    [`migrations/${D}_rename.ts`]: migrationSource(D, C, `upgrade: [op.alterColumn('users', 'nick', { newName: 'handle' }), op.createEnum('tier', ['free', 'paid'])]`),
  });
}

/** `psql -X -f FILE` exactly as the issue has the DBA run it: no ON_ERROR_STOP on the command line. */
async function plainPsql(db: PgDb, file: string) {
  return run('psql', ['-X', '-q', '-h', db.server.host, '-p', String(db.server.port), '-U', db.server.user, '-d', db.name, '-f', file], {
    env: { ...process.env, PGCLIENTENCODING: 'UTF8' },
  });
}

/** Runs the CLI; gives the script (stdout, or the `-o` file unless it is a --split folder). */
async function compile(dir: string, ...argv: string[]): Promise<string> {
  const r = await sqlscribe(dir, ...argv);
  assert.equal(r.code, 0, `sqlscribe ${argv.join(' ')}: ${r.stderr}`);
  const o = argv.indexOf('-o');
  return o >= 0 && !argv.includes('--split') ? readFileSync(join(dir, argv[o + 1]!), 'utf8') : r.stdout;
}

async function versionRows(db: PgDb): Promise<string[]> {
  return (await db.query('SELECT version_num FROM alembic_version ORDER BY 1')).map((r) => r[0]!);
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

pgTest('guard: a script from a later revision, run with plain psql -f on an earlier database, exits non-zero and changes nothing', async (_t, db) => {
  const dir = project();
  await compile(dir, 'upgrade', `base:${A}`, '-o', 'a.sql');
  assert.equal((await plainPsql(db, join(dir, 'a.sql'))).code, 0);
  const before = await catalog(db);
  await compile(dir, 'upgrade', `${B}:head`, '-o', 'late.sql');
  const r = await plainPsql(db, join(dir, 'late.sql'));
  assert.notEqual(r.code, 0, 'psql must stop at the guard');
  assert.match(r.stderr, new RegExp(`expects alembic_version holding exactly \\[${B}\\]; the database has \\[${A}\\]`));
  assert.deepEqual(await catalog(db), before, 'the catalog is unchanged');
  assert.deepEqual(await versionRows(db), [A]);
  // The base script is refused too on a database that has rows.
  await compile(dir, 'upgrade', 'head', '-o', 'all.sql');
  assert.notEqual((await plainPsql(db, join(dir, 'all.sql'))).code, 0);
  assert.deepEqual(await catalog(db), before);
  // The right start applies.
  await compile(dir, 'upgrade', `${A}:head`, '-o', 'right.sql');
  const ok = await plainPsql(db, join(dir, 'right.sql'));
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(await versionRows(db), [D]);
  // ... and the same script again is refused (the database is now at D).
  assert.notEqual((await plainPsql(db, join(dir, 'right.sql'))).code, 0);
});

test('determinism: two runs give identical bytes (one script and --split); --date alone adds a timestamp', async () => {
  const dir = project();
  const one = await compile(dir, 'upgrade', 'head', '--history-table', '--lock-timeout', '5s');
  assert.equal(await compile(dir, 'upgrade', 'head', '--history-table', '--lock-timeout', '5s'), one);
  assert.doesNotMatch(one, /\d{4}-\d\d-\d\dT/);
  const read = () => Object.fromEntries(readdirSync(join(dir, 'x')).map((f) => [f, readFileSync(join(dir, 'x', f), 'utf8')]));
  await compile(dir, 'upgrade', 'head', '--split', '-o', 'x');
  const first = read();
  await compile(dir, 'upgrade', 'head', '--split', '-o', 'x'); // replaces the earlier output
  assert.deepEqual(read(), first);
  assert.equal(Object.keys(first).length, 5);
  const dated = await compile(dir, 'upgrade', 'head', '--date', '2025-01-02');
  assert.match(dated, /^-- Date: 2025-01-02$/m);
});

test('header: version, dialect, direction, range, each revision with its file and SHA-256, how to apply', async () => {
  const dir = project();
  const text = await compile(dir, 'upgrade', `${A}:${C}`);
  const lines = text.split('\n');
  assert.equal(lines[0], `-- Generated by sqlscribe 0.1.0: upgrade ${A}:${C} (postgresql)`);
  assert.ok(lines.includes(`-- 1. upgrade ${A} -> ${B}: Revision ${B}`));
  assert.ok(lines.includes(`--    migrations/${B}_orders.ts sha256 ${sha(readFileSync(join(dir, `migrations/${B}_orders.ts`)).toString())}`));
  assert.ok(lines.includes(`-- Version guard: stops before any change unless it finds alembic_version holding exactly [${A}]`));
  assert.ok(lines.some((l) => l.startsWith('-- Apply with: psql -X -f <file>')));
  assert.equal(lines.find((l) => !l.startsWith('--') && l !== ''), '\\set ON_ERROR_STOP on', 'the first line for psql');
});

pgTest('--split -o DIR: manifest checksums hold, and the files applied in manifest order reach the catalog of one script', async (_t, db) => {
  const dir = project();
  await compile(dir, 'upgrade', 'base:head', '--split', '-o', 'ticket');
  const manifest = JSON.parse(readFileSync(join(dir, 'ticket', 'manifest.json'), 'utf8')) as {
    tool: string; dialect: string; direction: string; range: string; files: { path: string; sha256: string; from: string[]; to: string[]; message: string }[];
  };
  assert.deepEqual([manifest.tool, manifest.dialect, manifest.direction, manifest.range], ['sqlscribe', 'postgresql', 'upgrade', 'base:head']);
  assert.deepEqual(manifest.files.map((f) => f.path), [
    `0001_base-${A}_revision_${A}.upgrade.sql`,
    `0002_${A}-${B}_revision_${B}.upgrade.sql`,
    `0003_${B}-${C}_revision_${C}.upgrade.sql`,
    `0004_${C}-${D}_revision_${D}.upgrade.sql`,
  ]);
  assert.deepEqual([...manifest.files.map((f) => f.path)].sort(), manifest.files.map((f) => f.path), 'ls order is apply order');
  for (const f of manifest.files) assert.equal(sha(readFileSync(join(dir, 'ticket', f.path), 'utf8')), f.sha256, f.path);
  // Applying them out of order is refused by each file's own guard.
  assert.notEqual((await plainPsql(db, join(dir, 'ticket', manifest.files[1]!.path))).code, 0);
  for (const f of manifest.files) {
    const r = await plainPsql(db, join(dir, 'ticket', f.path));
    assert.equal(r.code, 0, `${f.path}: ${r.stderr}`);
  }
  const split = await catalog(db);
  const other = await db.server.createDatabase();
  try {
    await compile(dir, 'upgrade', 'base:head', '-o', 'one.sql');
    assert.equal((await plainPsql(other, join(dir, 'one.sql'))).code, 0);
    assert.deepEqual(split, await catalog(other));
    assert.deepEqual(await versionRows(db), await versionRows(other));
  } finally {
    await other.drop();
  }
});

pgTest('--idempotent: the same script applied twice leaves the catalog of a plain run; the header says so', async (_t, db) => {
  const dir = project();
  const text = await compile(dir, 'upgrade', 'head', '--idempotent', '-o', 'idem.sql');
  assert.match(text, /^-- Idempotent: /m);
  assert.match(text, /^CREATE TABLE IF NOT EXISTS users \(/m);
  assert.match(text, /IF NOT EXISTS \(SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass\('orders'\) AND conname = 'fk_orders_user'\)/);
  assert.match(text, /to_regtype\('tier'\) IS NULL/);
  for (let i = 1; i <= 2; i++) {
    const r = await plainPsql(db, join(dir, 'idem.sql'));
    assert.equal(r.code, 0, `run ${i}: ${r.stderr}`);
  }
  const twice = await catalog(db);
  assert.deepEqual(await versionRows(db), [D]);
  const other = await db.server.createDatabase();
  try {
    await compile(dir, 'upgrade', 'head', '-o', 'plain.sql');
    assert.equal((await plainPsql(other, join(dir, 'plain.sql'))).code, 0);
    assert.deepEqual(twice, await catalog(other));
  } finally {
    await other.drop();
  }
  // Still guarded: a database at a revision outside the run is refused.
  await db.exec(`UPDATE alembic_version SET version_num = 'zzzz'`);
  assert.notEqual((await plainPsql(db, join(dir, 'idem.sql'))).code, 0);
});

pgTest('--history-table records each applied step; session settings are set; a concurrent index is preceded by DROP INDEX CONCURRENTLY IF EXISTS', async (_t, db) => {
  const dir = project();
  const text = await compile(dir, 'upgrade', 'head', '--history-table', '--lock-timeout', '5s', '--statement-timeout', '1min', '--autocommit-statement-timeout', '0', '-o', 'h.sql');
  assert.match(text, /^BEGIN;\n\nSET LOCAL lock_timeout = '5s';\n\nSET LOCAL statement_timeout = '1min';\n\nDO \$guard\$/m);
  assert.match(text, /^COMMIT;\n\nSET lock_timeout = '5s';\n\nSET statement_timeout = '0';\n\nDROP INDEX CONCURRENTLY IF EXISTS ix_orders_user;\n\nCREATE INDEX CONCURRENTLY ix_orders_user ON orders \(user_id\);\n\nBEGIN;\n\nSET LOCAL lock_timeout = '5s';/m);
  const r = await plainPsql(db, join(dir, 'h.sql'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`sqlscribe: upgrade ${C} -> ${D} \\(4/4\\): Revision ${D}`));
  const rows = await db.query('SELECT revision, direction, length(script_sha256), sqlscribe_version FROM sqlscribe_history ORDER BY revision');
  assert.deepEqual(rows, [A, B, C, D].map((rev) => [rev, 'upgrade', '64', '0.1.0']));
  assert.deepEqual(await versionRows(db), [D]);
});

test('verify: fresh output matches; after a migration changes, the drifted files are named and the exit code is 1', async () => {
  const dir = project();
  await compile(dir, 'upgrade', 'head', '--split', '-o', 'ticket');
  await compile(dir, 'upgrade', `${B}:head`, '--idempotent', '-o', 'one.sql');
  const ok = await sqlscribe(dir, 'verify', 'ticket');
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^verified: 4 scripts match the current migrations$/m);
  assert.equal((await sqlscribe(dir, 'verify', 'one.sql')).code, 0);
  writeFileSync(join(dir, `migrations/${C}_index.ts`), migrationSource(C, B, `upgrade: [op.createIndex('ix_orders_user', 'orders', ['user_id', 'total'], { concurrently: true })]`));
  const drift = await sqlscribe(dir, 'verify', 'ticket');
  assert.equal(drift.code, 1);
  assert.match(drift.stdout, new RegExp(`^DRIFT  0003_${B}-${C}_revision_${C}\\.upgrade\\.sql  \\(drifted`, 'm'));
  assert.match(drift.stdout, new RegExp(`^ok  0001_`, 'm'));
  assert.match(drift.stderr, /^sqlscribe: error: verify: 1 of 4 files differ/);
  assert.equal((await sqlscribe(dir, 'verify', 'one.sql')).code, 1);
  // A hand-edited file is caught by its manifest checksum.
  const again = project();
  await compile(again, 'upgrade', 'head', '--split', '-o', 't');
  const first = readdirSync(join(again, 't')).find((f) => f.startsWith('0001_'))!;
  writeFileSync(join(again, 't', first), readFileSync(join(again, 't', first), 'utf8') + '\nDROP TABLE users;\n');
  const edited = await sqlscribe(again, 'verify', 't');
  assert.equal(edited.code, 1);
  assert.match(edited.stdout, /\(modified: the file no longer matches its manifest checksum\)/);
});

test('--templates DIR: a header.sql.hbs there replaces the built-in header', async () => {
  const dir = project();
  mkdirSync(join(dir, 'tpl', '_default'), { recursive: true });
  writeFileSync(join(dir, 'tpl', '_default', 'header.sql.hbs'), '-- CHANGE TICKET {{command}} {{range}}\n{{#each revisions}}\n-- {{revision}} {{sha256}}\n{{/each}}\n');
  const text = await compile(dir, 'upgrade', `${A}:${B}`, '--templates', 'tpl');
  assert.ok(text.startsWith(`-- CHANGE TICKET upgrade ${A}:${B}\n-- ${B} ${sha(readFileSync(join(dir, `migrations/${B}_orders.ts`)).toString())}\n\n\\set ON_ERROR_STOP on\n`), text.slice(0, 300));
});

test('--split needs -o DIR; a failed split run leaves no folder; an existing foreign folder is refused', async () => {
  const dir = project();
  const r = await sqlscribe(dir, 'upgrade', 'head', '--split');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--split writes one file per revision step into a folder: give it with -o DIR/);
  writeFileSync(join(dir, `migrations/${D}_rename.ts`), migrationSource(D, C, `upgrade: [op.alterColumn('users', 'nope', { newName: 'x' })]`));
  const bad = await sqlscribe(dir, 'upgrade', 'head', '--split', '-o', 'out');
  assert.equal(bad.code, 1);
  assert.equal(existsSync(join(dir, 'out')), false);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.out')), [], 'no temp folder left');
  mkdirSync(join(dir, 'mine'));
  writeFileSync(join(dir, 'mine', 'notes.txt'), 'keep');
  const foreign = await sqlscribe(dir, 'upgrade', `base:${C}`, '--split', '-o', 'mine');
  assert.equal(foreign.code, 1);
  assert.equal(readFileSync(join(dir, 'mine', 'notes.txt'), 'utf8'), 'keep');
});
