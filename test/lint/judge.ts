/**
 * The squawk judge's cases and rendering. Each case is a migration's ops, linted by sqlscribe against a
 * schema state where the `existing` tables exist, and compiled by the PostgreSQL dialect into a script
 * laid out as sqlscribe writes it (BEGIN/COMMIT around the run; `CONCURRENTLY` between COMMIT and BEGIN)
 * that squawk lints too. squawk sees only the script, so for it every table not created in the script
 * exists: the same notion of "existing" as ours.
 *
 * For the rules both have, each case lists where the two disagree, with the reason (`squawkOnly`,
 * `oursOnly`); the judge fails on any other difference. The rendered script, with our findings as header
 * comments, is the golden file `test/fixtures/lint/<name>.sql`.
 */
import { postgresql } from '../../src/dialects/postgresql/index.js';
import { formatFinding, lintMigration, RULES, type Finding, type RuleName } from '../../src/lint/index.js';
import { column, op, sql, t } from '../../src/ops/builders.js';
import type { Op } from '../../src/ops/types.js';
import { TestContext } from '../postgresql-render/support.js';
import { stateOf } from './support.js';

/** A rule reported on one op (1-based) by one side only, and why that is right. */
export interface Divergence {
  readonly op: number;
  readonly rule: RuleName;
  readonly why: string;
}

export interface JudgeCase {
  /** File name of the golden script, without `.sql`. */
  readonly name: string;
  readonly title: string;
  /** Ops of earlier migrations: the tables that exist before this one (not in the script). */
  readonly existing: readonly Op[];
  readonly ops: readonly Op[];
  /** squawk reports it, sqlscribe rightly does not. */
  readonly squawkOnly?: readonly Divergence[];
  /** sqlscribe reports it, squawk does not. */
  readonly oursOnly?: readonly Divergence[];
}

/** The rules sqlscribe has under squawk's names: the ones the judge compares. */
export const SHARED_RULES: ReadonlySet<string> = new Set(RULES.filter((r) => r.origin === 'squawk').map((r) => r.name));

/**
 * squawk reports `constraint-missing-not-valid` besides its own rule for ADD FOREIGN KEY, ADD UNIQUE and
 * ADD PRIMARY KEY; sqlscribe reports one finding per problem, under the specific rule (and PostgreSQL has
 * no NOT VALID for UNIQUE or PRIMARY KEY at all: ALTER TABLE, "NOT VALID ... is currently only allowed for
 * foreign key and CHECK constraints"). So squawk's `constraint-missing-not-valid` on an op counts as
 * matched when sqlscribe reports one of these on that op.
 */
export const COVERED_BY: Readonly<Record<string, readonly RuleName[]>> = {
  'constraint-missing-not-valid': ['adding-foreign-key-constraint', 'disallowed-unique-constraint', 'adding-serial-primary-key-field'],
};

const USERS = op.createTable('users', [
  column('id', t.integer(), { primaryKey: true }),
  column('email', t.string(50)),
  column('name', t.string(50)),
  column('amount', t.numeric(10, 2)),
  column('account_id', t.integer()),
]);
const ACCOUNTS = op.createTable('accounts', [column('id', t.integer(), { primaryKey: true }), column('name', t.string(50))]);
const EVENTS = op.createTable('events', [column('id', t.bigInteger(), { nullable: false }), column('name', t.text())]);

const NEW_TABLE = 'the table was created by op 1 of the same migration: it is empty and no running code uses it';

