/**
 * Each golden case, as its dialect renders it, applied to a fresh database on a real MariaDB server with
 * the `mariadb` client (batch mode stops at the first error), and the constraints the server reports
 * compared with the names the schema model predicted for them (`src/state/mysql.ts`).
 *
 * `mysql` output is applied on MariaDB too (only a MariaDB server is available): its one MySQL-only
 * statement form, `DROP CHECK` (MySQL 8.0.16+), is applied as `DROP CONSTRAINT`, MariaDB's spelling.
 * Cases with `apply: false` are not applied (they create databases, or use MySQL-only functional indexes).
 * MySQL 8 names an unnamed check `<table>_chk_<n>` where MariaDB names it `CONSTRAINT_<n>`: for `mysql`
 * output, the model's `<table>_chk_<n>` is compared with MariaDB's `CONSTRAINT_<n>`.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { mariadbCatalog, mariadbTest } from '../support/mariadb.js';
import { CASES } from './cases.js';
import { FLAVOURS, ModelContext, casesFor, goldenText } from './support.js';
import { onMariadb } from '../mysql/support.js';
import { mariadb, mysql } from '../../src/dialects/mysql/index.js';

for (const flavour of FLAVOURS) {
  describe(`${flavour} golden SQL on MariaDB`, () => {
    for (const c of casesFor(CASES, flavour).filter((x) => x.apply !== false)) {
      mariadbTest(c.name, async (_t, db) => {
        const r = await db.applyScript(onMariadb(goldenText(c, flavour), flavour));
        assert.equal(r.code, 0, r.stderr);
        // The model's constraint names are the server's.
        const ctx = new ModelContext(flavour, c.namingConvention);
        const dialect = flavour === 'mysql' ? mysql : mariadb;
        for (const o of c.ops) {
          dialect.compileOp(o, ctx);
          ctx.state.apply(o);
        }
        const catalog = await mariadbCatalog(db);
        for (const [name, table] of Object.entries(catalog.tables)) {
          const model = ctx.state.table(name);
          assert.ok(model, `table ${name} is in the model`);
          const server = Object.values(table.constraints)
            .filter((k) => !(k.type === 'CHECK' && /^json_valid\(/.test(k.check ?? '')))
            .map((k) => `${k.type} ${k.name}`)
            .sort();
          const predicted = [...model.constraints.values()]
            .map((k) => {
              const check = flavour === 'mysql' && k.defaultName ? k.name.replace(new RegExp(`^${name}_chk_`), 'CONSTRAINT_') : k.name;
              return { primaryKey: 'PRIMARY KEY PRIMARY', unique: `UNIQUE ${k.name}`, foreignKey: `FOREIGN KEY ${k.name}`, check: `CHECK ${check}` }[k.kind];
            })
            .sort();
          assert.deepEqual(server, predicted, `constraints of ${name}`);
          assert.deepEqual(Object.keys(table.columns).sort(), [...model.columns.keys()].sort(), `columns of ${name}`);
        }
      });
    }
  });
}
