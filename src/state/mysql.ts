/**
 * MySQL's and MariaDB's part of the schema model ({@link DialectModel}): the columns as
 * `src/dialects/mysql/table.ts` resolves them (NOT NULL for primary keys, AUTO_INCREMENT for SQLAlchemy's
 * autoincrement column) and the names the server gives unnamed constraints (`serverNames`, checked
 * on MariaDB 10.11 by `test/mysql/names.test.ts` and from the MySQL 8.0 Reference Manual): `PRIMARY`,
 * a unique key named after its first column, `<table>_ibfk_<n>`, and checks `<table>_chk_<n>` (MySQL 8)
 * or `CONSTRAINT_<n>` (MariaDB).
 *
 * An AUTO_INCREMENT column is recorded as a sequence named `AUTO_INCREMENT` of kind `serial`, so that a
 * derived downgrade re-creates it AUTO_INCREMENT (MySQL has no sequence object; the name is a marker).
 * A schema is a database: the default schema is the database the script runs in.
 */
import type { NamingConvention } from '../dialects/types.js';
import { resolveAddColumn, resolveTable, serverNames, type MysqlFlavour, type ResolvedColumn } from '../dialects/mysql/table.js';
import { MAX_IDENTIFIER_LENGTH } from '../dialects/mysql/quoting.js';
import { isSql, sql } from '../ops/builders.js';
import type { AddColumnOp, CreateTableOp, ExecuteOp } from '../ops/types.js';
import { definitionOf, registerDialectModel, type DialectModel, type ModelColumn, type ModelConstraint, type ModelNamespace } from './dialect.js';

/** The marker name of an AUTO_INCREMENT column's "sequence" in the model. */
export const AUTO_INCREMENT_MARKER = 'AUTO_INCREMENT';

function columnsOf(resolved: readonly ResolvedColumn[]): ModelColumn[] {
  return resolved.map((rc) => {
    const column = definitionOf(rc.column, rc.nullable);
    return rc.autoIncrement ? { column, sequence: { name: AUTO_INCREMENT_MARKER, kind: 'serial' as const } } : { column };
  });
}

function constraintsOf(table: string, constraints: Parameters<typeof serverNames>[1], flavour: MysqlFlavour, namespace: ModelNamespace, alter: boolean): ModelConstraint[] {
  return serverNames(table, constraints, flavour, { indexNames: new Set(['PRIMARY']), constraintExists: (n) => namespace.constraintExists(n), alter }).map((c) => {
    const out: { -readonly [K in keyof ModelConstraint]?: ModelConstraint[K] } = { kind: c.kind, name: c.name, defaultName: c.defaultName, columns: c.columns };
    if (c.condition !== undefined) out.condition = sql(c.condition);
    if (c.refTable !== undefined) out.refTable = c.refTable;
    if (c.refSchema !== undefined) out.refSchema = c.refSchema;
    if (c.refColumns !== undefined) out.refColumns = c.refColumns;
    if (c.onDelete !== undefined) out.onDelete = c.onDelete;
    if (c.onUpdate !== undefined) out.onUpdate = c.onUpdate;
    return out as ModelConstraint;
  });
}

function model(flavour: MysqlFlavour): DialectModel {
  return {
    dialect: flavour,
    defaultSchema: '(current database)',
    maxIdentifierLength: MAX_IDENTIFIER_LENGTH,
    // MySQL 8.0 Reference Manual, 15.1.20: "A PRIMARY KEY ... all key columns must be defined as NOT NULL.
    // If they are not explicitly declared as NOT NULL, MySQL declares them so implicitly".
    primaryKeySetsNotNull: true,
    createTable(op: CreateTableOp, namespace: ModelNamespace, convention: NamingConvention | undefined) {
      const r = resolveTable(op, convention, flavour, `op.createTable(${JSON.stringify(op.table)})`);
      return { columns: columnsOf(r.columns), constraints: constraintsOf(op.table, r.constraints, flavour, namespace, false) };
    },
    addColumn(op: AddColumnOp, namespace: ModelNamespace, convention: NamingConvention | undefined) {
      const r = resolveAddColumn(op, convention, flavour, `op.addColumn(${JSON.stringify(op.table)})`);
      const pk = r.column.primaryKey ? [{ kind: 'primaryKey' as const, name: undefined, columns: [op.column.name] }] : [];
      return { columns: columnsOf([r.column]), constraints: constraintsOf(op.table, [...pk, ...r.constraints], flavour, namespace, true) };
    },
    sequenceName(): string {
      return AUTO_INCREMENT_MARKER;
    },
    /**
     * MySQL 8.0 Reference Manual, 15.1.36 "RENAME TABLE Statement": foreign keys named `<old>_ibfk_<n>`
     * (generated or not) become `<new>_ibfk_<n>`, and on MySQL generated checks `<old>_chk_<n>` become
     * `<new>_chk_<n>`. MariaDB 10.11 renames the foreign keys only (its checks are `CONSTRAINT_<n>`).
     */
    constraintNameAfterRename(oldTable: string, newTable: string, c: ModelConstraint): string | undefined {
      const infix = c.kind === 'foreignKey' ? '_ibfk_' : c.kind === 'check' && flavour === 'mysql' ? '_chk_' : undefined;
      if (infix === undefined || !c.name.startsWith(`${oldTable}${infix}`)) return undefined;
      return `${newTable}${c.name.slice(oldTable.length)}`;
    },
    executeText(op: ExecuteOp): string | undefined {
      const s = op.sql;
      const chosen = typeof s === 'string' || isSql(s) ? s : (s.mysql ?? s.default);
      if (chosen === undefined) return undefined;
      return typeof chosen === 'string' ? chosen : chosen.text;
    },
  };
}

/** MySQL 8's {@link DialectModel}. */
export const mysqlModel: DialectModel = model('mysql');
/** MariaDB's {@link DialectModel}. */
export const mariadbModel: DialectModel = model('mariadb');

registerDialectModel(mysqlModel);
registerDialectModel(mariadbModel);
