/**
 * The layout of a MySQL/MariaDB script on a real MariaDB server: no transaction around DDL, the version
 * table written right after each migration, so that a statement failing in the middle leaves the
 * database at the last completed revision (as the header says) and the script can be resumed from there.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { migrationSource, scratchProject, sqlscribe } from '../support/cli.js';
import { mariadbCatalog, mariadbTest } from '../support/mariadb.js';
import { parseAll } from '../support/sqlparse.js';
import { FLAVOURS } from './support.js';

const project = (): string =>
  scratchProject({
    'migrations/aaaa00000001_users.ts': migrationSource('aaaa00000001', null, "upgrade: [op.createTable('users', [column('id', t.integer(), { primaryKey: true })])]"),
    'migrations/aaaa00000002_broken.ts': migrationSource(
      'aaaa00000002',
      'aaaa00000001',
      "upgrade: [op.addColumn('users', column('email', t.string(255))), op.execute('INSERT INTO no_such_table VALUES (1)'), op.addColumn('users', column('name', t.string(50)))]",
    ),
    'migrations/aaaa00000003_more.ts': migrationSource('aaaa00000003', 'aaaa00000002', "upgrade: [op.createTable('more', [column('id', t.integer(), { primaryKey: true })])]"),
  });

for (const flavour of FLAVOURS) {
  describe(`${flavour}: script layout`, () => {
    mariadbTest('a failure mid-way leaves the database at the last completed revision', async (_t, db) => {
      const dir = project();
      const r = await sqlscribe(dir, 'upgrade', 'head', '--dialect', flavour);
      assert.equal(r.code, 0, r.stderr);
      const script = r.stdout;
      assert.doesNotMatch(script, /^(BEGIN|COMMIT);$/m);
      assert.match(script, new RegExp(`^-- Apply with: ${flavour} --default-character-set=utf8mb4 <database> < <file>$`, 'm'));
      assert.match(script, /^-- MySQL\/MariaDB have no transactional DDL: every statement commits on its own, and the version table is$/m);
      // The version row follows each migration's last statement, before the next migration's first.
      const insert = script.indexOf("INSERT INTO `alembic_version` (`version_num`) VALUES ('aaaa00000001');");
      assert.ok(insert > script.indexOf('CREATE TABLE `users`') && insert < script.indexOf('ALTER TABLE `users` ADD COLUMN `email`'));
      assert.deepEqual(parseAll(script, flavour).failures, []);

      const applied = await db.applyScript(script);
      assert.equal(applied.code, 1);
      assert.match(applied.stderr, /no_such_table/);
      assert.deepEqual(await db.query('SELECT version_num FROM alembic_version'), [['aaaa00000001']]);
      const catalog = await mariadbCatalog(db);
      // What the failed migration did before the error stays (no transactional DDL); what follows did not run.
      assert.deepEqual(Object.keys(catalog.tables.users!.columns).sort(), ['email', 'id']);
      assert.equal(catalog.tables.more, undefined);

      // Undo by hand what the header says to undo, then resume from the version table's revision.
      await db.exec('ALTER TABLE users DROP COLUMN email; CREATE TABLE no_such_table (x INTEGER)');
      const resume = await sqlscribe(dir, 'upgrade', 'aaaa00000001:head', '--dialect', flavour);
      assert.equal(resume.code, 0, resume.stderr);
      const again = await db.applyScript(resume.stdout);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(await db.query('SELECT version_num FROM alembic_version'), [['aaaa00000003']]);
    });
  });
}
