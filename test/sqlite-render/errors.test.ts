/**
 * What SQLite lacks is a UserError naming the op and SQLite (`error-cases.ts`); through the CLI it is one
 * line naming the file, revision and op, exit 1, and no output file.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';
import { ERROR_CASES } from './error-cases.js';
import { Compiler } from './support.js';

describe('SQLite dialect errors', () => {
  for (const c of ERROR_CASES) {
    test(c.label, () => {
      const compiler = new Compiler();
      compiler.compile(c.setup ?? []);
      assert.throws(
        () => compiler.compile([c.op]),
        (err: unknown) => {
          assert.ok(err instanceof UserError, `not a UserError: ${String(err)}`);
          assert.match(err.message, c.message);
          return true;
        },
      );
    });
  }

  test('the CLI names the file, revision and op, exits 1 and writes no output file', async () => {
    const dir = scratchProject({
      'migrations/aaaa0001_a.ts': migrationSource('aaaa0001', null, "upgrade: [op.createTable('t', [column('id', t.integer(), { primaryKey: true })]), op.createIndex('ix_t', 't', ['id'], { concurrently: true })]"),
    });
    const r = await sqlscribe(dir, 'upgrade', 'head', '--dialect', 'sqlite', '-o', 'out.sql');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr.trim(),
      'sqlscribe: error: migrations/aaaa0001_a.ts (revision aaaa0001, upgrade op 2 createIndex): op.createIndex("ix_t"): SQLite has no CREATE INDEX CONCURRENTLY; drop concurrently',
    );
    assert.ok(!existsSync(join(dir, 'out.sql')));
  });

  test('sqlscribe check reports a SQLite dialect error of an op that would be rebuilt', async () => {
    const dir = scratchProject({
      'migrations/aaaa0001_a.ts': migrationSource('aaaa0001', null, "upgrade: [op.createTable('t', [column('id', t.integer(), { primaryKey: true }), column('a', t.integer())]), op.createCheckConstraint('ck', 't', sql`a > 0`, { notValid: true })]"),
    });
    const r = await sqlscribe(dir, 'check', '--dialect', 'sqlite');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /migrations\/aaaa0001_a\.ts \(revision aaaa0001, upgrade op 2 createCheckConstraint\): op\.createCheckConstraint\("ck"\): SQLite has no NOT VALID/);
  });
});
