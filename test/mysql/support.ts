/**
 * Helpers of the MySQL/MariaDB engine tests: compiling a migrations folder with the CLI for a flavour,
 * making `mysql` output applicable on MariaDB, and a compact, order-independent shape of a catalog that
 * an intended schema can be written in.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { sqlscribe, scratchProject } from '../support/cli.js';
import type { MariaCatalog } from '../support/mariadb.js';
import { parseAll } from '../support/sqlparse.js';

export type Flavour = 'mysql' | 'mariadb';
export const FLAVOURS: readonly Flavour[] = ['mysql', 'mariadb'];

/** `test/fixtures/portable/<name>` in the source tree. */
export function portable(name: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/portable/${name}`, import.meta.url));
}

/**
 * The script of `sqlscribe <command> <range> --dialect <flavour> --migrations <dir>`, checked to exit 0 and
 * to parse with node-sql-parser (`test/support/sqlparse.ts`).
 */
export async function compile(flavour: Flavour, dir: string, command: 'upgrade' | 'downgrade', range: string): Promise<string> {
  const cwd = scratchProject({});
  const r = await sqlscribe(cwd, command, range, '--dialect', flavour, '--migrations', dir);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(parseAll(r.stdout, flavour).failures, [], `node-sql-parser rejects a statement of ${command} ${range}`);
  return r.stdout;
}

/**
 * `mysql` output applied on MariaDB: its one MySQL-only statement form, `DROP CHECK` (MySQL 8.0.16+), in
 * MariaDB's spelling `DROP CONSTRAINT`. `mariadb` output unchanged.
 */
export function onMariadb(sql: string, flavour: Flavour): string {
  return flavour === 'mysql' ? sql.replace(/^(ALTER TABLE \S+) DROP CHECK /gm, '$1 DROP CONSTRAINT ') : sql;
}

/** A table as lines: columns in position order, then indexes and constraints sorted. */
export interface TableShape {
  readonly columns: readonly string[];
  readonly indexes: readonly string[];
  readonly constraints: readonly string[];
}

/**
 * The catalog as {@link TableShape}s: a column is `name type [NOT NULL] [DEFAULT d] [extra] [COMMENT c]`;
 * an index `name [UNIQUE] (cols)`; a constraint `TYPE name (cols)`, with `-> table (cols) ON DELETE x`
 * for a foreign key (ON UPDATE when not RESTRICT) and the clause for a check.
 */
export function shapeOf(catalog: MariaCatalog): Record<string, TableShape> {
  const out: Record<string, TableShape> = {};
  for (const [name, t] of Object.entries(catalog.tables)) {
    const columns = Object.values(t.columns)
      .sort((a, b) => a.position - b.position)
      .map((c) =>
        [c.name, c.type, c.notNull ? 'NOT NULL' : '', c.default !== null && c.default !== 'NULL' ? `DEFAULT ${c.default}` : '', c.extra, c.comment ? `COMMENT ${c.comment}` : '']
          .filter(Boolean)
          .join(' '),
      );
    const indexes = Object.values(t.indexes)
      .map((i) => `${i.name}${i.unique ? ' UNIQUE' : ''} (${i.columns.join(', ')})`)
      .sort();
    const constraints = Object.values(t.constraints)
      .map((k) => {
        let s = `${k.type} ${k.name}`;
        if (k.type !== 'CHECK') s += ` (${k.columns.join(', ')})`;
        if (k.references) {
          s += ` -> ${k.references.table} (${k.references.columns.join(', ')}) ON DELETE ${k.references.onDelete}`;
          if (k.references.onUpdate !== 'RESTRICT') s += ` ON UPDATE ${k.references.onUpdate}`;
        }
        if (k.check !== null) s += ` ${k.check}`;
        return s;
      })
      .sort();
    out[name] = { columns, indexes, constraints };
  }
  return out;
}
