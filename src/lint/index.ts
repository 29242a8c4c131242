/**
 * Migration lint: the ops of a migration that are risky on a production database — data loss, renames
 * that break running code, and (on PostgreSQL) locks and table rewrites — reported as findings for
 * `sqlscribe check` and as comments in a script's header. Linting never changes the SQL.
 *
 * Rule names are squawk's where squawk has the rule (`./rules.ts`), so a team that knows squawk, or runs
 * it on the generated SQL too, reads the same names. Unlike squawk, which sees one SQL file, the linter
 * knows the schema state before the migration: it tells a table created earlier in the same migration
 * (empty, unused: nothing to report) from one that existed before, and it knows a column's current type,
 * so it reports only the type changes that really rewrite the table or narrow the type.
 *
 * "Existed before" means: not created by an earlier op of the same list. A table the schema state does not
 * know (created by raw SQL, or before the project used sqlscribe) is taken to exist.
 */
import type { DialectName } from '../dialects/types.js';
import { resolveAddColumn, type ResolvedAddColumn } from '../dialects/postgresql/table.js';
import { formatSite } from '../errors.js';
import type { AddColumnOp, AlterColumnOp, Op, OpKind } from '../ops/types.js';
import type { SchemaState } from '../state/schema.js';
import { LintModel } from './model.js';
import { narrowing, pgTypeLabel, pgTypeOf, typeChangeRewrite } from './pgtypes.js';
import { ruleInfo, type RuleName, type Severity } from './rules.js';
import { defaultVolatility } from './volatility.js';

export { RULES, ruleInfo } from './rules.js';
export type { RuleInfo, RuleName, Severity } from './rules.js';

/** Which op list of a migration a finding is in. */
export type OpList = 'upgrade' | 'downgrade';

/** One finding: a rule that an op of a migration triggers. */
export interface Finding {
  /** squawk's rule name where squawk has the rule, else sqlscribe's own (see `RULES`). */
  readonly rule: RuleName;
  readonly severity: Severity;
  /** The migration file, as the caller gave it. */
  readonly file: string;
  readonly revision: string;
  readonly list: OpList;
  /** 1-based position of the op in its list. */
  readonly op: number;
  readonly kind: OpKind;
  /** One line: what the op does, why it hurts in production, what to do instead. */
  readonly message: string;
}

/** Where the ops come from. */
export interface LintSite {
  readonly file: string;
  readonly revision: string;
}

/** What {@link lintMigration} lints. */
export interface LintInput {
  readonly ops: readonly Op[];
  /** The schema state before the list's first op. Only read, never changed. */
  readonly before: SchemaState;
  readonly dialect: DialectName;
  readonly site: LintSite;
  /** Which list `ops` is (default `upgrade`); a downgrade's `before` is the state after the upgrade. */
  readonly list?: OpList;
}

/**
 * The findings of one op list, in op order (and, within an op, in the order of its statements).
 * PostgreSQL-only rules (locks, rewrites, narrowing) are judged for `postgresql` only; the others
 * (drops, renames) for every dialect.
 */
export function lintMigration(input: LintInput): Finding[] {
  return lintList(new LintModel(input.before), input.ops, input.list ?? 'upgrade', input.dialect, input.site);
}

/**
 * The findings of a migration's upgrade and, when it has a hand-written one, its downgrade — linted against
 * the state after the upgrade, where everything the upgrade created has existed for a while (a derived
 * downgrade is the caller's to lint, or not). `before` is the state before the upgrade; it is not changed.
 */
export function lintRevision(input: {
  readonly upgrade: readonly Op[];
  readonly downgrade?: readonly Op[];
  readonly before: SchemaState;
  readonly dialect: DialectName;
  readonly site: LintSite;
}): Finding[] {
  const model = new LintModel(input.before);
  const findings = lintList(model, input.upgrade, 'upgrade', input.dialect, input.site);
  if (input.downgrade) {
    model.settle();
    findings.push(...lintList(model, input.downgrade, 'downgrade', input.dialect, input.site));
  }
  return findings;
}

/** One line: `<file> (revision r, upgrade op 2 createIndex): require-concurrent-index-creation: <message>`. */
export function formatFinding(f: Finding): string {
  return `${formatSite({ file: f.file, revision: f.revision, list: f.list, opIndex: f.op, opKind: f.kind })}: ${f.rule}: ${f.message}`;
}

// ---------------------------------------------------------------------------------------------------

type Emit = (rule: RuleName, message: string) => void;

