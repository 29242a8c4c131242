/**
 * Resolution of a table definition for MySQL/MariaDB: column defaults (`nullable`, `autoincrement` →
 * AUTO_INCREMENT), the table constraints in SQLAlchemy's order with their naming-convention names, the
 * checks of what MySQL lacks, and the names the server gives what is left unnamed. Shared by the renderer
 * (`compile.ts`) and the schema model (`src/state/mysql.ts`), so that both see the same constraints.
 */
import { UserError } from '../../errors.js';
import type { AddColumnOp, Column, CreateTableOp, Initially, ReferentialAction } from '../../ops/types.js';
import { resolveAddColumnOp, resolveCreateTable, sqlText, type Constraint, type ConstraintKind, type ResolveRules } from '../resolve.js';
import type { NamingConvention } from '../types.js';
import { MAX_IDENTIFIER_LENGTH } from './quoting.js';
import { isCollatable, isIntegerType } from './types.js';

export type { ConstraintKind };

/** `mysql` or `mariadb`. */
export type MysqlFlavour = 'mysql' | 'mariadb';

/** The dialect's name in messages. */
export function display(flavour: MysqlFlavour): string {
  return flavour === 'mariadb' ? 'MariaDB' : 'MySQL';
}

/**
 * A table constraint with everything resolved except quoting (`../resolve.ts`), without what MySQL has
 * not (deferrable options); `name` undefined leaves it to the server (see {@link serverNames}).
 */
export type ResolvedConstraint = Omit<Constraint, 'deferrable' | 'initially' | 'origin'>;

/** A column with its defaults resolved. */
export interface ResolvedColumn {
  readonly column: Column;
  readonly primaryKey: boolean;
  /** `nullable` as given, else false for primary keys, true otherwise. */
  readonly nullable: boolean;
  /** SQLAlchemy's autoincrement column: rendered `AUTO_INCREMENT`. */
  readonly autoIncrement: boolean;
}

/** A `createTable` op, resolved. */
export interface ResolvedTable {
  readonly columns: readonly ResolvedColumn[];
  /** Primary key first, then table items in the order given, then per column its unique and foreign key. */
  readonly constraints: readonly ResolvedConstraint[];
}

/** An `addColumn` op, resolved. */
export interface ResolvedAddColumn {
  readonly column: ResolvedColumn;
  /** Unique, then foreign key (a primary key is written in the column definition, see compile.ts). */
  readonly constraints: readonly ResolvedConstraint[];
}

export { sqlText };

/**
 * What MySQL cannot do with a constraint's options: deferrable constraints (MySQL 8.0 Reference Manual,
 * 15.1.20.5 "FOREIGN KEY Constraints": "MySQL ... checks foreign key constraints immediately; NO ACTION
 * is the same as RESTRICT"; there is no DEFERRABLE) and `SET DEFAULT` (InnoDB rejects it).
 */
export function checkConstraintOptions(c: { deferrable?: boolean; initially?: Initially; onDelete?: ReferentialAction; onUpdate?: ReferentialAction }, flavour: MysqlFlavour, where: string): void {
  const D = display(flavour);
  if (c.deferrable === true || c.initially !== undefined) throw new UserError(`${where}: ${D} has no deferrable constraints (drop deferrable/initially)`);
  if (c.onDelete === 'SET DEFAULT' || c.onUpdate === 'SET DEFAULT') throw new UserError(`${where}: ${D} (InnoDB) rejects foreign keys with SET DEFAULT`);
}

