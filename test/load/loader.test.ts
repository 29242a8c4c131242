import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations, findMigrationFiles } from '../../src/load/migrations.js';
import { ModuleEvaluator } from '../../src/load/modules.js';
import { loadConfig } from '../../src/load/config.js';
import { UserError } from '../../src/errors.js';

/** A scratch project folder outside this repository, with no node_modules. */
function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sqlscribe-load-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const MIGRATION = (rev: string, down: string | null, body = 'upgrade: [op.createTable("t", [column("id", t.integer(), { primaryKey: true })])]') => `
import { migration, op, column, t } from 'sqlscribe';
export default migration({ revision: '${rev}', down: ${down === null ? 'null' : `'${down}'`}, message: 'm ${rev}', ${body} });
`;

function expectUserError(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

test("'sqlscribe' resolves for migration files outside the repository, with no install there", () => {
  const dir = scratch({ 'migrations/a1_first.ts': MIGRATION('a1a1', null), 'migrations/b2_second.ts': MIGRATION('b2b2', 'a1a1') });
  assert.equal(existsSync(join(dir, 'node_modules')), false);
  const loaded = loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator());
  assert.deepEqual(
    loaded.map((l) => [l.file, l.migration.revision, l.migration.down]),
    [
      ['migrations/a1_first.ts', 'a1a1', null],
      ['migrations/b2_second.ts', 'b2b2', 'a1a1'],
    ],
  );
  assert.equal(loaded[0]!.migration.upgrade[0]!.kind, 'createTable');
  assert.match(loaded[0]!.sha256, /^[0-9a-f]{64}$/);
});

test('helper files starting with _ are not migrations, and migrations may import them', () => {
  const dir = scratch({
    'migrations/_shared.ts': "import { column, t } from 'sqlscribe';\nexport const id = () => column('id', t.bigInteger(), { primaryKey: true });\n",
    'migrations/a1_first.ts': "import { migration, op } from 'sqlscribe';\nimport { id } from './_shared.js';\nexport default migration({ revision: 'a1a1', down: null, message: 'x', upgrade: [op.createTable('t', [id()])] });\n",
  });
  assert.deepEqual(findMigrationFiles([join(dir, 'migrations')], dir), [join(dir, 'migrations/a1_first.ts')]);
  const [m] = loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator());
  const createTable = m!.migration.upgrade[0]!;
  assert.equal(createTable.kind === 'createTable' && createTable.items[0]!.kind === 'column' && createTable.items[0]!.type.kind, 'bigInteger');
});

test('a syntax error names the file, line and column', () => {
  const dir = scratch({ 'migrations/a1_bad.ts': "import { migration } from 'sqlscribe';\nexport default migration({ revision: 'a1a1', down: null,, });\n" });
  expectUserError(() => loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator()), "migrations/a1_bad.ts:2:57: syntax error: Unexpected token ',' — fix the TypeScript in this file");
});

test('a syntax error the transpiler finds names the file, line, column and token', () => {
  const dir = scratch({ 'migrations/a1_bad.ts': "import { migration } from 'sqlscribe';\nconst x: number = ;\nexport default migration({ revision: 'a1a1', down: null });\n" });
  expectUserError(() => loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator()), "migrations/a1_bad.ts:2:19: syntax error: Unexpected token ';' — fix the TypeScript in this file");
});

test('a file without a default export is not a migration', () => {
  const dir = scratch({ 'migrations/notes.ts': 'export const x = 1;\n' });
  expectUserError(
    () => loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator()),
    "migrations/notes.ts: not a migration: it has no default export — write 'export default migration({ revision, down, message, upgrade })', or move helper files to a name starting with '_'",
  );
});

test('a default export that is not a migration says what is wrong', () => {
  const dir = scratch({ 'migrations/x.ts': "export default { revision: 'a1a1', message: 'm', upgrade: [] };\n" });
  expectUserError(
    () => loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator()),
    'migrations/x.ts: not a migration: migration: down must be null (a base), a revision id, or an array of revision ids (a merge point), got undefined',
  );
});