function lintList(model: LintModel, ops: readonly Op[], list: OpList, dialect: DialectName, site: LintSite): Finding[] {
  const findings: Finding[] = [];
  ops.forEach((op, i) => {
    const emit: Emit = (rule, message) => {
      const info = ruleInfo(rule);
      if (info.dialects === 'postgresql' && dialect !== 'postgresql') return;
      findings.push({ rule, severity: info.severity, file: site.file, revision: site.revision, list, op: i + 1, kind: op.kind, message: oneLine(message) });
    };
    lintOp(op, model, emit);
    model.apply(op);
  });
  return findings;
}

/** `schema.name`, or `name`. */
const q = (name: string, schema?: string): string => (schema ? `${schema}.${name}` : name);

/** Collapses line breaks and runs of blanks, so a finding stays one line in a header comment. */
const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, ' ');

/** Raw SQL as shown in a message: one line, at most 60 characters. */
function shown(text: string): string {
  const s = text.trim().replace(/\s+/g, ' ');
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const BLOCKS = 'blocking reads and writes until it finishes';
const LATER = 'in a later migration (op.execute)';

function lintOp(op: Op, model: LintModel, emit: Emit): void {
  switch (op.kind) {
    case 'dropTable': {
      if (!model.existedBefore(op.table, op.schema)) return;
      const t = q(op.table, op.schema);
      emit(
        'ban-drop-table',
        `dropping table ${t} deletes it with all its rows, and running code that still uses it fails; deploy code that no longer uses ${t} first, keep a backup, then drop it in a later migration`,
      );
      return;
    }
    case 'dropColumn': {
      if (!model.existedBefore(op.table, op.schema) || model.column(op.table, op.column, op.schema)?.added !== false) return;
      const t = q(op.table, op.schema);
      emit(
        'ban-drop-column',
        `dropping column ${t}.${op.column} deletes its data, and running code that still reads or writes it fails; deploy code that no longer uses ${op.column} first, then drop it in a later migration`,
      );
      return;
    }
    case 'renameTable': {
      if (!model.existedBefore(op.table, op.schema)) return;
      const t = q(op.table, op.schema);
      emit(
        'renaming-table',
        `renaming table ${t} to ${op.newName} breaks running code that still uses the old name while old and new app versions run side by side; keep the old name, or rename and create a view ${t} over ${q(op.newName, op.schema)} until no code uses the old name`,
      );
      return;
    }
    case 'addColumn':
      return lintAddColumn(op, model, emit);
    case 'alterColumn':
      return lintAlterColumn(op, model, emit);
    case 'createIndex': {
      if (op.concurrently || !model.existedBefore(op.table, op.schema)) return;
      const t = q(op.table, op.schema);
      emit(
        'require-concurrent-index-creation',
        `creating index ${q(op.name, op.schema)} on ${t} without concurrently holds a SHARE lock that blocks inserts, updates and deletes on ${t} until the index is built; pass { concurrently: true } (sqlscribe then runs it outside the transaction)`,
      );
      return;
    }
    case 'dropIndex': {
      if (op.concurrently || model.indexCreatedHere(op.name, op.schema)) return;
      if (op.table !== undefined && !model.existedBefore(op.table, op.schema)) return;
      emit(
        'require-concurrent-index-deletion',
        `dropping index ${q(op.name, op.schema)} without concurrently takes an ACCESS EXCLUSIVE lock on its table, ${BLOCKS}; pass { concurrently: true } (sqlscribe then runs it outside the transaction)`,
      );
      return;
    }
    case 'createPrimaryKey': {
      if (!model.existedBefore(op.table, op.schema)) return;
      const t = q(op.table, op.schema);
      emit(
        'adding-serial-primary-key-field',
        `adding primary key ${op.name} to ${t} builds its index under an ACCESS EXCLUSIVE lock, ${BLOCKS}; create a unique index with { concurrently: true } first, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX ${LATER}`,
      );
      return;
    }
    case 'createUniqueConstraint': {
      if (!model.existedBefore(op.table, op.schema)) return;
      const t = q(op.table, op.schema);
      emit(
        'disallowed-unique-constraint',
        `adding unique constraint ${op.name} to ${t} builds its index under an ACCESS EXCLUSIVE lock, ${BLOCKS}; create a unique index with { concurrently: true } first, then ADD CONSTRAINT ... UNIQUE USING INDEX ${LATER}`,
      );
      return;
    }
    case 'createCheckConstraint': {
      if (op.notValid || !model.existedBefore(op.table, op.schema)) return;
      const t = q(op.table, op.schema);
      emit(
        'constraint-missing-not-valid',
        `adding check constraint ${op.name} to ${t} without notValid scans all of ${t} under an ACCESS EXCLUSIVE lock, blocking reads and writes until every row is checked; pass { notValid: true }, then VALIDATE CONSTRAINT ${LATER}, which takes only a SHARE UPDATE EXCLUSIVE lock`,
      );
      return;
    }
    case 'createForeignKey': {
      if (op.notValid || !model.existedBefore(op.sourceTable, op.sourceSchema)) return;
      const t = q(op.sourceTable, op.sourceSchema);
      emit(
        'adding-foreign-key-constraint',
        `adding foreign key ${op.name} to ${t} without notValid scans all of ${t} while holding SHARE ROW EXCLUSIVE locks on ${t} and ${q(op.referentTable, op.referentSchema)}, blocking writes to both until it finishes; pass { notValid: true }, then VALIDATE CONSTRAINT ${LATER}, which does not block writes`,
      );
      return;
    }
    default:
      return;
  }
}

function lintAddColumn(op: AddColumnOp, model: LintModel, emit: Emit): void {
  if (!model.existedBefore(op.table, op.schema)) return;
  let resolved: ResolvedAddColumn;
  try {
    resolved = resolveAddColumn(op, undefined, 'lint');
  } catch {
    return; // an invalid column: compiling the op reports it
  }
  const col = op.column;
  const t = q(op.table, op.schema);
  const c = `${t}.${col.name}`;
  const rewrite = `rewrites the whole table under an ACCESS EXCLUSIVE lock, ${BLOCKS}`;
  const backfill = 'add the column without the default, then SET DEFAULT for new rows and backfill existing rows in batches';

  // ADD COLUMN: a value computed per row rewrites the table; NOT NULL without a value fails.
  if (col.identity) {
    emit('adding-field-with-default', `adding identity column ${c} numbers every existing row from a sequence, which ${rewrite}; add a plain nullable column, set its default to nextval() of a new sequence (for new rows only), then backfill existing rows in batches`);
  } else if (resolved.column.serial) {
    emit('adding-field-with-default', `adding column ${c} as SERIAL fills every existing row from nextval(), a VOLATILE function, which ${rewrite}; add a plain nullable column, set its default to nextval() of a new sequence (for new rows only), then backfill existing rows in batches`);
  } else if (col.computed) {
    emit('adding-field-with-default', `adding generated column ${c} computes it for every existing row, which ${rewrite}; add a plain column kept up to date by the application or a trigger and backfill it in batches, or accept the rewrite in a maintenance window`);
  } else if (col.serverDefault !== undefined) {
    const v = defaultVolatility(col.serverDefault);
    const expr = typeof col.serverDefault === 'object' ? shown(col.serverDefault.text) : '';
    if (v.kind === 'volatile') {
      emit('adding-field-with-default', `adding column ${c} with DEFAULT ${expr}, which calls the VOLATILE function ${v.fn}(), ${rewrite}; ${backfill}`);
    } else if (v.kind === 'unknown') {
      emit('adding-field-with-default', `adding column ${c} with DEFAULT ${expr} rewrites the whole table under an ACCESS EXCLUSIVE lock if ${v.fn}() is VOLATILE (sqlscribe cannot tell; a constant or STABLE default does not), ${BLOCKS}; ${backfill}`);
    }
  }
  const hasValue = col.serverDefault !== undefined || col.identity !== undefined || col.computed !== undefined || resolved.column.serial;
  if (!resolved.column.nullable && !hasValue) {
    emit('adding-required-field', `adding column ${c} NOT NULL without a server default fails on a table that has rows, and old code that inserts rows without ${col.name} breaks; add it nullable or with a serverDefault, backfill it, then set it NOT NULL`);
  }
  // The constraints that follow the ADD COLUMN, in the dialect's order: primary key, unique, foreign key.
  for (const k of resolved.constraints) {
    if (k.kind === 'primaryKey') {
      emit('adding-serial-primary-key-field', `adding column ${c} as primary key builds its index under an ACCESS EXCLUSIVE lock, ${BLOCKS}; add the column, fill it, create a unique index with { concurrently: true }, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX ${LATER}`);
    } else if (k.kind === 'unique') {
      emit('disallowed-unique-constraint', `adding column ${c} with unique builds its index under an ACCESS EXCLUSIVE lock, ${BLOCKS}; add the column without unique, create a unique index with { concurrently: true }, then ADD CONSTRAINT ... UNIQUE USING INDEX ${LATER} if a constraint is needed`);
    } else if (k.kind === 'foreignKey') {
      const ref = q(k.refTable ?? '?', k.refSchema);
      emit('adding-foreign-key-constraint', `adding column ${c} with references adds its foreign key without NOT VALID, which scans all of ${t} while holding SHARE ROW EXCLUSIVE locks on ${t} and ${ref}, blocking writes to both until it finishes; add the column without references, then createForeignKey with { notValid: true } and VALIDATE CONSTRAINT ${LATER}`);
    }
  }
}

function lintAlterColumn(op: AlterColumnOp, model: LintModel, emit: Emit): void {
  if (!model.existedBefore(op.table, op.schema)) return;
  const col = model.column(op.table, op.column, op.schema);
  if (!col) return;
  const t = q(op.table, op.schema);
  const c = `${t}.${op.column}`;
  // ALTER COLUMN ... TYPE
  if (op.type !== undefined) {
    const to = pgTypeOf(op.type);
    const toLabel = pgTypeLabel(op.type);
    const from = col.type === undefined ? undefined : pgTypeOf(col.type);
    const fromLabel = col.type === undefined ? undefined : pgTypeLabel(col.type);
    if (from && !col.added) {
      const lost = narrowing(from, to, toLabel);
      if (lost) emit('narrowing-column-type', `changing ${c} from ${fromLabel} to ${toLabel} narrows the type: ${lost}; check the production data against the new type first, or keep the wider type`);
    }
    const locked = `the whole table and its indexes under an ACCESS EXCLUSIVE lock`;
    const instead = `add a new column of type ${toLabel}, backfill it in batches and switch the code over, instead of changing the type in place`;
    if (!from) {
      emit('changing-column-type', `changing ${c} to ${toLabel} may rewrite ${locked} (sqlscribe does not know its current type), ${BLOCKS}; unless the change is binary-coercible, ${instead}`);
    } else {
      const verdict = typeChangeRewrite(from, to);
      const change = `changing ${c} from ${fromLabel} to ${toLabel}`;
      if (verdict === 'rewrite') emit('changing-column-type', `${change} rewrites ${locked}, ${BLOCKS}; ${instead}`);
      else if (verdict === 'timezone') emit('changing-column-type', `${change} rewrites ${locked} unless the session TimeZone is UTC, ${BLOCKS}; run it with TimeZone set to UTC (PostgreSQL 12+ then skips the rewrite) if that is the conversion you mean, or ${instead}`);
      else if (verdict === 'unknown') emit('changing-column-type', `${change} may rewrite ${locked} (sqlscribe cannot tell whether the change is binary-coercible), ${BLOCKS}; unless it is, ${instead}`);
      else if (op.using !== undefined && !sameColumnUsing(op.using.text, op.column)) {
        emit('changing-column-type', `${change} USING ${shown(op.using.text)} rewrites ${locked} unless USING leaves the values as they are, ${BLOCKS}; drop the USING clause (the change is binary-coercible), or ${instead}`);
      }
    }
  }
  // ALTER COLUMN ... SET NOT NULL
  if (op.nullable === false) {
    emit('adding-not-nullable-field', `setting ${c} NOT NULL scans all of ${t} under an ACCESS EXCLUSIVE lock, blocking reads and writes until every row is checked; first add CHECK (${op.column} IS NOT NULL) with { notValid: true } and VALIDATE it, then set NOT NULL (PostgreSQL 12+ then skips the scan)`);
  }
  // RENAME COLUMN
  if (op.newName !== undefined && !col.added) {
    emit('renaming-column', `renaming column ${c} to ${op.newName} breaks running code that still uses the old name while old and new app versions run side by side; add ${op.newName} as a new column, write both and backfill, move the code over, then drop ${op.column} in a later migration`);
  }
}

/**
 * True when a USING expression is just the column, maybe cast (`c`, `"C"`, `c::text`): PostgreSQL then sees
 * no change of contents, and a binary-coercible change still needs no rewrite.
 */
function sameColumnUsing(text: string, column: string): boolean {
  const m = /^\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][\w$]*))\s*(?:::\s*[A-Za-z_][\w\s(),."[\]]*)?$/.exec(text);
  if (!m) return false;
  return m[1] !== undefined ? m[1].replace(/""/g, '"') === column : m[2]!.toLowerCase() === column;
}