/** The column option combinations MySQL cannot take, or that would lose something. */
function checkColumn(col: Column, primaryKey: boolean, flavour: MysqlFlavour, where: string): void {
  const D = display(flavour);
  const w = `${where}: column "${col.name}"`;
  if (primaryKey && col.nullable === true) throw new UserError(`${w}: a primary key column cannot be nullable in ${D} (drop nullable: true)`);
  if (col.identity !== undefined) {
    throw new UserError(`${w}: ${D} has no identity columns (use autoincrement on an integer primary key, which is AUTO_INCREMENT)`);
  }
  if (col.computed !== undefined && col.serverDefault !== undefined) throw new UserError(`${w}: a generated column cannot have a serverDefault in ${D}`);
  if (col.collation !== undefined && !isCollatable(col.type)) {
    throw new UserError(`${w}: ${D} cannot apply a collation to type ${col.type.kind} (only to string, text, enum or custom types)`);
  }
  if (col.autoincrement === true) {
    if (!primaryKey) throw new UserError(`${w}: autoincrement: true applies to a primary key column only`);
    if (!isIntegerType(col.type)) throw new UserError(`${w}: autoincrement: true needs an integer type for ${D} AUTO_INCREMENT, not ${col.type.kind}`);
    if (col.serverDefault !== undefined) throw new UserError(`${w}: an AUTO_INCREMENT column cannot have a serverDefault in ${D}`);
    if (col.computed !== undefined) throw new UserError(`${w}: autoincrement: true cannot be computed`);
  }
}

/**
 * SQLAlchemy's `_autoincrement_column`: a single integer primary key with `autoincrement` unset and no
 * server default, computed expression or foreign key; or the one column of a key with `autoincrement: true`.
 */
function autoincrementColumn(pk: readonly Column[], hasForeignKey: (col: string) => boolean, where: string): Column | undefined {
  if (pk.length === 1) {
    const col = pk[0]!;
    if (col.autoincrement === true) return col;
    if (col.autoincrement === undefined && isIntegerType(col.type) && col.serverDefault === undefined && col.computed === undefined && !hasForeignKey(col.name)) return col;
    return undefined;
  }
  const explicit = pk.filter((c) => c.autoincrement === true);
  if (explicit.length > 1) throw new UserError(`${where}: only one column of a primary key can have autoincrement: true`);
  // MySQL 8.0 Reference Manual, 15.1.20: an AUTO_INCREMENT column must be the first column of some index.
  if (explicit[0] && pk[0] !== explicit[0]) throw new UserError(`${where}: column "${explicit[0].name}" has autoincrement: true but MySQL needs it first in the primary key`);
  return explicit[0];
}

/** MySQL's rules for the shared resolver (`../resolve.ts`): what it lacks, AUTO_INCREMENT's column, 64-character names. */
function rules(flavour: MysqlFlavour): ResolveRules {
  const options = (c: Parameters<typeof checkConstraintOptions>[0], where: string): void => checkConstraintOptions(c, flavour, where);
  return {
    maxIdentifierLength: MAX_IDENTIFIER_LENGTH,
    listPrimaryKeyColumns: false,
    checkColumn: (col, primaryKey, where) => checkColumn(col, primaryKey, flavour, where),
    checkUnique: options,
    checkForeignKey: options,
    checkReferences: options,
    autoincrement: autoincrementColumn,
  };
}

/** The shared resolver's constraint without what MySQL has not (deferrable options) and the origin. */
function mysqlConstraint(c: Constraint): ResolvedConstraint {
  const { deferrable: _d, initially: _i, origin: _o, ...rest } = c;
  return rest;
}

/**
 * Resolves a `createTable` op (MySQL 8.0 Reference Manual, 15.1.20 "CREATE TABLE Statement") with
 * `../resolve.ts`.
 * @throws UserError for duplicate columns, constraints on unknown columns, two primary keys, and what
 *   MySQL lacks (identity, deferrable constraints, SET DEFAULT).
 */
export function resolveTable(op: CreateTableOp, convention: NamingConvention | undefined, flavour: MysqlFlavour, where: string): ResolvedTable {
  const t = resolveCreateTable(op, convention, rules(flavour), where);
  const pk = new Set(t.primaryKey);
  const columns: ResolvedColumn[] = t.columns.map((c) => ({
    column: c,
    primaryKey: pk.has(c.name),
    nullable: c.nullable ?? !pk.has(c.name),
    autoIncrement: c === t.autoincrement,
  }));
  return { columns, constraints: t.constraints.map(mysqlConstraint) };
}

/**
 * Resolves an `addColumn` op (MySQL 8.0 Reference Manual, 15.1.9 "ALTER TABLE Statement", ADD COLUMN):
 * the column alone (a lone integer primary key is AUTO_INCREMENT), then its unique and foreign key.
 */
