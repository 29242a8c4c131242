/**
 * The package's `bin` (`dist/src/bundle/cli.cjs`, made by `npm run build`: `scripts/bundle.mjs`), run as a
 * user runs it, as its own node process: it gives the bytes the in-process command line gives, keeps V8's
 * code cache of the bundle in `<cache>/v8/` (written once, used warm, rewritten when corrupt), and reports
 * bad input with exit 1 and one line, no stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listTemplateFiles } from '../../src/render/templates.js';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';

const BIN = fileURLToPath(new URL('../../src/bundle/cli.cjs', import.meta.url));

function bin(cwd: string, ...argv: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.SQLSCRIBE_CACHE_DIR;
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const project = () =>
  scratchProject({
    'migrations/a1.ts': migrationSource('a1a1', null, "upgrade: [op.createTable('t', [column('id', t.integer(), { primaryKey: true }), column('c', t.text())])]"),
    'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.addColumn('t', column('d', t.integer()))]"),
  });

test('bin: the bundle gives the in-process bytes, cold and warm, and keeps one V8 code cache', async () => {
  assert.ok(existsSync(BIN), 'npm run build made the bin');
  const dir = project();
  const expected = (await sqlscribe(dir, 'upgrade', 'head')).stdout;
  const v8 = join(dir, '.sqlscribe-cache', 'v8');
  const cold = bin(dir, 'upgrade', 'head');
  assert.equal(cold.code, 0, cold.stderr);
  assert.equal(cold.stdout, expected);
  const files = readdirSync(v8);
  assert.equal(files.length, 1, 'one code cache, for this bundle and node');
  assert.match(files[0]!, /^[0-9a-f]{64}\.bin$/);
  const cache = join(v8, files[0]!);
  const written = statSync(cache).mtimeMs;
  const warm = bin(dir, 'upgrade', 'head');
  assert.equal(warm.code, 0, warm.stderr);
  assert.equal(warm.stdout, expected);
  assert.equal(statSync(cache).mtimeMs, written, 'an accepted code cache is not written again');
  // A corrupt code cache is rejected by V8: same bytes, and the cache is written anew.
  writeFileSync(cache, 'not a code cache');
  const again = bin(dir, 'upgrade', 'head');
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, expected);
  assert.ok(statSync(cache).size > 1000, 'the rejected cache was rewritten');
});

test('bin: bad input exits 1 with one line naming the file, no stack trace; no cache folder is made for the code cache alone', () => {
  const dir = scratchProject({
    'migrations/a1.ts': migrationSource('a1a1', null, "upgrade: [op.createTable('t', [column('id', t.integer(), { primaryKey: true })])]"),
    'migrations/b2.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.dropColumn('t', 'nope')]"),
  });
  const r = bin(dir, 'upgrade', 'head');
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^sqlscribe: error: migrations\/b2\.ts \(revision b2b2, upgrade op 1 dropColumn\): [^\n]*\n$/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const empty = scratchProject({});
  const h = bin(empty, '--version');
  assert.equal(h.code, 0, h.stderr);
  assert.equal(existsSync(join(empty, '.sqlscribe-cache')), false);
});

test('bin: every built-in template is precompiled into the bundle, and the bundle renders every dialect as the module tree does', async () => {
  const bundle = createRequire(import.meta.url)(fileURLToPath(new URL('../../src/bundle/main.cjs', import.meta.url))) as { PRECOMPILED: ReadonlyMap<string, object> };
  const root = fileURLToPath(new URL('../../../templates/', import.meta.url));
  const files = listTemplateFiles(root);
  assert.ok(files.length > 50, `${files.length} templates`);
  for (const f of files) assert.ok(bundle.PRECOMPILED.has(readFileSync(f, 'utf8')), `${f} is precompiled in the bundle`);
  assert.equal(bundle.PRECOMPILED.size, new Set(files.map((f) => readFileSync(f, 'utf8'))).size, 'and nothing else');
  const dir = project();
  for (const dialect of ['postgresql', 'sqlite', 'mysql', 'mariadb']) {
    for (const argv of [['upgrade', 'head'], ['downgrade', 'head:base']]) {
      const expected = await sqlscribe(dir, ...argv, '--dialect', dialect);
      assert.equal(expected.code, 0, expected.stderr);
      const r = bin(dir, ...argv, '--dialect', dialect);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, expected.stdout, `${dialect} ${argv.join(' ')}`);
    }
  }
});

test('bin: a team template (not precompiled) is compiled at run time, as the module tree compiles it', async () => {
  const dir = project();
  mkdirSync(join(dir, 'tpl', 'postgresql'), { recursive: true });
  writeFileSync(join(dir, 'tpl', 'postgresql', 'addColumn.sql.hbs'), '/* team: {{table}} */ ALTER TABLE {{table}} ADD COLUMN {{> column column}}');
  const expected = await sqlscribe(dir, 'upgrade', 'head', '--templates', 'tpl');
  assert.equal(expected.code, 0, expected.stderr);
  assert.match(expected.stdout, /^\/\* team: t \*\/ ALTER TABLE t ADD COLUMN d INTEGER;$/m);
  const r = bin(dir, 'upgrade', 'head', '--templates', 'tpl');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, expected.stdout);
});
