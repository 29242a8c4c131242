/**
 * Derived downgrades: when a migration omits `downgrade`, its downgrade is the inverse of each upgrade op,
 * in reverse order (Alembic's `UpgradeOps.reverse_into`; node-pg-migrate's `.reverse`). Each inverse is
 * computed from the op and the schema state just before it, so drops and alterations are reversible too
 * — Alembic's `DropColumnOp.reverse()` needs the column passed in ("operation is not reversible; original
 * column is not present"), and node-pg-migrate cannot reverse drops at all.
 *
 * | op | inverse |
 * |---|---|
 * | createTable / addColumn / createIndex / createSchema / createEnum | the drop (nothing when `ifNotExists` met an existing one) |
 * | create*Constraint, createForeignKey | dropConstraint; createPrimaryKey also makes its columns nullable again where they were (PostgreSQL made them NOT NULL) |
 * | dropTable | createTable with every column, constraint (same names), comment; then its indexes |
 * | dropColumn | addColumn with the full earlier definition; then the constraints and indexes that went with it |
 * | dropIndex, dropConstraint | re-created with the same name and definition |
 * | alterColumn | the earlier type (with the earlier collation), nullability, default and comment, and the reverse rename |
 * | renameTable | the reverse rename |
 * | createTableComment / dropTableComment | the earlier comment, or dropTableComment |
 * | dropSchema (empty) / dropEnum | createSchema / createEnum (a type made on first use comes back with its first restored use) |
 * | execute, bulkInsert | none: the migration is irreversible without a hand-written `downgrade` |
 *
 * Enum types that an op created on first use need no inverse op: the compiler drops them after their
 * last use. Restored columns and tables are empty: the derived downgrade carries a warning for each,
 * printed in the script. Known limits (README "Derived downgrades"): a restored column goes at the end of
 * the table; a reverse type change has no `USING`.
 */
import { formatSite, UserError, type ErrorSite } from '../errors.js';
import { check, column, foreignKey, op as ops, primaryKey, unique } from '../ops/builders.js';
import type { ColumnOptions } from '../ops/builders.js';
import type { Column, CreateTableOp, Op, TableItem } from '../ops/types.js';
import type { ConstraintState, IndexState, SchemaState, TableState } from '../state/schema.js';
import { MigrationError } from './errors.js';

/** The ops that undo one op, and the warnings the downgrade script prints for them. */
export interface Inverse {
  readonly ops: Op[];
  readonly warnings: string[];
}

/** A derived downgrade: the inverses of a whole upgrade list, in reverse order, and their warnings. */
export interface DerivedDowngrade {
  readonly ops: Op[];
  readonly warnings: string[];
}

const schemaOf = (s: string | undefined) => (s !== undefined ? { schema: s } : {});

/** `users` or `audit.runs`, as warnings name a table. */
function display(table: string, schema: string | undefined): string {
  return schema ? `${schema}.${table}` : table;
}

function underivable(op: Op, site: ErrorSite, why: string): MigrationError {
  return new MigrationError(site, `cannot derive the downgrade of ${op.kind}: ${why} — write a 'downgrade' list for this migration`, 'underivable');
}

/** Why an object the inverse needs is not known: the model is stale, or it does not exist. */
function unknown(what: string, before: SchemaState): string {
  if (before.stale) {
    return `${what} is not in the schema model, which may be stale since the raw SQL of ${formatSite(before.stale.site)} (declare what that SQL did with op.execute(sql, { effects: [...] }))`;
  }
  return `${what} does not exist`;
}

/** `-- WARNING` text for a column restored empty. */
export function restoredColumnWarning(table: string, schema: string | undefined, col: Column, serial: boolean): string {
  const base = `${display(table, schema)}.${col.name} is restored empty: its data is not restored`;
  const filled = col.serverDefault !== undefined || col.identity !== undefined || col.computed !== undefined || serial;
  return col.nullable === false && !filled ? `${base} (NOT NULL without a default: this fails while the table has rows)` : base;
}

/** `-- WARNING` text for a table restored empty. */
export function restoredTableWarning(table: string, schema: string | undefined): string {
  return `table ${display(table, schema)} is restored empty: its rows are not restored`;
}