export const JUDGE_CASES: readonly JudgeCase[] = [
  {
    name: 'drops-and-renames',
    title: 'Drops and renames of a table and columns that existed before',
    existing: [USERS],
    ops: [
      op.dropColumn('users', 'name'),
      op.alterColumn('users', 'email', { newName: 'mail' }),
      op.renameTable('users', 'people'),
      op.dropTable('people'),
      op.dropTable('legacy_sessions'),
    ],
  },
  {
    name: 'new-table',
    title: 'Everything on a table created by the same migration is safe',
    existing: [USERS],
    ops: [
      ACCOUNTS,
      op.createIndex('ix_accounts_name', 'accounts', ['name']),
      op.createForeignKey('fk_accounts_users', 'accounts', 'users', ['id'], ['id']),
      op.createCheckConstraint('ck_accounts_id', 'accounts', sql`id > 0`),
      op.createUniqueConstraint('uq_accounts_name', 'accounts', ['name']),
      op.addColumn('accounts', column('token', t.uuid(), { serverDefault: sql`gen_random_uuid()` })),
      op.addColumn('accounts', column('rank', t.integer(), { nullable: false })),
      op.alterColumn('accounts', 'name', { nullable: false }),
      op.alterColumn('accounts', 'id', { type: t.bigInteger() }),
      op.alterColumn('accounts', 'name', { newName: 'title' }),
      op.dropColumn('accounts', 'title'),
      op.renameTable('accounts', 'ledgers'),
      op.dropTable('ledgers'),
    ],
    squawkOnly: [
      { op: 6, rule: 'adding-field-with-default', why: NEW_TABLE },
      { op: 7, rule: 'adding-required-field', why: NEW_TABLE },
      { op: 8, rule: 'adding-not-nullable-field', why: NEW_TABLE },
      { op: 9, rule: 'changing-column-type', why: NEW_TABLE },
      { op: 10, rule: 'renaming-column', why: NEW_TABLE },
      { op: 11, rule: 'ban-drop-column', why: NEW_TABLE },
      { op: 12, rule: 'renaming-table', why: NEW_TABLE },
      { op: 13, rule: 'ban-drop-table', why: NEW_TABLE },
    ],
  },
  {
    name: 'indexes',
    title: 'Index builds and drops on a table that existed before',
    existing: [USERS],
    ops: [
      op.createIndex('ix_users_name', 'users', ['name']),
      op.createIndex('ix_users_email', 'users', ['email'], { unique: true, concurrently: true }),
      op.dropIndex('ix_users_old', { table: 'users' }),
      op.dropIndex('ix_users_older', { table: 'users', concurrently: true }),
    ],
  },
  {
    name: 'constraints',
    title: 'Constraints added to a table that existed before',
    existing: [USERS, ACCOUNTS, EVENTS],
    ops: [
      op.createForeignKey('fk_users_account', 'users', 'accounts', ['account_id'], ['id']),
      op.createForeignKey('fk_users_account_nv', 'users', 'accounts', ['account_id'], ['id'], { notValid: true }),
      op.createCheckConstraint('ck_users_amount', 'users', sql`amount >= 0`),
      op.createCheckConstraint('ck_users_amount_nv', 'users', sql`amount >= 0`, { notValid: true }),
      op.createUniqueConstraint('uq_users_email', 'users', ['email']),
      op.createPrimaryKey('pk_events', 'events', ['id']),
    ],
  },
  {
    name: 'add-columns',
    title: 'Columns added to a table that existed before',
    existing: [USERS, ACCOUNTS, EVENTS],
    ops: [
      op.addColumn('users', column('token', t.uuid(), { serverDefault: sql`gen_random_uuid()` })),
      op.addColumn('users', column('seen_at', t.dateTime({ timezone: true }), { serverDefault: sql`now()` })),
      op.addColumn('users', column('ticket', t.bigInteger(), { serverDefault: sql`nextval('tickets')` })),
      op.addColumn('users', column('slug', t.text(), { serverDefault: sql`lower('X')` })),
      op.addColumn('users', column('code', t.text(), { serverDefault: sql`make_code()` })),
      op.addColumn('users', column('seq', t.bigInteger(), { identity: {} })),
      op.addColumn('users', column('double_amount', t.numeric(12, 2), { computed: { expression: sql`amount * 2`, stored: true } })),
      op.addColumn('users', column('age', t.integer(), { nullable: false })),
      op.addColumn('users', column('role', t.text(), { nullable: false, serverDefault: 'member' })),
      op.addColumn('users', column('handle', t.text(), { unique: true })),
      op.addColumn('users', column('team_id', t.integer(), { references: { table: 'accounts', column: 'id' } })),
      op.addColumn('events', column('uid', t.integer(), { primaryKey: true })),
    ],
    squawkOnly: [
      { op: 4, rule: 'adding-field-with-default', why: "lower() is IMMUTABLE (pg_proc): PostgreSQL 11+ stores the value once, no rewrite (checked in postgres-facts.test.ts)" },
      { op: 12, rule: 'adding-required-field', why: 'a SERIAL column is NOT NULL but has a default (nextval), so inserts from old code still work; its rewrite is reported as adding-field-with-default' },
    ],
    oursOnly: [
      { op: 12, rule: 'adding-field-with-default', why: 'SERIAL fills existing rows from nextval(): the table is rewritten (checked in postgres-facts.test.ts); squawk reports no rewrite for serial' },
    ],
  },
  {
    name: 'alter-columns',
    title: 'Column changes on a table that existed before',
    existing: [USERS],
    ops: [
      op.alterColumn('users', 'email', { nullable: false }),
      op.alterColumn('users', 'id', { type: t.bigInteger() }),
      op.alterColumn('users', 'email', { type: t.text() }),
      op.alterColumn('users', 'name', { type: t.string(100) }),
      op.alterColumn('users', 'amount', { type: t.numeric(14, 2) }),
      op.alterColumn('users', 'name', { type: t.string(20) }),
      op.alterColumn('users', 'email', { nullable: true }),
    ],
    squawkOnly: [
      { op: 3, rule: 'changing-column-type', why: 'VARCHAR(50) to TEXT is binary-coercible: no rewrite (ALTER TABLE, Notes; checked in postgres-facts.test.ts)' },
      { op: 4, rule: 'changing-column-type', why: 'VARCHAR(50) to VARCHAR(100) is a no-op length coercion: no rewrite (checked in postgres-facts.test.ts)' },
      { op: 5, rule: 'changing-column-type', why: 'NUMERIC(10, 2) to NUMERIC(14, 2) keeps the scale and raises the precision: no rewrite (checked in postgres-facts.test.ts)' },
    ],
  },
];

