/**
 * The MySQL and MariaDB version guards on MariaDB 10.11 with the `mariadb` client (the `mysql` output
 * there too: the guard uses no MySQL-only syntax): a script starting at a later revision applied to a
 * database at an earlier one exits 1 before any change, with the expected and found rows in the error,
 * and leaves the catalog and the version rows as they were; from base, a database without a version
 * table passes; the right revision applies. Every script is also read by node-sql-parser.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';
import { mariadbCatalog, mariadbTest, type MariaDb } from '../support/mariadb.js';
import { parseAll } from '../support/sqlparse.js';
import { FLAVOURS, type Flavour } from './support.js';

const dir = scratchProject({
  'migrations/a1_one.ts': migrationSource('a1', null, "upgrade: [op.createTable('one', [column('id', t.integer(), { primaryKey: true })])]"),
  'migrations/a2_two.ts': migrationSource('a2', 'a1', "upgrade: [op.createTable('two', [column('id', t.integer(), { primaryKey: true })])]"),
  'migrations/a3_three.ts': migrationSource('a3', 'a2', "upgrade: [op.createTable('three', [column('id', t.integer(), { primaryKey: true })])]"),
});

async function script(flavour: Flavour, ...argv: string[]): Promise<string> {
  const r = await sqlscribe(dir, ...argv, '--dialect', flavour);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(parseAll(r.stdout, flavour).failures, []);
  return r.stdout;
}

const versions = async (db: MariaDb) => (await db.query('SELECT version_num FROM alembic_version ORDER BY 1')).map((r) => r[0]);
const tables = async (db: MariaDb) => Object.keys((await mariadbCatalog(db)).tables).sort();

/** The error line each flavour's guard ends with, for `expected` / `found`. */
function refusal(flavour: Flavour, what: string, expected: string, found: string, short: string): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return flavour === 'mariadb'
    ? new RegExp(`^ERROR 1644 \\(45000\\) at line \\d+: ${esc(`sqlscribe version guard: this script (${what}) expects ${expected}; the database has ${found}. Nothing was changed.`)}`, 'm')
    : new RegExp(`^ERROR 1366 \\(22007\\) at line \\d+: Incorrect integer value: '${esc(`sqlscribe version guard: found ${found}; expected ${short} (${what})`)}' for column `, 'm');
}

for (const flavour of FLAVOURS) {
  describe(`${flavour}: version guard on MariaDB`, () => {
    mariadbTest('from base: no version table passes; a later start is refused with nothing changed; the right start applies', async (_t, db) => {
      let r = await db.applyScript(await script(flavour, 'upgrade', 'a1'));
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await versions(db), ['a1']);
      const before = await mariadbCatalog(db);

      r = await db.applyScript(await script(flavour, 'upgrade', 'a2:head'));
      assert.equal(r.code, 1);
      assert.match(r.stderr, refusal(flavour, 'upgrade a2:head', 'alembic_version holding exactly [a2]', '[a1]', '[a2]'));
      if (flavour === 'mysql') {
        // What was found, in full, before the error.
        assert.match(r.stdout, /^sqlscribe version guard: this script \(upgrade a2:head\) expects alembic_version holding exactly \[a2\]; the database has \[a1\]\.$/m);
      }
      assert.deepEqual(await mariadbCatalog(db), before);
      assert.deepEqual(await versions(db), ['a1']);

      r = await db.applyScript(await script(flavour, 'upgrade', 'head'));
      assert.equal(r.code, 1);
      assert.match(r.stderr, refusal(flavour, 'upgrade base:head', 'alembic_version absent or empty', '[a1]', 'none'));
      assert.deepEqual(await mariadbCatalog(db), before);

      r = await db.applyScript(await script(flavour, 'upgrade', 'a1:head'));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '', 'a passing guard prints nothing');
      assert.deepEqual(await versions(db), ['a3']);
      assert.deepEqual(await tables(db), ['alembic_version', 'one', 'three', 'two']);
    });

    mariadbTest('a non-base start without a version table is refused; an empty version table counts as base', async (_t, db) => {
      let r = await db.applyScript(await script(flavour, 'upgrade', 'a1:head'));
      assert.equal(r.code, 1);
      assert.match(r.stderr, refusal(flavour, 'upgrade a1:head', 'alembic_version holding exactly [a1]', 'no version table', '[a1]'));
      assert.deepEqual(await tables(db), []);

      await db.exec('CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)');
      r = await db.applyScript(await script(flavour, 'upgrade', 'a1:head'));
      assert.equal(r.code, 1);
      assert.match(r.stderr, refusal(flavour, 'upgrade a1:head', 'alembic_version holding exactly [a1]', 'an empty version table', '[a1]'));
      r = await db.applyScript(await script(flavour, 'upgrade', 'a2'));
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await versions(db), ['a2']);
    });
  });
}
