import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';

const twoRevisions = () =>
  scratchProject({
    'migrations/a1a1_first.ts': migrationSource('a1a1', null, "upgrade: [op.createTable('t', [column('id', t.integer(), { primaryKey: true })])]"),
    'migrations/b2b2_second.ts': migrationSource('b2b2', 'a1a1', "upgrade: [op.addColumn('t', column('x', t.text()))]"),
  });

function migrationFiles(dir: string): string[] {
  return readdirSync(join(dir, 'migrations')).sort();
}

test('init scaffolds a project that revision and upgrade then work in', async () => {
  const dir = scratchProject({});
  const init = await sqlscribe(dir, 'init');
  assert.equal(init.code, 0, init.stderr);
  assert.equal(init.stdout, 'created migrations\ncreated templates\ncreated sqlscribe.config.json\ncreated migrations/.gitkeep\ncreated templates/revision.ts.hbs\n');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'sqlscribe.config.json'), 'utf8')), { dialect: 'postgresql', migrations: ['migrations'], out: 'out', templates: 'templates' });
  const again = await sqlscribe(dir, 'init');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /sqlscribe\.config\.json/);

  const first = await sqlscribe(dir, 'revision', '-m', 'Create users', '--rev-id', 'aaaa11112222');
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, 'Generating migrations/aaaa11112222_create_users.ts ... done\n');
  const second = await sqlscribe(dir, 'revision', '-m', 'Add email');
  assert.equal(second.code, 0, second.stderr);
  const [, file] = /^Generating (migrations\/([0-9a-f]{12})_add_email\.ts) \.\.\. done\n$/.exec(second.stdout) ?? [];
  assert.ok(file, second.stdout);
  assert.match(readFileSync(join(dir, file), 'utf8'), /down: 'aaaa11112222',/);
  const up = await sqlscribe(dir, 'upgrade', 'head');
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, /^-- Running upgrade aaaa11112222 -> [0-9a-f]{12}\n-- Add email$/m);
});

test('revision: a non-head parent needs --splice; several heads need --head; labels and dependencies are written', async () => {
  const dir = twoRevisions();
  const notHead = await sqlscribe(dir, 'revision', '-m', 'x', '--head', 'a1a1');
  assert.equal(notHead.code, 1);
  assert.equal(notHead.stderr, 'sqlscribe: error: Revision a1a1 is not a head revision; pass --splice to create a new branch from it, or --head with one of: b2b2\n');
  const spliced = await sqlscribe(dir, 'revision', '-m', 'Side branch', '--head', 'a1a1', '--splice', '--rev-id', 'c3c3', '--branch-label', 'side');
  assert.equal(spliced.code, 0, spliced.stderr);
  assert.match(readFileSync(join(dir, 'migrations/c3c3_side_branch.ts'), 'utf8'), /down: 'a1a1',\n  message: 'Side branch',\n  branchLabels: \['side'\],/);
  const several = await sqlscribe(dir, 'revision', '-m', 'y');
  assert.equal(several.code, 1);
  assert.equal(several.stderr, `sqlscribe: error: Multiple heads are present (b2b2, c3c3); name the parent with --head <rev>, or merge them first with 'sqlscribe merge b2b2 c3c3 -m "merge heads"'\n`);
  const onSide = await sqlscribe(dir, 'revision', '-m', 'On side', '--head', 'side@head', '--rev-id', 'd4d4', '--depends-on', 'b2b2');
  assert.equal(onSide.code, 0, onSide.stderr);
  assert.match(readFileSync(join(dir, 'migrations/d4d4_on_side.ts'), 'utf8'), /down: 'c3c3',\n  message: 'On side',\n  dependsOn: \['b2b2'\],/);
  const taken = await sqlscribe(dir, 'revision', '-m', 'z', '--head', 'd4d4', '--rev-id', 'a1a1');
  assert.equal(taken.code, 1);
  assert.equal(taken.stderr, 'sqlscribe: error: revision a1a1 already exists (migrations/a1a1_first.ts) — pick another --rev-id\n');
});

