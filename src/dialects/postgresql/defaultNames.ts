/**
 * The names PostgreSQL gives constraints that a migration leaves unnamed, predicted offline so that a
 * derived downgrade can drop them by name (spec "Names of constraints and indexes").
 *
 * This follows PostgreSQL 15's own code, checked against a PostgreSQL 15 server:
 * - `makeObjectName` (src/backend/commands/indexcmds.c): `name1_name2_label`, cut to 63 bytes by shortening
 *   the longer of name1/name2 first, at character boundaries;
 * - `ChooseIndexNameAddition` / `ChooseForeignKeyConstraintNameAddition`: all the columns joined by `_`
 *   (`UNIQUE (a, b)` → `t_a_b_key`, `FOREIGN KEY (a, b)` → `t_a_b_fkey`);
 * - primary key `t_pkey`; unique `t_<cols>_key`; foreign key `t_<cols>_fkey`; check `t_<col>_check` when the
 *   expression refers to exactly one column, else `t_check` (src/backend/catalog/heap.c,
 *   `AddRelationNewConstraints`);
 * - on a clash, the label gets a number: `t_a_key1`, `t_a_key2`... (`ChooseRelationName`: a primary key or
 *   unique name must be free among the schema's relations and constraints; `ChooseConstraintName`: a check
 *   or foreign key name must be free among the schema's constraints);
 * - in one CREATE TABLE, checks are named first, then the primary key and uniques, then foreign keys; a
 *   unique with the same columns (and deferrability) as the primary key or an earlier unique is folded into
 *   it (src/backend/parser/parse_utilcmd.c, `transformIndexConstraints`), and a SERIAL or identity column
 *   makes a sequence `t_<col>_seq`.
 */
import { UserError } from '../../errors.js';
import { columnReferences } from '../../sql/lexer.js';
import type { AddColumnOp, CreateTableOp } from '../../ops/types.js';
import type { NamingConvention } from '../types.js';
import { MAX_IDENTIFIER_BYTES } from './quoting.js';
import { resolveAddColumn, resolveTable, type ConstraintKind, type ResolvedConstraint } from './table.js';

/** What exists in the schema (namespace) where the table lives. */
export interface PgNamespace {
  /** True when a table, index, sequence, view... of that name exists in the schema. */
  relationExists(name: string): boolean;
  /** True when a constraint of that name exists in the schema, on any table. */
  constraintExists(name: string): boolean;
}

/** A constraint as PostgreSQL will record it. */
export interface PredictedConstraint extends Omit<ResolvedConstraint, 'name'> {
  readonly name: string;
  /** True when PostgreSQL chose the name (neither the migration nor a naming convention gave one). */
  readonly defaultName: boolean;
}

const EMPTY_NAMESPACE: PgNamespace = { relationExists: () => false, constraintExists: () => false };

const LABELS: Record<ConstraintKind, string> = { primaryKey: 'pkey', unique: 'key', foreignKey: 'fkey', check: 'check' };

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The longest prefix of `s` of at most `bytes` UTF-8 bytes that ends on a character boundary (`pg_mbcliplen`). */
function clip(s: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = byteLength(ch);
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
}

/**
 * PostgreSQL's `makeObjectName(name1, name2, label)`: `name1_name2_label` within 63 bytes, shortening the
 * longer of name1 and name2 first.
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string | undefined): string {
  let overhead = 0;
  if (name2 !== undefined) overhead++;
  if (label !== undefined) overhead += byteLength(label) + 1;
  const avail = MAX_IDENTIFIER_BYTES - overhead;
  let n1 = byteLength(name1);
  let n2 = name2 === undefined ? 0 : byteLength(name2);
  while (n1 + n2 > avail) {
    if (n1 > n2) n1--;
    else n2--;
  }
  let name = clip(name1, n1);
  if (name2 !== undefined) name += `_${clip(name2, n2)}`;
  if (label !== undefined) name += `_${label}`;
  return name;
}

/**
 * PostgreSQL's `ChooseIndexNameAddition` (also used for foreign keys): the column names joined by `_`,
 * stopping once 63 bytes are reached.
 */
export function columnNamesAddition(columns: readonly string[]): string {
  let buf = '';
  for (const c of columns) {
    if (buf.length > 0) buf += '_';
    buf += clip(c, MAX_IDENTIFIER_BYTES);
    if (byteLength(buf) >= MAX_IDENTIFIER_BYTES + 1) break;
  }
  return buf;
}

/**
 * The name PostgreSQL gives an unnamed constraint of `kind` on `table`, free in `namespace`
 * (PostgreSQL 15 docs, SQL Commands: CREATE TABLE, "constraint_name ... If not specified, the system
 * generates a name"; the rules are in the module comment).
 * @param columns the constrained columns; for a check, the one column its expression refers to, or none
 *   (see {@link checkConstraintColumn}).
 */
export function postgresDefaultConstraintName(
  kind: ConstraintKind,
  table: string,
  columns: readonly string[],
  namespace: PgNamespace = EMPTY_NAMESPACE,
): string {
  const label = LABELS[kind];
  let name2: string | undefined;
  if (kind === 'primaryKey') name2 = undefined;
  else if (kind === 'check') name2 = columns.length === 1 ? columns[0] : undefined;
  else name2 = columnNamesAddition(columns);
  const indexBacked = kind === 'primaryKey' || kind === 'unique';
  for (let pass = 0; ; pass++) {
    const name = makeObjectName(table, name2, pass === 0 ? label : `${label}${pass}`);
    const taken = indexBacked ? namespace.relationExists(name) || namespace.constraintExists(name) : namespace.constraintExists(name);
    if (!taken) return name;
  }
}

