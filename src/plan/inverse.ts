/**
 * Derived downgrades: when a migration omits `downgrade`, its downgrade is the inverse of each upgrade op,
 * in reverse order (Alembic's `UpgradeOps.reverse_into`; node-pg-migrate's `.reverse`). Each inverse is
 * computed from the op and the schema state just before it.
 *
 * This version inverts the ops whose inverse needs no earlier definition: createTable, addColumn,
 * createIndex, the create*Constraint ops, createForeignKey, renameTable, alterColumn with only `newName`,
 * createSchema, createEnum, table comments set on a table that had none. Enum types that an op created
 * on first use need no inverse op: the compiler drops them after their last use. An op whose inverse needs an
 * earlier definition (drops, other alterColumn changes) and an op with no inverse at all (execute,
 * bulkInsert) stop the compile with an error naming the file, revision and op, and asking for a
 * hand-written `downgrade` — never a silently empty downgrade (spec "A migration file").
 */
import { SiteError, type ErrorSite } from '../errors.js';
import { op as ops } from '../ops/builders.js';
import type { Op } from '../ops/types.js';
import type { SchemaState } from '../state/schema.js';

/**
 * The ops that undo `op`, given the state before it, in the order they must run.
 * @throws SiteError (at `site`) when the op cannot be inverted without a hand-written downgrade.
 */
export function inverseOf(op: Op, before: SchemaState, site: ErrorSite): Op[] {
  const schema = (s: string | undefined) => (s ? { schema: s } : {});
  switch (op.kind) {
    case 'createTable':
      return [ops.dropTable(op.table, schema(op.schema))];
    case 'addColumn':
      return [ops.dropColumn(op.table, op.column.name, schema(op.schema))];
    case 'createIndex':
      return [ops.dropIndex(op.name, { table: op.table, ...schema(op.schema), ...(op.concurrently ? { concurrently: true } : {}) })];
    case 'createPrimaryKey':
      return [ops.dropConstraint(op.name, op.table, { type: 'primary', ...schema(op.schema) })];
    case 'createUniqueConstraint':
      return [ops.dropConstraint(op.name, op.table, { type: 'unique', ...schema(op.schema) })];
    case 'createCheckConstraint':
      return [ops.dropConstraint(op.name, op.table, { type: 'check', ...schema(op.schema) })];
    case 'createForeignKey':
      return [ops.dropConstraint(op.name, op.sourceTable, { type: 'foreignkey', ...schema(op.sourceSchema) })];
    case 'renameTable':
      return [ops.renameTable(op.newName, op.table, schema(op.schema))];
    case 'alterColumn': {
      const changes = (['nullable', 'type', 'serverDefault', 'comment'] as const).filter((k) => op[k] !== undefined);
      if (op.newName && changes.length === 0) return [ops.alterColumn(op.table, op.newName, { newName: op.column, ...schema(op.schema) })];
      return needsEarlierState(op, site, `the column's earlier ${changes.join(', ')}`);
    }
    case 'createSchema':
      return [ops.dropSchema(op.name)];
    case 'createEnum':
      return [ops.dropEnum(op.name, schema(op.schema))];
    case 'createTableComment': {
      const table = before.table(op.table, op.schema);
      if (table && table.comment === undefined) return [ops.dropTableComment(op.table, schema(op.schema))];
      return needsEarlierState(op, site, "the table's earlier comment");
    }
    case 'execute':
    case 'bulkInsert':
      throw new SiteError(site, `${op.kind} has no inverse, so this migration is irreversible — write a 'downgrade' list for it (op.execute(...) with the SQL that undoes it, or [] if nothing needs undoing)`);
    case 'dropTable':
      return needsEarlierState(op, site, 'the dropped table');
    case 'dropColumn':
      return needsEarlierState(op, site, 'the dropped column');
    case 'dropIndex':
      return needsEarlierState(op, site, 'the dropped index');
    case 'dropConstraint':
      return needsEarlierState(op, site, 'the dropped constraint');
    case 'dropTableComment':
      return needsEarlierState(op, site, "the table's earlier comment");
    case 'dropSchema':
      return needsEarlierState(op, site, 'the dropped schema and what it held');
    case 'dropEnum':
      return needsEarlierState(op, site, "the dropped type's values");
  }
}

function needsEarlierState(op: Op, site: ErrorSite, what: string): never {
  throw new SiteError(site, `cannot derive the downgrade of ${op.kind}: undoing it needs ${what} — write a 'downgrade' list for this migration`);
}

/**
 * The derived downgrade of a whole upgrade list: replays it on `state` (which must be the state before
 * the migration, and is left after it), collecting inverses, and returns them in reverse order.
 */
export function deriveDowngrade(upgrade: readonly Op[], state: SchemaState, site: Omit<ErrorSite, 'opIndex' | 'opKind' | 'list'>): Op[] {
  const inverses: Op[][] = [];
  upgrade.forEach((o, i) => {
    inverses.push(inverseOf(o, state, { ...site, list: 'upgrade', opIndex: i + 1, opKind: o.kind }));
    state.apply(o);
  });
  return inverses.reverse().flat();
}