/**
 * The column as an op re-creates it: its definition, and `autoincrement` saying what it was — SERIAL
 * (`true`, which needs it in the primary key) or not (`false` for a primary-key column, so that the
 * re-created table does not make it SERIAL where it was not). Its sequence comes back under the name it
 * had: when PostgreSQL would choose another now (the table was renamed since), or when a SERIAL column
 * is not in the primary key re-created with it, the column carries the internal `sequenceName`, which
 * the dialect spells out (`CREATE SEQUENCE`, `DEFAULT nextval(...)`, `OWNED BY`; identity: `SEQUENCE NAME`).
 * @param inPrimaryKey whether the column is in the primary key the op re-creates with it.
 */
function restoredColumn(table: TableState, name: string, inPrimaryKey: boolean, primaryKeyFlag: boolean, before: SchemaState): Column {
  const c = table.columns.get(name)!;
  const seq = table.sequences.get(name);
  let sequenceName: string | undefined;
  if (seq) {
    // The name PostgreSQL would give the sequence now (the sequence itself aside, as it is gone then).
    const ns = before.namespace(table.schema);
    const natural = before.dialect.sequenceName(table.name, name, { relationExists: (n) => n !== seq.name && ns.relationExists(n), constraintExists: (n) => ns.constraintExists(n) });
    if (natural !== seq.name || (seq.kind === 'serial' && !inPrimaryKey)) sequenceName = seq.name;
  }
  const o: ColumnOptions = {};
  if (c.nullable !== undefined) o.nullable = c.nullable;
  if (c.serverDefault !== undefined) o.serverDefault = c.serverDefault;
  if (c.comment !== undefined) o.comment = c.comment;
  if (c.identity !== undefined) o.identity = c.identity;
  if (c.computed !== undefined) o.computed = c.computed;
  if (c.collation !== undefined) o.collation = c.collation;
  if (seq?.kind === 'serial') {
    if (sequenceName === undefined) o.autoincrement = true;
  } else if (inPrimaryKey && c.identity === undefined) {
    o.autoincrement = false;
  }
  if (primaryKeyFlag) o.primaryKey = true;
  const restored = column(name, c.type, o);
  return sequenceName === undefined ? restored : { ...restored, sequenceName };
}

/**
 * `op.createTable`, also with no items: a table whose every column was dropped (PostgreSQL 15 docs, CREATE
 * TABLE: "PostgreSQL allows a table of no columns to be created") comes back as `CREATE TABLE t ()`, and
 * the inverses of the column drops add its columns after it. The builder refuses an empty list (a user who
 * writes one means something else), so this one op is made here.
 */
function createTableOp(table: string, items: TableItem[], opts: { schema?: string; comment?: string }): CreateTableOp {
  if (items.length > 0) return ops.createTable(table, items, opts);
  return { kind: 'createTable', table, items: [], ...(opts.schema !== undefined ? { schema: opts.schema } : {}), ...(opts.comment !== undefined ? { comment: opts.comment } : {}) };
}

/** A constraint as a `createTable` item. */
function tableItem(c: ConstraintState, name: string): TableItem {
  switch (c.kind) {
    case 'primaryKey':
      return primaryKey(c.columns, { name });
    case 'unique':
      return unique(c.columns, { name, ...(c.deferrable !== undefined ? { deferrable: c.deferrable } : {}), ...(c.initially ? { initially: c.initially } : {}) });
    case 'check':
      return check(c.condition!, { name });
    case 'foreignKey':
      return foreignKey(c.columns, c.refTable!, c.refColumns!, {
        name,
        ...(c.refSchema !== undefined ? { refSchema: c.refSchema } : {}),
        ...(c.onDelete ? { onDelete: c.onDelete } : {}),
        ...(c.onUpdate ? { onUpdate: c.onUpdate } : {}),
        ...(c.deferrable !== undefined ? { deferrable: c.deferrable } : {}),
        ...(c.initially ? { initially: c.initially } : {}),
      });
  }
}

