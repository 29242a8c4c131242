/**
 * PostgreSQL's part of the schema model: the constraint names PostgreSQL 15 gives (predicted by
 * `src/dialects/postgresql/defaultNames.ts`, the same code the renderer's tests check against a server),
 * the columns as `resolveTable` resolves them (NOT NULL for primary keys and identity columns, SERIAL
 * for SQLAlchemy's autoincrement column), and the `<table>_<column>_seq` sequences of SERIAL and
 * identity columns (PostgreSQL 15 docs, 8.1.4 "Serial Types"; CREATE TABLE, GENERATED ... AS IDENTITY).
 */
import type { NamingConvention } from '../dialects/types.js';
import {
  MAX_IDENTIFIER_BYTES,
  quoteIdentifier,
  RESERVED_WORDS,
  postgresSequenceName,
  predictAddColumnConstraints,
  predictCreateTableConstraints,
  resolveAddColumn,
  resolveTable,
  type PredictedConstraint,
  type ResolvedColumn,
} from '../dialects/postgresql/index.js';
import { isSql, sql } from '../ops/builders.js';
import type { AddColumnOp, CreateTableOp, ExecuteOp } from '../ops/types.js';
import { definitionOf, registerDialectModel, type DialectModel, type ModelColumn, type ModelConstraint, type ModelNamespace } from './dialect.js';

function constraintOf(p: PredictedConstraint): ModelConstraint {
  const out: { -readonly [K in keyof ModelConstraint]?: ModelConstraint[K] } = { kind: p.kind, name: p.name, defaultName: p.defaultName, columns: p.columns };
  if (p.condition !== undefined) out.condition = sql(p.condition);
  if (p.refTable !== undefined) out.refTable = p.refTable;
  if (p.refSchema !== undefined) out.refSchema = p.refSchema;
  if (p.refColumns !== undefined) out.refColumns = p.refColumns;
  if (p.onDelete !== undefined) out.onDelete = p.onDelete;
  if (p.onUpdate !== undefined) out.onUpdate = p.onUpdate;
  if (p.deferrable !== undefined) out.deferrable = p.deferrable;
  if (p.initially !== undefined) out.initially = p.initially;
  return out as ModelConstraint;
}

/** `namespace` plus the relations an op makes before its constraints are named. */
class Growing implements ModelNamespace {
  readonly relations = new Set<string>();
  constructor(readonly base: ModelNamespace) {}
  relationExists(name: string): boolean {
    return this.relations.has(name) || this.base.relationExists(name);
  }
  constraintExists(name: string): boolean {
    return this.base.constraintExists(name);
  }
}

/** Columns with their sequences, named in column order as PostgreSQL names them (`t_col_seq`, numbered on a clash). */
function columnsOf(table: string, resolved: readonly ResolvedColumn[], ns: Growing): ModelColumn[] {
  return resolved.map((rc) => {
    const column = definitionOf(rc.column, rc.nullable);
    if (!rc.serial && rc.column.identity === undefined) return { column };
    const name = rc.column.sequenceName ?? postgresSequenceName(table, rc.column.name, ns);
    ns.relations.add(name);
    return { column, sequence: { name, kind: rc.serial ? 'serial' : 'identity' } };
  });
}

/** PostgreSQL's {@link DialectModel}. */
export const postgresqlModel: DialectModel = {
  dialect: 'postgresql',
  defaultSchema: 'public',
  maxIdentifierLength: MAX_IDENTIFIER_BYTES,
  primaryKeySetsNotNull: true,
  createTable(op: CreateTableOp, namespace: ModelNamespace, convention: NamingConvention | undefined) {
    const where = `op.createTable(${JSON.stringify(op.table)})`;
    const resolved = resolveTable(op, convention, where);
    const ns = new Growing(namespace);
    ns.relations.add(op.table);
    const columns = columnsOf(op.table, resolved.columns, ns);
    const predicted = predictCreateTableConstraints(op, { ...(convention ? { namingConvention: convention } : {}), namespace });
    return { columns, constraints: predicted.map(constraintOf) };
  },
  addColumn(op: AddColumnOp, namespace: ModelNamespace, convention: NamingConvention | undefined) {
    const where = `op.addColumn(${JSON.stringify(op.table)})`;
    const resolved = resolveAddColumn(op, convention, where);
    const columns = columnsOf(op.table, [resolved.column], new Growing(namespace));
    const predicted = predictAddColumnConstraints(op, { ...(convention ? { namingConvention: convention } : {}), namespace });
    return { columns, constraints: predicted.map(constraintOf) };
  },
  sequenceName(table: string, column: string, namespace: ModelNamespace): string {
    return postgresSequenceName(table, column, namespace);
  },
  executeText(op: ExecuteOp): string | undefined {
    const s = op.sql;
    const chosen = typeof s === 'string' || isSql(s) ? s : (s.postgresql ?? s.default);
    if (chosen === undefined) return undefined;
    return typeof chosen === 'string' ? chosen : chosen.text;
  },
  quoteIdentifier,
  reservedWords: RESERVED_WORDS,
};

registerDialectModel(postgresqlModel);