/**
 * The one column of `columns` that a check condition refers to, or undefined when it refers to none or
 * to several (PostgreSQL then names the check `t_check`): the condition's identifiers as
 * `columnReferences` (src/sql/lexer.ts) reads them — outside string constants and comments, not a function,
 * qualifier or type. Names compare as PostgreSQL folds them: unquoted to lower case.
 */
export function checkConstraintColumn(condition: string, columns: readonly string[]): string | undefined {
  const known = new Set(columns);
  const found = new Set(columnReferences(condition).map((r) => r.name).filter((n) => known.has(n)));
  return found.size === 1 ? [...found][0] : undefined;
}

/** A namespace that also counts the names chosen so far. */
class Growing implements PgNamespace {
  readonly relations = new Set<string>();
  readonly constraints = new Set<string>();
  constructor(readonly base: PgNamespace) {}
  relationExists(name: string): boolean {
    return this.relations.has(name) || this.base.relationExists(name);
  }
  constraintExists(name: string): boolean {
    return this.constraints.has(name) || this.base.constraintExists(name);
  }
}

/** Options of the predictions. */
export interface PredictOptions {
  readonly namingConvention?: NamingConvention;
  /** The table's schema as it is before the op (default: empty). */
  readonly namespace?: PgNamespace;
}

function sameIndex(a: ResolvedConstraint, b: ResolvedConstraint): boolean {
  return (
    a.columns.length === b.columns.length &&
    a.columns.every((c, i) => c === b.columns[i]) &&
    (a.deferrable === true || a.initially === 'DEFERRED') === (b.deferrable === true || b.initially === 'DEFERRED') &&
    (a.initially === 'DEFERRED') === (b.initially === 'DEFERRED')
  );
}

/**
 * The constraints PostgreSQL 15 records for a `createTable` op as this dialect renders it, with their
 * names: given, from the naming convention, or chosen by PostgreSQL (module comment). Uniques that
 * PostgreSQL folds into the primary key or an earlier unique are left out. Order: checks, primary key,
 * uniques, foreign keys (the order PostgreSQL creates them in).
 * @throws UserError as `compileOp` would for the same op.
 */
export function predictCreateTableConstraints(op: CreateTableOp, options: PredictOptions = {}): PredictedConstraint[] {
  const where = `op.createTable(${JSON.stringify(op.table)})`;
  const t = resolveTable(op, options.namingConvention, where);
  const ns = new Growing(options.namespace ?? EMPTY_NAMESPACE);
  ns.relations.add(op.table);
  for (const c of t.columns) {
    if (c.serial || c.column.identity !== undefined) ns.relations.add(postgresSequenceName(op.table, c.column.name, ns));
  }
  const columnNames = t.columns.map((c) => c.column.name);
  const out: PredictedConstraint[] = [];
  const take = (c: ResolvedConstraint, columnsForName: readonly string[]): PredictedConstraint => {
    const name = c.name ?? postgresDefaultConstraintName(c.kind, op.table, columnsForName, ns);
    ns.constraints.add(name);
    if (c.kind === 'primaryKey' || c.kind === 'unique') ns.relations.add(name);
    return { ...c, name, defaultName: c.name === undefined };
  };
  for (const c of t.constraints.filter((x) => x.kind === 'check')) {
    const col = checkConstraintColumn(c.condition ?? '', columnNames);
    out.push(take(c, col === undefined ? [] : [col]));
  }
  // transformIndexConstraints: the primary key first, then uniques not equal to an earlier kept one; a
  // named duplicate gives its name to an unnamed earlier one.
  const kept: { c: ResolvedConstraint; name: string | undefined }[] = [];
  for (const c of t.constraints.filter((x) => x.kind === 'primaryKey' || x.kind === 'unique')) {
    const prior = kept.find((k) => sameIndex(k.c, c));
    if (prior) {
      if (prior.name === undefined) prior.name = c.name;
      continue;
    }
    kept.push({ c, name: c.name });
  }
  for (const k of kept) out.push(take({ ...k.c, name: k.name }, k.c.columns));
  for (const c of t.constraints.filter((x) => x.kind === 'foreignKey')) out.push(take(c, c.columns));
  return out;
}

/**
 * The constraints PostgreSQL 15 records for an `addColumn` op as this dialect renders it (each constraint
 * is its own `ALTER TABLE ... ADD`, so none is folded): primary key, unique, foreign key.
 */
export function predictAddColumnConstraints(op: AddColumnOp, options: PredictOptions = {}): PredictedConstraint[] {
  const where = `op.addColumn(${JSON.stringify(op.table)})`;
  const resolved = resolveAddColumn(op, options.namingConvention, where);
  const ns = new Growing(options.namespace ?? EMPTY_NAMESPACE);
  if (resolved.column.serial || op.column.identity !== undefined) ns.relations.add(postgresSequenceName(op.table, op.column.name, ns));
  return resolved.constraints.map((c) => {
    const name = c.name ?? postgresDefaultConstraintName(c.kind, op.table, c.columns, ns);
    ns.constraints.add(name);
    if (c.kind === 'primaryKey' || c.kind === 'unique') ns.relations.add(name);
    return { ...c, name, defaultName: c.name === undefined };
  });
}

/** The sequence a SERIAL or identity column gets: `t_col_seq`, numbered on a clash with a relation. */
export function postgresSequenceName(table: string, column: string, namespace: PgNamespace = EMPTY_NAMESPACE): string {
  for (let pass = 0; ; pass++) {
    const name = makeObjectName(table, column, pass === 0 ? 'seq' : `seq${pass}`);
    if (!namespace.relationExists(name)) return name;
    if (pass > 10000) throw new UserError(`cannot find a free sequence name for ${table}.${column}`);
  }
}