/** The op that re-creates a constraint of `table` (named as it was). */
export function recreateConstraint(c: ConstraintState, table: string, schema: string | undefined, name: string): Op {
  switch (c.kind) {
    case 'primaryKey':
      return ops.createPrimaryKey(name, table, c.columns, schemaOf(schema));
    case 'unique':
      return ops.createUniqueConstraint(name, table, c.columns, {
        ...schemaOf(schema),
        ...(c.deferrable !== undefined ? { deferrable: c.deferrable } : {}),
        ...(c.initially ? { initially: c.initially } : {}),
      });
    case 'check':
      return ops.createCheckConstraint(name, table, c.condition!, { ...schemaOf(schema), ...(c.notValid ? { notValid: true } : {}) });
    case 'foreignKey':
      return ops.createForeignKey(name, table, c.refTable!, c.columns, c.refColumns!, {
        ...(schema !== undefined ? { sourceSchema: schema } : {}),
        ...(c.refSchema !== undefined ? { referentSchema: c.refSchema } : {}),
        ...(c.onDelete ? { onDelete: c.onDelete } : {}),
        ...(c.onUpdate ? { onUpdate: c.onUpdate } : {}),
        ...(c.deferrable !== undefined ? { deferrable: c.deferrable } : {}),
        ...(c.initially ? { initially: c.initially } : {}),
        ...(c.notValid ? { notValid: true } : {}),
      });
  }
}

/** The op that re-creates an index (named as it was). */
function recreateIndex(ix: IndexState, name: string, schema: string | undefined, concurrently: boolean): Op {
  return ops.createIndex(name, ix.table, ix.columns, {
    ...schemaOf(schema),
    ...(ix.unique ? { unique: true } : {}),
    ...(ix.where ? { where: ix.where } : {}),
    ...(ix.using ? { using: ix.using } : {}),
    ...(ix.include ? { include: ix.include } : {}),
    ...(concurrently ? { concurrently: true } : {}),
  });
}


/**
 * The ops that undo `op` given the state before it, in the order they must run, with the script warnings
 * they need.
 * @throws MigrationError (at `site`): `irreversible` for execute and bulkInsert, `underivable` when the
 *   inverse needs what the model does not know.
 */
export function invert(op: Op, before: SchemaState, site: ErrorSite): Inverse {
  try {
    return invertOp(op, before, site);
  } catch (err) {
    // A builder that refuses what the model holds would otherwise stop the compile without naming the
    // migration and op: every error of a derived downgrade names them.
    if (err instanceof UserError && !(err instanceof MigrationError)) throw underivable(op, site, err.message);
    throw err;
  }
}