/** One case compiled: the script text, the op of each line, and sqlscribe's findings. */
export interface RenderedCase {
  readonly text: string;
  /** 0-based line → 1-based op; undefined for BEGIN/COMMIT and comments. */
  readonly opOfLine: readonly (number | undefined)[];
  readonly findings: readonly Finding[];
}

/** Lints and compiles a case into the script squawk reads (and the golden file holds). */
export function renderCase(c: JudgeCase): RenderedCase {
  const findings = lintMigration({ ops: c.ops, before: stateOf(c.existing), dialect: 'postgresql', site: { file: `${c.name}.ts`, revision: 'judge' } });
  const ctx = new TestContext();
  for (const o of c.existing) ctx.after(o);
  const lines: string[] = [];
  const opOfLine: (number | undefined)[] = [];
  const push = (text: string, opIndex?: number) => {
    for (const l of text.split('\n')) {
      lines.push(l);
      opOfLine.push(opIndex);
    }
  };
  push(`-- ${c.title}`);
  push('-- sqlscribe lint findings:');
  for (const f of findings) push(`-- ${formatFinding(f)}`);
  if (findings.length === 0) push('-- (none)');
  push('');
  push('BEGIN;');
  push('');
  c.ops.forEach((o, i) => {
    push(`-- op ${i + 1} ${o.kind}`);
    for (const s of postgresql.compileOp(o, ctx)) {
      if (s.autocommit) push('COMMIT;\n');
      push(`${s.sql};`, i + 1);
      if (s.autocommit) push('\nBEGIN;');
      push('');
    }
    ctx.after(o);
  });
  push('COMMIT;');
  return { text: `${lines.join('\n')}\n`, opOfLine, findings };
}