test('a builder error inside a migration names the file and the builder', () => {
  const dir = scratch({ 'migrations/a1.ts': "import { migration, op } from 'sqlscribe';\nexport default migration({ revision: 'a1a1', down: null, message: 'm', upgrade: [op.addColumn('users', 'email' as any)] });\n" });
  expectUserError(
    () => loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator()),
    'migrations/a1.ts: op.addColumn("users"): the column must be column(name, type, options), got "email"',
  );
});

test('an exception thrown by user code names the file', () => {
  const dir = scratch({ 'migrations/a1.ts': "const x: any = undefined;\nexport default x.y;\n" });
  expectUserError(() => loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator()), /^migrations\/a1\.ts: TypeError: Cannot read properties of undefined \(reading 'y'\)/);
});

test('a hand-built op of unknown kind is refused with its position', () => {
  const dir = scratch({ 'migrations/a1.ts': "import { migration } from 'sqlscribe';\nexport default migration({ revision: 'a1a1', down: null, message: 'm', upgrade: [{ kind: 'createTabel' } as any] });\n" });
  expectUserError(() => loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator()), /^migrations\/a1\.ts \(revision a1a1, upgrade op 1\): unknown op 'createTabel' — build ops with op\.\*\(\.\.\.\)/);
});

test('revision ids with characters Alembic forbids are refused', () => {
  const dir = scratch({ 'migrations/a1.ts': MIGRATION('a1-a1', null) });
  expectUserError(() => loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator()), "migrations/a1.ts: Character(s) '-' not allowed in revision identifier 'a1-a1'");
});

test('a missing migrations folder says how to fix it', () => {
  const dir = scratch({});
  expectUserError(() => findMigrationFiles([join(dir, 'nope')], dir), "migrations folder nope does not exist — create it, run 'sqlscribe init', or pass --migrations DIR");
});

test('transpiled files are cached by content hash; the cache is only a speed-up', () => {
  const dir = scratch({ 'migrations/a1.ts': MIGRATION('a1a1', null) });
  const cache = join(dir, '.cache');
  const first = loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator(cache));
  assert.equal(readdirSync(join(cache, 'js')).length, 1);
  const second = loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator(cache));
  assert.deepEqual(second.map((l) => l.migration), first.map((l) => l.migration));
  writeFileSync(join(dir, 'migrations/a1.ts'), MIGRATION('a1a1', null, 'upgrade: []'));
  const third = loadMigrations([join(dir, 'migrations')], dir, new ModuleEvaluator(cache));
  assert.deepEqual(third[0]!.migration.upgrade, []);
  assert.equal(readdirSync(join(cache, 'js')).length, 2);
});

test('config: sqlscribe.config.ts is evaluated, relative paths resolve from its folder, flags win', () => {
  const dir = scratch({
    'sqlscribe.config.ts': "export default { dialect: 'postgresql', migrations: ['db/versions'], versionTable: 'my_ver', versionTableSchema: 'meta', transactionPerMigration: true };\n",
  });
  const config = loadConfig(dir, {});
  assert.deepEqual(
    { dialect: config.dialect, migrations: config.migrations, versionTable: config.versionTable, schema: config.versionTableSchema, perMigration: config.transactionPerMigration, out: config.out },
    { dialect: 'postgresql', migrations: [join(dir, 'db/versions')], versionTable: 'my_ver', schema: 'meta', perMigration: true, out: join(dir, 'out') },
  );
  const flagged = loadConfig(dir, { versionTable: 'other', migrations: ['m2'] });
  assert.equal(flagged.versionTable, 'other');
  assert.deepEqual(flagged.migrations, [join(dir, 'm2')]);
});

test('config: unknown keys and bad values are named', () => {
  const dir = scratch({ 'sqlscribe.config.json': '{ "dialekt": "postgresql" }' });
  expectUserError(() => loadConfig(dir, {}), `${join(dir, 'sqlscribe.config.json')}: unknown key 'dialekt' (known keys: dialect, migrations, out, templates, versionTable, versionTableSchema, transactionPerMigration, namingConvention, lockTimeout, statementTimeout, autocommitStatementTimeout, searchPath, role, historyTable)`);
  const dir2 = scratch({ 'sqlscribe.config.json': '{ "dialect": "oracle" }' });
  expectUserError(() => loadConfig(dir2, {}), `unknown dialect 'oracle' (${join(dir2, 'sqlscribe.config.json')}) — use one of postgresql, sqlite, mysql, mariadb`);
});