function invertOp(op: Op, before: SchemaState, site: ErrorSite): Inverse {
  const fail = (why: string): never => {
    throw underivable(op, site, why);
  };
  const only = (...o: Op[]): Inverse => ({ ops: o, warnings: [] });
  switch (op.kind) {
    case 'createTable':
      if (op.ifNotExists && !before.stale && before.table(op.table, op.schema)) return only();
      return only(ops.dropTable(op.table, schemaOf(op.schema)));
    case 'addColumn':
      if (op.ifNotExists && !before.stale && before.table(op.table, op.schema)?.columns.has(op.column.name)) return only();
      return only(ops.dropColumn(op.table, op.column.name, schemaOf(op.schema)));
    case 'createIndex': {
      const plain = op.columns.every((c) => typeof c === 'string') ? (op.columns as string[]) : undefined;
      if (op.ifNotExists && !before.stale && before.schema(op.schema)?.relations.has(before.finalName('ix', op.name, op.table, op.schema, plain))) return only();
      return only(ops.dropIndex(op.name, { table: op.table, ...schemaOf(op.schema), ...(op.concurrently ? { concurrently: true } : {}) }));
    }
    case 'createPrimaryKey': {
      const table = before.table(op.table, op.schema);
      // PostgreSQL made the key's columns NOT NULL; DROP CONSTRAINT leaves them so.
      const relax = before.dialect.primaryKeySetsNotNull && table ? op.columns.filter((c) => table.columns.get(c)?.nullable === true) : [];
      return only(ops.dropConstraint(op.name, op.table, { type: 'primary', ...schemaOf(op.schema) }), ...relax.map((c) => ops.alterColumn(op.table, c, { nullable: true, ...schemaOf(op.schema) })));
    }
    case 'createUniqueConstraint':
      return only(ops.dropConstraint(op.name, op.table, { type: 'unique', ...schemaOf(op.schema) }));
    case 'createCheckConstraint':
      return only(ops.dropConstraint(op.name, op.table, { type: 'check', ...schemaOf(op.schema) }));
    case 'createForeignKey':
      return only(ops.dropConstraint(op.name, op.sourceTable, { type: 'foreignkey', ...schemaOf(op.sourceSchema) }));
    case 'renameTable':
      return only(ops.renameTable(op.newName, op.table, schemaOf(op.schema)));
    case 'createSchema':
      if (op.ifNotExists && !before.stale && before.schemas.has(op.name)) return only();
      return only(ops.dropSchema(op.name));
    case 'createEnum':
      return only(ops.dropEnum(op.name, schemaOf(op.schema)));
    case 'alterColumn': {
      const back: Parameters<typeof ops.alterColumn>[2] = { ...schemaOf(op.schema) };
      const renameOnly = op.type === undefined && op.nullable === undefined && op.serverDefault === undefined && op.comment === undefined;
      if (renameOnly && op.newName !== undefined) return only(ops.alterColumn(op.table, op.newName, { ...back, newName: op.column }));
      const col = before.table(op.table, op.schema)?.columns.get(op.column);
      if (!col) return fail(unknown(`column "${op.column}" of table "${display(op.table, op.schema)}"`, before));
      if (op.type !== undefined) back.type = col.type;
      if (op.nullable !== undefined) back.nullable = col.nullable ?? true;
      if (op.serverDefault !== undefined) back.serverDefault = col.serverDefault ?? null;
      if (op.comment !== undefined) back.comment = col.comment ?? null;
      if (op.newName !== undefined && op.newName !== op.column) back.newName = op.column;
      const reverse = ops.alterColumn(op.table, op.newName ?? op.column, back);
      // The type change reset the column's collation to its new type's default: the way back gives the
      // earlier one again (ALTER COLUMN ... TYPE ... COLLATE, which op.alterColumn does not offer users).
      if (op.type !== undefined && col.collation !== undefined) return only({ ...reverse, collation: col.collation });
      return only(reverse);
    }
    case 'createTableComment':
    case 'dropTableComment': {
      const table = before.table(op.table, op.schema);
      if (!table) return fail(unknown(`table "${display(op.table, op.schema)}"`, before));
      if (table.comment !== undefined) return only(ops.createTableComment(op.table, table.comment, schemaOf(op.schema)));
      return op.kind === 'createTableComment' ? only(ops.dropTableComment(op.table, schemaOf(op.schema))) : only();
    }
    case 'dropTable': {
      const table = before.table(op.table, op.schema);
      if (!table) {
        if (op.ifExists && !before.stale) return only();
        return fail(unknown(`table "${display(op.table, op.schema)}"`, before));
      }
      const constraints = [...table.constraints.values()];
      const pk = constraints.find((c) => c.kind === 'primaryKey');
      const items: TableItem[] = [...table.columns.keys()].map((name) => restoredColumn(table, name, pk?.columns.includes(name) ?? false, false, before));
      const later: Op[] = [];
      for (const c of constraints) {
        // NOT VALID is kept by adding the constraint after the table, as it was.
        if (c.notValid) later.push(recreateConstraint(c, op.table, op.schema, before.recreateName(c)));
        else items.push(tableItem(c, before.recreateName(c)));
      }
      return {
        ops: [
          createTableOp(op.table, items, { ...schemaOf(op.schema), ...(table.comment !== undefined ? { comment: table.comment } : {}) }),
          ...later,
          ...[...table.indexes.values()].map((ix) => recreateIndex(ix, before.recreateName(ix), op.schema, false)),
        ],
        warnings: [restoredTableWarning(op.table, op.schema)],
      };
    }
    case 'dropColumn': {
      const table = before.table(op.table, op.schema);
      const col = table?.columns.get(op.column);
      if (!table || !col) {
        if (op.ifExists && table && !before.stale) return only();
        return fail(unknown(`column "${op.column}" of table "${display(op.table, op.schema)}"`, before));
      }
      // What PostgreSQL drops with the column (ALTER TABLE, DROP COLUMN): the indexes and constraints involving it.
      const constraints = [...table.constraints.values()].filter((c) => before.involves(c, op.column));
      const indexes = [...table.indexes.values()].filter((ix) => before.involves(ix, op.column));
      const serial = table.sequences.get(op.column)?.kind === 'serial';
      const pk = constraints.find((c) => c.kind === 'primaryKey');
      // A SERIAL column added as its table's primary key comes back so (SQLAlchemy's rule), when ADD COLUMN
      // ... PRIMARY KEY gives the key the name it has; otherwise the column comes back with its sequence
      // by name (see restoredColumn), and the key is re-created by name like any other constraint.
      let withKey = false;
      if (serial && pk !== undefined && pk.columns.length === 1) {
        const ns = before.namespace(op.schema);
        const probe = ops.addColumn(op.table, column(op.column, col.type, { primaryKey: true }), schemaOf(op.schema));
        const named = before.dialect.addColumn(probe, { relationExists: (n) => n !== pk.name && ns.relationExists(n), constraintExists: (n) => n !== pk.name && ns.constraintExists(n) }, before.namingConvention);
        withKey = named.constraints.find((c) => c.kind === 'primaryKey')?.name === pk.name;
      }
      const restored = restoredColumn(table, op.column, withKey, withKey, before);
      const out: Op[] = [ops.addColumn(op.table, restored, schemaOf(op.schema))];
      for (const c of constraints) {
        if (withKey && c === pk) continue;
        out.push(recreateConstraint(c, op.table, op.schema, before.recreateName(c)));
      }
      for (const ix of indexes) {
        out.push(recreateIndex(ix, before.recreateName(ix), op.schema, false));
      }
      return { ops: out, warnings: [restoredColumnWarning(op.table, op.schema, col, serial)] };
    }
    case 'dropIndex': {
      const ix = before.index(before.finalName('ix', op.name, op.table, op.schema), op.schema);
      if (!ix) {
        if (op.ifExists && !before.stale) return only();
        return fail(unknown(`index "${display(op.name, op.schema)}"`, before));
      }
      return only(recreateIndex(ix, before.recreateName(ix), op.schema ?? ix.schema, op.concurrently === true));
    }
    case 'dropConstraint': {
      const table = before.table(op.table, op.schema);
      const c = table?.constraints.get(before.dropConstraintName(op));
      if (!c) return fail(unknown(`constraint "${op.name}" of table "${display(op.table, op.schema)}"`, before));
      return only(recreateConstraint(c, op.table, op.schema, before.recreateName(c)));
    }
    case 'dropSchema': {
      if (!before.schemas.has(op.name)) {
        if (op.ifExists && !before.stale) return only();
        return fail(unknown(`schema "${op.name}"`, before));
      }
      const held = [
        ...before.tablesIn(op.name).map((t) => `table "${op.name}.${t.name}"`),
        ...[...before.enums.values()].filter((e) => before.schemaName(e.type.schema) === op.name).map((e) => `type "${op.name}.${e.type.name}"`),
      ];
      if (held.length > 0) fail(`schema "${op.name}" held ${held.join(', ')}, dropped with it`);
      return only(ops.createSchema(op.name));
    }
    case 'dropEnum': {
      const e = before.enumType(op.name, op.schema);
      if (!e) return fail(unknown(`type "${display(op.name, op.schema)}"`, before));
      // A type made on first use comes back with its first restored use (its users were removed in this
      // migration, and their inverses follow); re-creating it here would make it explicit.
      if (e.implicit) return only();
      return only(ops.createEnum(op.name, e.type.values, schemaOf(op.schema)));
    }
    case 'execute':
    case 'bulkInsert':
      throw new MigrationError(
        site,
        `${op.kind} has no inverse, so this migration is irreversible — write a 'downgrade' list for it (op.execute(...) with the SQL that undoes it, or [] if nothing needs undoing)`,
        'irreversible',
      );
  }
}

/**
 * The ops that undo `op`, given the state before it, in the order they must run (see {@link invert}).
 * @throws MigrationError (at `site`) when the op cannot be inverted without a hand-written downgrade.
 */
export function inverseOf(op: Op, before: SchemaState, site: ErrorSite): Op[] {
  return invert(op, before, site).ops;
}

/**
 * The derived downgrade of a whole upgrade list: replays it on `state` (which must be the state before
 * the migration, and is left after it), collecting inverses, and returns them in reverse order. Does
 * not validate the ops (the compiler's replay does: `./replay.ts`).
 * @throws MigrationError for the first op that cannot be inverted.
 */
export function deriveDowngrade(upgrade: readonly Op[], state: SchemaState, site: Omit<ErrorSite, 'opIndex' | 'opKind' | 'list'>): Op[] {
  const inverses: Op[][] = [];
  upgrade.forEach((o, i) => {
    const at: ErrorSite = { ...site, list: 'upgrade', opIndex: i + 1, opKind: o.kind };
    inverses.push(inverseOf(o, state, at));
    state.apply(o, at);
  });
  return inverses.reverse().flat();
}
