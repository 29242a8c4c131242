/**
 * What MySQL/MariaDB lack is a UserError naming the dialect and the op — never a dropped or altered op —
 * and, through the CLI, one line naming the file, revision and op, exit 1, and no output file.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { check, column, foreignKey, op, sql, t, unique } from '../../src/ops/builders.js';
import type { Op } from '../../src/ops/types.js';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';
import { compileAll, type Flavour } from './support.js';

interface ErrorCase {
  readonly label: string;
  /** Ops before the failing one (compiled, must not fail). */
  readonly before?: readonly Op[];
  readonly op: Op;
  readonly message: RegExp;
  /** Default: both. */
  readonly dialects?: readonly Flavour[];
}

const users = op.createTable('users', [column('id', t.integer(), { primaryKey: true }), column('email', t.string(255))]);

const CASES: readonly ErrorCase[] = [
  { label: 'concurrently', before: [users], op: op.createIndex('ix', 'users', ['email'], { concurrently: true }), message: /^op\.createIndex\("ix"\): (MySQL|MariaDB) has no CREATE INDEX CONCURRENTLY/ },
  { label: 'dropIndex concurrently', op: op.dropIndex('ix', { table: 'users', concurrently: true }), message: /^op\.dropIndex\("ix"\): (MySQL|MariaDB) has no DROP INDEX CONCURRENTLY/ },
  { label: 'a partial index', before: [users], op: op.createIndex('ix', 'users', ['email'], { where: sql`id > 0` }), message: /has no partial indexes \(where\)$/ },
  { label: 'include', before: [users], op: op.createIndex('ix', 'users', ['email'], { include: ['id'] }), message: /has no covering-index INCLUDE columns/ },
  { label: 'using gist', before: [users], op: op.createIndex('ix', 'users', ['email'], { using: 'gist' }), message: /index methods are BTREE and HASH, got "gist"$/ },
  { label: 'a functional index on MariaDB', dialects: ['mariadb'], before: [users], op: op.createIndex('ix', 'users', [sql`lower(email)`]), message: /^op\.createIndex\("ix"\): MariaDB has no functional index key parts/ },
  { label: 'dropIndex without a table', op: op.dropIndex('ix'), message: /index names are per table: give the table/ },
  { label: 'an array', op: op.createTable('t', [column('tags', t.array(t.string(10)))]), message: /^op\.createTable\("t"\): t\.array\(\): (MySQL|MariaDB) has no array types/ },
  { label: 'an interval', op: op.addColumn('t', column('d', t.interval())), message: /^op\.addColumn\("t"\): t\.interval\(\): (MySQL|MariaDB) has no interval type/ },
  { label: 'time with time zone', op: op.createTable('t', [column('d', t.time({ timezone: true }))]), message: /has no time with time zone/ },
  { label: 'a string without a length', op: op.createTable('t', [column('s', t.string())]), message: /t\.string\(\) needs a length on (MySQL|MariaDB)/ },
  { label: 'identity', op: op.createTable('t', [column('id', t.integer(), { primaryKey: true, identity: { always: true } })]), message: /column "id": (MySQL|MariaDB) has no identity columns/ },
  { label: 'a deferrable unique', op: op.createTable('t', [column('a', t.integer()), unique(['a'], { deferrable: true })]), message: /unique\(\.\.\.\): (MySQL|MariaDB) has no deferrable constraints/ },
  { label: 'a deferrable foreign key', op: op.createForeignKey('fk', 'a', 'b', ['x'], ['id'], { initially: 'DEFERRED' }), message: /^op\.createForeignKey\("fk"\): (MySQL|MariaDB) has no deferrable constraints/ },
  { label: 'ON DELETE SET DEFAULT', op: op.createTable('t', [column('a', t.integer()), foreignKey(['a'], 'u', ['id'], { onDelete: 'SET DEFAULT' })]), message: /rejects foreign keys with SET DEFAULT/ },
  { label: 'a NOT VALID check', before: [users], op: op.createCheckConstraint('ck', 'users', sql`id > 0`, { notValid: true }), message: /has no NOT VALID constraints/ },
  { label: 'a NOT VALID foreign key', op: op.createForeignKey('fk', 'a', 'b', ['x'], ['id'], { notValid: true }), message: /has no NOT VALID foreign keys/ },
  { label: 'alterColumn using', before: [users], op: op.alterColumn('users', 'email', { type: t.text(), using: sql`email::text` }), message: /has no USING for a type change/ },
  { label: 'MODIFY of a table the model lacks', op: op.alterColumn('ghost', 'a', { nullable: false }), message: /MODIFY COLUMN restates the whole column, but sqlscribe's schema model has no table "ghost"/ },
  { label: 'dropConstraint of an unknown kind', before: [users], op: op.dropConstraint('mystery', 'users'), message: /give its type, op\.dropConstraint\("mystery", "users", \{ type:/ },
  { label: 'a nullable primary key', op: op.createTable('t', [column('id', t.integer(), { primaryKey: true, nullable: true })]), message: /a primary key column cannot be nullable/ },
  { label: 'a 65-character name', op: op.createTable('x'.repeat(65), [column('id', t.integer())]), message: /is 65 characters long; MySQL allows at most 64/ },
  { label: 'an execute without mysql text', op: op.execute({ postgresql: 'SELECT 1' }), message: /^op\.execute: op\.execute has no SQL for (MySQL|MariaDB) \(give mysql: or default:\)$/ },
  {
    label: 'dropping a column a check shares with another column',
    before: [op.createTable('r', [column('a', t.integer()), column('b', t.integer()), check(sql`a < b`, { name: 'ck_r_ab' })])],
    op: op.dropColumn('r', 'b'),
    message: /^op\.dropColumn\("r"\): (MySQL|MariaDB) refuses to drop column "b" of table "r": check constraint "ck_r_ab" uses it/,
  },
  {
    label: 'dropping a column a check of its own uses, on MySQL',
    dialects: ['mysql'],
    before: [op.createTable('r', [column('a', t.integer()), column('b', t.integer()), check(sql`b > 0`, { name: 'ck_r_b' })])],
    op: op.dropColumn('r', 'b'),
    message: /^op\.dropColumn\("r"\): MySQL refuses to drop column "b" of table "r": check constraint "ck_r_b" uses it/,
  },
  {
    label: 'renaming a column a check uses, on MySQL',
    dialects: ['mysql'],
    before: [op.createTable('r', [column('a', t.integer()), check(sql`a > 0`, { name: 'ck_r_a' })])],
    op: op.alterColumn('r', 'a', { newName: 'a2' }),
    message: /^op\.alterColumn\("r", "a"\): MySQL refuses to rename column "a" of table "r": check constraint "ck_r_a" uses it/,
  },
  { label: 'ADD COLUMN IF NOT EXISTS on MySQL', dialects: ['mysql'], before: [users], op: op.addColumn('users', column('a', t.integer()), { ifNotExists: true }), message: /^op\.addColumn\("users"\): MySQL has no ADD COLUMN IF NOT EXISTS \(MariaDB has; use --dialect mariadb/ },
  { label: 'DROP COLUMN IF EXISTS on MySQL', dialects: ['mysql'], op: op.dropColumn('users', 'email', { ifExists: true }), message: /MySQL has no DROP COLUMN IF EXISTS/ },
  { label: 'CREATE INDEX IF NOT EXISTS on MySQL', dialects: ['mysql'], before: [users], op: op.createIndex('ix', 'users', ['email'], { ifNotExists: true }), message: /MySQL has no CREATE INDEX IF NOT EXISTS/ },
];

for (const flavour of ['mysql', 'mariadb'] as const) {
  describe(`${flavour}: what the dialect lacks is an error`, () => {
    for (const c of CASES.filter((x) => (x.dialects ?? ['mysql', 'mariadb']).includes(flavour))) {
      test(c.label, () => {
        compileAll(flavour, c.before ?? []);
        assert.throws(
          () => compileAll(flavour, [...(c.before ?? []), c.op]),
          (err: unknown) => {
            assert.ok(err instanceof UserError, String(err));
            assert.match(err.message, c.message);
            if (!/(MySQL|MariaDB)/.test(c.message.source)) assert.match(err.message, flavour === 'mysql' ? /MySQL/ : /MariaDB|MySQL/);
            return true;
          },
        );
      });
    }
  });
}

describe('CLI', () => {
  for (const flavour of ['mysql', 'mariadb'] as const) {
    test(`${flavour}: an op the dialect lacks names the file, revision, op and dialect; exit 1; no output file`, async () => {
      const dir = scratchProject({
        'migrations/aaaa00000001_users.ts': migrationSource(
          'aaaa00000001',
          null,
          "upgrade: [op.createTable('users', [column('id', t.integer(), { primaryKey: true }), column('email', t.string(255))]), op.createIndex('ix_users_email', 'users', ['email'], { where: sql`email IS NOT NULL` })]",
        ),
      });
      const r = await sqlscribe(dir, 'upgrade', 'head', '--dialect', flavour, '-o', 'out/up.sql');
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      const D = flavour === 'mysql' ? 'MySQL' : 'MariaDB';
      assert.equal(
        r.stderr,
        `sqlscribe: error: migrations/aaaa00000001_users.ts (revision aaaa00000001, upgrade op 2 createIndex): op.createIndex("ix_users_email"): ${D} has no partial indexes (where)\n`,
      );
      assert.equal(existsSync(join(dir, 'out/up.sql')), false);
    });
  }
});
