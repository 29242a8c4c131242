/**
 * What the lint rules need to know about the schema while they walk one op list: which tables existed
 * before the list's first op (and so hold production rows and are used by running code), which columns
 * the list itself added, and each column's current type.
 *
 * It is an overlay over the {@link SchemaState} the caller gives, which it only reads
 * (`before.table(name, schema)` and its `columns` map): everything the list changes is simulated here,
 * from the ops themselves. A table the state does not know (created by `op.execute`, or before the
 * project adopted sqlscribe, e.g. a database Alembic has been migrating) is taken to exist, with
 * columns of unknown type: the safe assumption for a linter.
 */
import type { Column, Op, TypeSpec } from '../ops/types.js';
import { qualifiedKey, type SchemaState } from '../state/schema.js';

/** A column as the lint walk sees it. */
export interface LintColumn {
  readonly name: string;
  /** Undefined when the column is known to exist but not its type (a table the state does not know). */
  readonly type: TypeSpec | undefined;
  /** Added by an earlier op of this list: it holds no data that existed before the list. */
  readonly added: boolean;
}

/** A table as the lint walk sees it. */
export interface LintTable {
  readonly schema: string | undefined;
  readonly name: string;
  /** Created by an earlier op of this list: empty when the list started, and no running code uses it. */
  readonly created: boolean;
  /** Known columns, in order. */
  readonly columns: Map<string, LintColumn>;
  /**
   * True when `columns` lists every column (a table of the state, or one this list created); false for a
   * table the state does not know, whose other columns exist with unknown types.
   */
  readonly complete: boolean;
}

const fromColumn = (c: Column, added: boolean): LintColumn => ({ name: c.name, type: c.type, added });

/** The schema overlay of one lint walk. Call {@link LintModel.apply} after linting each op. */
export class LintModel {
  readonly #before: SchemaState;
  /** Tables looked up or changed so far, by qualified key; `null` = known not to exist any more. */
  readonly #tables = new Map<string, LintTable | null>();
  /** Indexes this list created (qualified key), so that dropping one of them again is no finding. */
  readonly #createdIndexes = new Set<string>();

  constructor(before: SchemaState) {
    this.#before = before;
  }

  /**
   * The table as it is now; undefined when it was dropped or renamed away by an earlier op of this list
   * (the op at hand would fail at run time, which is not a lint finding).
   */
  table(name: string, schema?: string): LintTable | undefined {
    const key = qualifiedKey(name, schema);
    const seen = this.#tables.get(key);
    if (seen !== undefined) return seen ?? undefined;
    const known = this.#before.table(name, schema);
    const table: LintTable = known
      ? { schema, name, created: false, complete: true, columns: new Map([...known.columns].map(([k, c]) => [k, fromColumn(c, false)])) }
      : { schema, name, created: false, complete: false, columns: new Map() };
    this.#tables.set(key, table);
    return table;
  }

  /** True when the table existed before this list (or is unknown, and so is assumed to). */
  existedBefore(name: string, schema?: string): boolean {
    const t = this.table(name, schema);
    return t !== undefined && !t.created;
  }

  /**
   * The column as it is now: its known entry, else an entry of unknown type that existed before (a table
   * the state does not know, or a column that raw SQL added); undefined only when the table is gone.
   */
  column(table: string, column: string, schema?: string): LintColumn | undefined {
    const t = this.table(table, schema);
    if (!t) return undefined;
    return t.columns.get(column) ?? { name: column, type: undefined, added: false };
  }

  /** True when this list created the index (so dropping it again drops nothing that existed). */
  indexCreatedHere(name: string, schema?: string): boolean {
    return this.#createdIndexes.has(qualifiedKey(name, schema));
  }

  /**
   * Marks everything as existing: what the list created is, from here on, "before". Used between a
   * migration's upgrade and its hand-written downgrade, which runs against a database that has had the
   * upgrade (and its tables' rows) for a while.
   */
  settle(): void {
    for (const [key, t] of this.#tables) {
      if (!t) continue;
      const columns = new Map([...t.columns].map(([k, c]) => [k, { ...c, added: false }]));
      this.#tables.set(key, { ...t, created: false, columns });
    }
    this.#createdIndexes.clear();
  }

  /** Moves the overlay past `op`. Raw SQL (`execute`) and `bulkInsert` change nothing it tracks. */
  apply(op: Op): void {
    switch (op.kind) {
      case 'createTable': {
        // IF NOT EXISTS on a table known to exist is a no-op; on one the state does not know, it is taken to
        // create the table (the usual reason to write it).
        if (op.ifNotExists && this.table(op.table, op.schema)?.complete) return;
        const columns = new Map<string, LintColumn>();
        for (const item of op.items) if (item.kind === 'column') columns.set(item.name, fromColumn(item, true));
        this.#tables.set(qualifiedKey(op.table, op.schema), { schema: op.schema, name: op.table, created: true, complete: true, columns });
        return;
      }
      case 'dropTable':
        this.#tables.set(qualifiedKey(op.table, op.schema), null);
        return;
      case 'renameTable': {
        const t = this.table(op.table, op.schema);
        this.#tables.set(qualifiedKey(op.table, op.schema), null);
        if (t) this.#tables.set(qualifiedKey(op.newName, op.schema), { ...t, name: op.newName });
        return;
      }
      case 'addColumn': {
        const t = this.table(op.table, op.schema);
        if (t && !(op.ifNotExists && t.columns.has(op.column.name))) t.columns.set(op.column.name, fromColumn(op.column, true));
        return;
      }
      case 'dropColumn': {
        this.table(op.table, op.schema)?.columns.delete(op.column);
        return;
      }
      case 'alterColumn': {
        const t = this.table(op.table, op.schema);
        const c = this.column(op.table, op.column, op.schema);
        if (!t || !c) return;
        const next: LintColumn = { ...c, ...(op.type ? { type: op.type } : {}), ...(op.newName ? { name: op.newName } : {}) };
        const rebuilt = new Map<string, LintColumn>();
        let placed = false;
        for (const [k, v] of t.columns) {
          if (k === op.column) {
            rebuilt.set(next.name, next);
            placed = true;
          } else rebuilt.set(k, v);
        }
        if (!placed) rebuilt.set(next.name, next);
        t.columns.clear();
        for (const [k, v] of rebuilt) t.columns.set(k, v);
        return;
      }
      case 'createIndex':
        this.#createdIndexes.add(qualifiedKey(op.name, op.schema));
        return;
      case 'dropIndex':
        this.#createdIndexes.delete(qualifiedKey(op.name, op.schema));
        return;
      default:
        return;
    }
  }
}