export function resolveAddColumn(op: AddColumnOp, convention: NamingConvention | undefined, flavour: MysqlFlavour, where: string): ResolvedAddColumn {
  const r = resolveAddColumnOp(op, convention, rules(flavour), false, where);
  const column: ResolvedColumn = { column: r.column, primaryKey: r.primaryKey, nullable: r.column.nullable ?? !r.primaryKey, autoIncrement: r.autoincrement };
  return { column, constraints: r.constraints.map(mysqlConstraint) };
}

/** What the server-name prediction needs to know about the table and database before the op. */
export interface NameSpace {
  /** Index names of the table (its primary key is `PRIMARY`). */
  readonly indexNames: ReadonlySet<string>;
  /** True when a constraint of that name exists in the database (foreign key and, on MySQL, check names are per database). */
  constraintExists(name: string): boolean;
  /** True for ALTER TABLE (addColumn): a foreign key gets one more than the highest number of the table, not the first free one. */
  readonly alter?: boolean;
}

/** How far the ALTER TABLE numbering of foreign keys looks for taken numbers. */
const MAX_GENERATED_NUMBER = 1000;

/**
 * The names the server gives constraints left unnamed, checked on MariaDB 10.11 and from the MySQL 8.0
 * Reference Manual (15.1.20.5 "FOREIGN KEY Constraints", "Conditions and Restrictions"; 15.1.20.6 "CHECK
 * Constraints"; 15.1.15 "CREATE INDEX"):
 * - the primary key is always `PRIMARY` (a name given to it is ignored by the server; the model keeps
 *   the given one so that a migration can drop it by that name);
 * - a unique key is named after its first column, `_2`, `_3`... on a clash with an index of the table;
 * - a foreign key is `<table>_ibfk_<n>`: in CREATE TABLE the first n not taken in the database, in ALTER
 *   TABLE one more than the highest taken;
 * - a check is `<table>_chk_<n>` on MySQL 8 (the first n not taken in the database) and `CONSTRAINT_<n>`
 *   on MariaDB (n counting the table's unnamed checks from 1).
 * Named constraints keep their names. Returns the constraints in the same order, every name set.
 */
export function serverNames(table: string, constraints: readonly ResolvedConstraint[], flavour: MysqlFlavour, ns: NameSpace): (ResolvedConstraint & { name: string; defaultName: boolean })[] {
  const indexNames = new Set(ns.indexNames);
  const taken = new Set<string>();
  const free = (name: string): boolean => !taken.has(name) && !ns.constraintExists(name);
  let mariaChecks = 0;
  const out = constraints.map((c) => {
    if (c.name !== undefined) {
      if (c.kind === 'unique') indexNames.add(c.name);
      taken.add(c.name);
      return { ...c, name: c.name, defaultName: false };
    }
    let name: string;
    switch (c.kind) {
      case 'primaryKey':
        name = 'PRIMARY';
        break;
      case 'unique': {
        const base = c.columns[0]!;
        name = base;
        for (let n = 2; indexNames.has(name); n++) name = `${base}_${n}`;
        indexNames.add(name);
        break;
      }
      case 'foreignKey': {
        let n = 1;
        if (ns.alter) {
          // ALTER TABLE: one more than the highest <table>_ibfk_<n> of the table (MariaDB 10.11, MySQL 8).
          for (let k = 1; k <= MAX_GENERATED_NUMBER; k++) if (!free(`${table}_ibfk_${k}`)) n = k + 1;
        } else {
          while (!free(`${table}_ibfk_${n}`)) n++;
        }
        name = `${table}_ibfk_${n}`;
        break;
      }
      case 'check': {
        if (flavour === 'mariadb') {
          mariaChecks += 1;
          name = `CONSTRAINT_${mariaChecks}`;
        } else {
          let n = 1;
          while (!free(`${table}_chk_${n}`)) n++;
          name = `${table}_chk_${n}`;
        }
        break;
      }
    }
    taken.add(name);
    return { ...c, name, defaultName: true };
  });
  return out;
}