test('merge writes a merge point of the given heads; the graph then has one head', async () => {
  const dir = twoRevisions();
  writeFileSync(join(dir, 'migrations/c3c3_side.ts'), migrationSource('c3c3', 'a1a1'));
  const merged = await sqlscribe(dir, 'merge', 'heads', '-m', 'Merge heads', '--rev-id', 'e5e5');
  assert.equal(merged.code, 0, merged.stderr);
  assert.match(readFileSync(join(dir, 'migrations/e5e5_merge_heads.ts'), 'utf8'), /down: \['b2b2', 'c3c3'\],/);
  const heads = await sqlscribe(dir, 'heads', '--json');
  assert.deepEqual(
    (JSON.parse(heads.stdout) as { revision: string }[]).map((h) => h.revision),
    ['e5e5'],
  );
  const one = await sqlscribe(dir, 'merge', 'b2b2', '-m', 'x');
  assert.equal(one.code, 1);
  assert.match(one.stderr, /a merge needs at least two revisions/);
  assert.deepEqual(migrationFiles(dir), ['a1a1_first.ts', 'b2b2_second.ts', 'c3c3_side.ts', 'e5e5_merge_heads.ts']);
});

test('stamp writes version-table SQL only', async () => {
  const dir = twoRevisions();
  const stamp = await sqlscribe(dir, 'stamp', 'head', '--no-guard');
  assert.equal(stamp.code, 0, stamp.stderr);
  assert.equal(
    stamp.stdout.slice(stamp.stdout.indexOf('BEGIN;')),
    `BEGIN;

CREATE TABLE IF NOT EXISTS alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

\\echo 'sqlscribe: stamp  -> b2b2 (1/1)'

-- Running stamp_revision  -> b2b2

INSERT INTO alembic_version (version_num) VALUES ('b2b2');

COMMIT;
`,
  );
  const down = await sqlscribe(dir, 'stamp', 'b2b2:base');
  assert.match(down.stdout, /^-- Running stamp_revision b2b2 -> \n\nDELETE FROM alembic_version WHERE alembic_version\.version_num = 'b2b2';$/m);
});

test('history, show and branches print Alembic listings; --json gives data', async () => {
  const dir = twoRevisions();
  const history = await sqlscribe(dir, 'history');
  assert.equal(history.stdout, 'a1a1 -> b2b2 (head), Revision b2b2\n<base> -> a1a1, Revision a1a1\n');
  const json = JSON.parse((await sqlscribe(dir, 'history', '--json')).stdout) as { revision: string; down: string[] }[];
  assert.deepEqual(json.map((r) => [r.revision, r.down]), [['b2b2', ['a1a1']], ['a1a1', []]]);
  const ranged = await sqlscribe(dir, 'history', '-r', 'a1a1:');
  assert.equal(ranged.code, 0, ranged.stderr);
  assert.match((await sqlscribe(dir, 'show', 'b2b2')).stdout, /^Rev: b2b2 \(head\)$/m);
  assert.equal((await sqlscribe(dir, 'branches')).stdout, '');
});

test('flags: --transaction-per-migration, --version-table and --version-table-schema, --migrations', async () => {
  const dir = twoRevisions();
  const out = await sqlscribe(dir, 'upgrade', 'a1a1:head', '--transaction-per-migration', '--version-table', 'schema_version', '--version-table-schema', 'meta', '--no-guard');
  assert.equal(out.code, 0, out.stderr);
  assert.equal(
    out.stdout.slice(out.stdout.indexOf('BEGIN;')),
    `BEGIN;

\\echo 'sqlscribe: upgrade a1a1 -> b2b2 (1/1): Revision b2b2'

-- Running upgrade a1a1 -> b2b2
-- Revision b2b2

ALTER TABLE t ADD COLUMN x TEXT;

UPDATE meta.schema_version SET version_num='b2b2' WHERE meta.schema_version.version_num = 'a1a1';

COMMIT;
`,
  );
  const elsewhere = scratchProject({ 'db/m/a1a1.ts': migrationSource('a1a1', null), 'db/n/b2b2.ts': migrationSource('b2b2', 'a1a1') });
  const two = await sqlscribe(elsewhere, 'history', '--migrations', 'db/m', '--migrations', 'db/n');
  assert.equal(two.stdout, 'a1a1 -> b2b2 (head), Revision b2b2\n<base> -> a1a1, Revision a1a1\n');
});
