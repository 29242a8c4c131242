/** `initProject`: the files of `sqlscribe init`, and its refusal to overwrite. */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { initProject } from '../../src/commands/scaffold.js';
import { UserError } from '../../src/errors.js';
import { BUILTIN_TEMPLATES_DIR } from '../../src/render/templates.js';
import { tempDir } from './helpers.js';

/** Every path under `dir`, relative, folders with a trailing `/`, sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) {
        out.push(`${relative(dir, full)}/`);
        walk(full);
      } else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

describe('initProject', () => {
  it('creates exactly the config, migrations/.gitkeep and templates/revision.ts.hbs', () => {
    const root = join(tempDir(), 'proj');
    const created = initProject(root, {});
    assert.deepEqual(created, [
      root,
      join(root, 'migrations'),
      join(root, 'templates'),
      join(root, 'sqlscribe.config.json'),
      join(root, 'migrations', '.gitkeep'),
      join(root, 'templates', 'revision.ts.hbs'),
    ]);
    assert.deepEqual(tree(root), ['migrations/', 'migrations/.gitkeep', 'sqlscribe.config.json', 'templates/', 'templates/revision.ts.hbs']);
    assert.equal(
      readFileSync(join(root, 'sqlscribe.config.json'), 'utf8'),
      '{\n  "dialect": "postgresql",\n  "migrations": [\n    "migrations"\n  ],\n  "out": "out",\n  "templates": "templates"\n}\n',
    );
    assert.equal(readFileSync(join(root, 'migrations', '.gitkeep'), 'utf8'), '');
    assert.equal(readFileSync(join(root, 'templates', 'revision.ts.hbs'), 'utf8'), readFileSync(join(BUILTIN_TEMPLATES_DIR, 'revision.ts.hbs'), 'utf8'));
  });

  it('writes the dialect it is given', () => {
    const root = tempDir();
    initProject(root, { dialect: 'sqlite' });
    assert.deepEqual(JSON.parse(readFileSync(join(root, 'sqlscribe.config.json'), 'utf8')), {
      dialect: 'sqlite',
      migrations: ['migrations'],
      out: 'out',
      templates: 'templates',
    });
  });

  it('reuses existing folders and reports only what it created', () => {
    const root = tempDir();
    mkdirSync(join(root, 'migrations'));
    writeFileSync(join(root, 'migrations', 'keep.txt'), 'mine');
    const created = initProject(root, {});
    assert.deepEqual(created, [
      join(root, 'templates'),
      join(root, 'sqlscribe.config.json'),
      join(root, 'migrations', '.gitkeep'),
      join(root, 'templates', 'revision.ts.hbs'),
    ]);
    assert.equal(readFileSync(join(root, 'migrations', 'keep.txt'), 'utf8'), 'mine');
  });

  it('refuses to overwrite, names every existing file, and writes nothing', () => {
    const root = tempDir();
    writeFileSync(join(root, 'sqlscribe.config.json'), '{"dialect":"mysql"}');
    mkdirSync(join(root, 'templates'));
    writeFileSync(join(root, 'templates', 'revision.ts.hbs'), 'ours');
    assert.throws(
      () => initProject(root, {}),
      (err: Error) =>
        err instanceof UserError &&
        err.message.includes(join(root, 'sqlscribe.config.json')) &&
        err.message.includes(join(root, 'templates', 'revision.ts.hbs')) &&
        !err.message.includes('.gitkeep'),
    );
    assert.equal(readFileSync(join(root, 'sqlscribe.config.json'), 'utf8'), '{"dialect":"mysql"}');
    assert.equal(readFileSync(join(root, 'templates', 'revision.ts.hbs'), 'utf8'), 'ours');
    assert.ok(!existsSync(join(root, 'migrations')), 'nothing created');
  });

  it('refuses when a sqlscribe.config.ts exists, or a folder path is a file', () => {
    const a = tempDir();
    writeFileSync(join(a, 'sqlscribe.config.ts'), 'export default {}');
    assert.throws(() => initProject(a, {}), (err: Error) => err instanceof UserError && err.message.includes('sqlscribe.config.ts'));
    assert.deepEqual(readdirSync(a), ['sqlscribe.config.ts']);

    const b = tempDir();
    writeFileSync(join(b, 'migrations'), '');
    assert.throws(() => initProject(b, {}), (err: Error) => err instanceof UserError && err.message.includes('not a folder'));
    assert.deepEqual(readdirSync(b), ['migrations']);
  });

  it('refuses a dialect that is not a plain name', () => {
    const root = tempDir();
    assert.throws(() => initProject(root, { dialect: 'postgres"ql' }), UserError);
    assert.throws(() => initProject(root, { dialect: '' }), UserError);
    assert.deepEqual(readdirSync(root), []);
  });
});
