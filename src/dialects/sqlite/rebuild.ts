/**
 * SQLite's table rebuild, offline: the procedure of SQLite docs, lang_altertable.html §7 "Making Other
 * Kinds Of Table Schema Changes", laid out as Alembic's batch mode "move and copy" writes it
 * (`CREATE TABLE _alembic_tmp_<t>`, `INSERT INTO ... SELECT`, `DROP TABLE`, `ALTER TABLE ... RENAME TO`,
 * indexes re-created; research: alembic-offline.md §7) — but from the schema model, so no `copy_from`
 * is needed. For one run of consecutive ops on one table (`TableRebuildRun`):
 *
 * 1. `CREATE TEMP TABLE _sqlscribe_rebuild_check (...)`: two counters whose CHECKs make a problem stop
 *    `sqlite3 -bail` with `CHECK constraint failed: <what>` (a `PRAGMA` only returns rows);
 * 2. count the table's triggers into it: the model does not know triggers (raw SQL makes them), and the
 *    DROP would lose them silently, so a table with triggers stops the script;
 * 3. `CREATE TABLE _alembic_tmp_<t>` from the model's table after the run (columns, constraints, comments);
 * 4. `INSERT INTO _alembic_tmp_<t> (...) SELECT ... FROM <t>`: every column that existed before the run
 *    (under its new name after a rename in the run), `CAST(... AS <type>)` where the run changed the type
 *    (as Alembic); added and generated columns are left to their defaults;
 * 5. `DROP TABLE <t>`, 6. `ALTER TABLE _alembic_tmp_<t> RENAME TO <t>` (the order §7 requires: renaming
 *    the old table away first would rewrite the foreign keys that point at it);
 * 7. the table's indexes, from the model;
 * 8. `PRAGMA foreign_key_check` of the table and of the tables that reference it, counted into the check
 *    table, so a violation stops the script before COMMIT; 9. the check table dropped.
 *
 * `PRAGMA foreign_keys=OFF` (without it the DROP would run the ON DELETE actions of the tables that
 * reference this one) is a no-op inside a transaction, so it is `outside`: the assembler writes it before
 * the first `BEGIN` and `PRAGMA foreign_keys=ON` after the last `COMMIT` (step 12 of §7, for the
 * connection that ran the script).
 */
import type { Column } from '../../ops/types.js';
import type { CompileContext, Statement, TableRebuild, TableRebuildRun } from '../types.js';
import { castType, commentText, describeOp, indexView, rowidColumn, tableItems, tableOf } from './compile.js';
import { quoteIdentifier, quoteString } from './quoting.js';
import { UserError } from '../../errors.js';

/** The temporary table of step 1. */
export const CHECK_TABLE = '_sqlscribe_rebuild_check';

/** Alembic's name for the new table of a batch "move and copy". */
export function tempTableName(table: string): string {
  return `_alembic_tmp_${table}`;
}

/**
 * For each column of the table after the run, the column of the table before it that holds its data,
 * following the run's renames, adds and drops (undefined: a column the run added).
 */
export function sourceColumns(run: TableRebuildRun): Map<string, string | undefined> {
  const cur = new Map<string, string | undefined>([...run.before.columns.keys()].map((n) => [n, n]));
  for (const op of run.ops) {
    if (op.kind === 'addColumn') cur.set(op.column.name, undefined);
    else if (op.kind === 'dropColumn') cur.delete(op.column);
    else if (op.kind === 'alterColumn' && op.newName !== undefined && op.newName !== op.column) {
      const v = cur.get(op.column);
      cur.delete(op.column);
      cur.set(op.newName, v);
    }
  }
  return cur;
}

function sameType(a: Column, b: Column): boolean {
  return JSON.stringify(a.type) === JSON.stringify(b.type);
}

/** The statements of one rebuild (module comment). @throws UserError for what the table cannot render. */
export function compileRebuild(run: TableRebuildRun, ctx: CompileContext): Statement[] {
  const where = `${describeOp(run.ops[0]!)}${run.ops.length > 1 ? ` (rebuilding table "${run.table}" with the ${run.ops.length - 1} op(s) after it)` : ''}`;
  if (run.schema !== undefined) throw new UserError(`${where}: SQLite has no schemas (schema "${run.schema}")`);
  const out: Statement[] = [];
  const emit = (template: string, view: object): void => {
    out.push({ sql: ctx.templates.render(`${template}.sql`, view).trim() });
  };
  const after = run.after;
  const table = quoteIdentifier(run.table);
  const tmp = quoteIdentifier(tempTableName(run.table));
  const columns = [...after.columns.values()];
  const constraints = [...after.constraints.values()];
  const check = {
    checkTable: quoteIdentifier(CHECK_TABLE),
    triggersColumn: 'triggers',
    violationsColumn: 'foreign_key_violations',
    triggersConstraint: quoteIdentifier(`table ${run.table} has triggers, which a rebuild would drop`),
    violationsConstraint: quoteIdentifier(`rebuilding table ${run.table} breaks foreign keys`),
  };

  emit('rebuildCheckTable', check);
  emit('rebuildCheckTriggers', { ...check, tableName: quoteString(run.table) });
  emit('createTable', {
    ifNotExists: false,
    table: tmp,
    comment: after.comment === undefined ? null : commentText(after.comment, where),
    items: tableItems(columns, constraints, where),
  });
  const sources = sourceColumns(run);
  const rowidAfter = rowidColumn(columns, constraints);
  const copied: { target: string; value: string }[] = [];
  for (const c of columns) {
    const from = sources.get(c.name);
    if (from === undefined || c.computed !== undefined) continue;
    const old = run.before.columns.get(from);
    if (!old || old.computed !== undefined) continue;
    const src = quoteIdentifier(from);
    const value = sameType(old, c) ? src : `CAST(${src} AS ${castType(c, c.name === rowidAfter)})`;
    copied.push({ target: quoteIdentifier(c.name), value: value === src && from === c.name ? src : `${value} AS ${quoteIdentifier(c.name)}` });
  }
  if (copied.length > 0) emit('copyRows', { table: tmp, columns: copied.map((c) => c.target), values: copied.map((c) => c.value), from: table });
  emit('dropTable', { ifExists: false, table });
  emit('renameTable', { table: tmp, newName: table });
  for (const ix of after.indexes.values()) emit('createIndex', indexView(ix, false, where));
  emit('rebuildCheckForeignKeys', { ...check, tables: [run.table, ...run.referencedBy].map(quoteString) });
  emit('rebuildCheckDrop', check);
  return out;
}

/** SQLite's {@link TableRebuild}. */
export const sqliteRebuild: TableRebuild = {
  tableOf,
  compile: compileRebuild,
  outside: { before: ['PRAGMA foreign_keys=OFF'], after: ['PRAGMA foreign_keys=ON'] },
};
