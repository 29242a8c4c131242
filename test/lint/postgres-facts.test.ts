/**
 * The PostgreSQL facts the lint rules state, checked against a real PostgreSQL 15 (test/support/postgres.ts:
 * skipped locally when there is none, a failure on CI): for each case the op is compiled by the PostgreSQL
 * dialect, run on a table with a row, and
 * - a table rewrite (a new `pg_class.relfilenode`) happens exactly when the linter reports one
 *   (`changing-column-type`, `adding-field-with-default`);
 * - a narrowing finding's claim holds: a value that does not fit makes the ALTER fail, or is changed
 *   silently, as the message says;
 * - the lock a message names is the strongest lock the statement takes (`pg_locks`, in its transaction);
 * - the functions listed as VOLATILE / non-volatile have that volatility in `pg_proc`.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { postgresql } from '../../src/dialects/postgresql/index.js';
import { lintMigration, type Finding } from '../../src/lint/index.js';
import { NON_VOLATILE_FUNCTIONS, VOLATILE_FUNCTIONS, VOLATILE_FUNCTIONS_AFTER_15 } from '../../src/lint/volatility.js';
import { column, op, sql, t } from '../../src/ops/builders.js';
import type { Column, Op, Sql, TypeSpec } from '../../src/ops/types.js';
import { TestContext } from '../postgresql-render/support.js';
import { pgTest, type PgDb } from '../support/postgres.js';
import { SITE, stateOf } from './support.js';

let seq = 0;
const nextTable = () => `lint_t${++seq}`;

/** The SQL of ops as the PostgreSQL dialect compiles them (enum types created on first use). */
function sqlOf(ops: readonly Op[], existing: readonly Op[] = []): string {
  const ctx = new TestContext();
  for (const o of existing) ctx.after(o);
  return ops.flatMap((o) => {
    const s = postgresql.compileOp(o, ctx);
    ctx.after(o);
    return s.map((x) => `${x.sql};`);
  }).join('\n');
}

function findings(ops: readonly Op[], existing: readonly Op[]): Finding[] {
  return lintMigration({ ops, before: stateOf(existing), dialect: 'postgresql', site: SITE });
}

async function relfilenode(db: PgDb, table: string): Promise<string> {
  const [[node]] = (await db.query(`SELECT relfilenode::text FROM pg_class WHERE oid = '${table}'::regclass`)) as [[string]];
  return node;
}

/** Creates `table` (id, c) with one row; `value` is c's SQL literal. */
async function tableWith(db: PgDb, table: string, c: Column, value: string): Promise<Op[]> {
  const create = op.createTable(table, [column('id', t.integer()), c]);
  await db.exec(`${sqlOf([create])}\nINSERT INTO ${table} VALUES (1, ${value});`);
  return [create];
}

/** Runs `ops` and tells whether the table was rewritten, or the error. */
async function runOn(db: PgDb, table: string, ops: readonly Op[], existing: readonly Op[], prelude = ''): Promise<{ rewrote: boolean; error?: string }> {
  const before = await relfilenode(db, table);
  try {
    await db.exec(`${prelude}${sqlOf(ops, existing)}`);
  } catch (e) {
    return { rewrote: false, error: (e as Error).message };
  }
  return { rewrote: (await relfilenode(db, table)) !== before };
}

interface TypeCase {
  readonly from: TypeSpec;
  readonly to: TypeSpec;
  readonly using?: Sql;
  /** A value of `from` that every case can convert. */
  readonly value: string;
}

const TYPE_CASES: readonly TypeCase[] = [
  { from: t.string(10), to: t.string(20), value: `'abc'` },
  { from: t.string(20), to: t.string(10), value: `'abc'` },
  { from: t.string(10), to: t.text(), value: `'abc'` },
  { from: t.string(10), to: t.string(), value: `'abc'` },
  { from: t.text(), to: t.string(10), value: `'abc'` },
  { from: t.text(), to: t.string(), value: `'abc'` },
  { from: t.integer(), to: t.bigInteger(), value: '1' },
  { from: t.bigInteger(), to: t.integer(), value: '1' },
  { from: t.smallInteger(), to: t.integer(), value: '1' },
  { from: t.integer(), to: t.integer(), value: '1' },
  { from: t.numeric(10, 2), to: t.numeric(12, 2), value: '1.25' },
  { from: t.numeric(10, 2), to: t.numeric(8, 2), value: '1.25' },
  { from: t.numeric(10, 2), to: t.numeric(12, 4), value: '1.25' },
  { from: t.numeric(10, 2), to: t.numeric(), value: '1.25' },
  { from: t.numeric(), to: t.numeric(10, 2), value: '1.25' },
  { from: t.numeric(10), to: t.custom({ default: 'numeric(10, 0)' }), value: '1' },
  { from: t.float(10), to: t.double(), value: '1.5' },
  { from: t.float(10), to: t.custom({ default: 'real' }), value: '1.5' },
  { from: t.time(), to: t.time({ timezone: true }), value: `'10:00'` },
  { from: t.json(), to: t.jsonb(), value: `'{}'` },
  { from: t.jsonb(), to: t.json(), value: `'{}'` },
  { from: t.uuid(), to: t.text(), value: `'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'` },
  { from: t.binary(10), to: t.binary(20), value: `'\\x00'` },
  { from: t.array(t.string(10)), to: t.array(t.string(20)), value: `'{a}'` },
  { from: t.array(t.string(10)), to: t.array(t.text()), value: `'{a}'` },
  { from: t.array(t.integer()), to: t.array(t.bigInteger()), value: `'{1}'` },
  { from: t.enum(['a', 'b'], { name: 'lint_e1' }), to: t.text(), value: `'a'` },
  { from: t.text(), to: t.enum(['a', 'b'], { name: 'lint_e4' }), using: sql`c::lint_e4`, value: `'a'` },
  { from: t.string(10), to: t.text(), using: sql`c`, value: `'abc'` },
  { from: t.string(10), to: t.text(), using: sql`c::text`, value: `'abc'` },
  { from: t.string(10), to: t.text(), using: sql`lower(c)`, value: `'abc'` },
];

interface NarrowCase {
  readonly from: TypeSpec;
  readonly to: TypeSpec;
  readonly using?: Sql;
  /** A value that does not fit: the ALTER must fail (the message says "make the ALTER fail"). */
  readonly fails?: string;
  /** A value changed silently (the message says "silently"): `[value, what it reads as after]`. */
  readonly changes?: readonly [string, string];
}

const NARROW_CASES: readonly NarrowCase[] = [
  { from: t.string(50), to: t.string(20), fails: `'${'x'.repeat(30)}'` },
  { from: t.text(), to: t.string(5), fails: `'abcdefgh'` },
  { from: t.bigInteger(), to: t.integer(), fails: '1099511627776' },
  { from: t.integer(), to: t.smallInteger(), fails: '40000' },
  { from: t.numeric(10, 2), to: t.numeric(8, 2), fails: '12345678.5' },
  { from: t.numeric(10, 2), to: t.numeric(10, 1), changes: ['1.25', '1.3'] },
  { from: t.numeric(10, 2), to: t.integer(), changes: ['2.5', '3'] },
  { from: t.numeric(), to: t.numeric(6, 2), fails: '123456', changes: ['1.005', '1.01'] },
  { from: t.double(), to: t.integer(), fails: '1e12', changes: ['2.4', '2'] },
  { from: t.double(), to: t.float(10), fails: '1e300', changes: ['1.000000001', '1'] },
  { from: t.bigInteger(), to: t.double(), changes: ['9007199254740993', '9.007199254740992e+15'] },
  { from: t.dateTime(), to: t.date(), changes: [`'2024-05-06 07:08:09'`, '2024-05-06'] },
  { from: t.integer(), to: t.string(5), fails: '123456' },
  { from: t.uuid(), to: t.string(32), fails: `'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'` },
  { from: t.array(t.string(10)), to: t.array(t.string(5)), fails: `'{abcdefgh}'` },
  { from: t.enum(['a', 'b', 'c'], { name: 'lint_e2' }), to: t.enum(['a', 'b'], { name: 'lint_e3' }), using: sql`c::text::lint_e3`, fails: `'c'` },
];

/** The default and column cases of ADD COLUMN: a rewrite exactly when `adding-field-with-default` is reported. */
const ADD_CASES: readonly Column[] = [
  column('x', t.uuid(), { serverDefault: sql`gen_random_uuid()` }),
  column('x', t.double(), { serverDefault: sql`random()` }),
  column('x', t.dateTime({ timezone: true }), { serverDefault: sql`clock_timestamp()` }),
  column('x', t.bigInteger(), { serverDefault: sql`nextval('lint_seq')` }),
  column('x', t.uuid(), { serverDefault: sql`uuid_generate_v4()` }),
  column('x', t.dateTime({ timezone: true }), { serverDefault: sql`now()` }),
  column('x', t.dateTime({ timezone: true }), { serverDefault: sql`CURRENT_TIMESTAMP` }),
  column('x', t.dateTime({ timezone: true }), { serverDefault: sql`statement_timestamp()` }),
  column('x', t.dateTime(), { serverDefault: sql`timezone('utc', now())` }),
  column('x', t.text(), { serverDefault: sql`lower('X')` }),
  column('x', t.jsonb(), { serverDefault: sql`'{}'::jsonb` }),
  column('x', t.text(), { serverDefault: 'analyst', nullable: false }),
  column('x', t.integer(), { serverDefault: 0 }),
  column('x', t.bigInteger(), { identity: {} }),
  column('x', t.integer(), { primaryKey: true }),
  column('x', t.integer(), { computed: { expression: sql`id * 2`, stored: true } }),
  column('x', t.text()),
];

/** PostgreSQL's table lock modes, weakest first (PostgreSQL 15 docs, 13.3.1 "Table-Level Locks"). */
const LOCK_ORDER = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];

/** The strongest lock this transaction holds on each of `tables` after `statements`. */
async function locksAfter(db: PgDb, statements: string, tables: readonly string[]): Promise<Record<string, string>> {
  const r = await db.psqlScript(
    `\\set QUIET on\n\\pset format unaligned\n\\pset tuples_only on\nBEGIN;\n${statements}\n` +
      `SELECT c.relname || '|' || l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = pg_backend_pid() AND c.relname IN (${tables.map((x) => `'${x}'`).join(', ')});\nROLLBACK;\n`,
  );
  assert.equal(r.code, 0, r.stderr);
  const out: Record<string, string> = {};
  for (const line of r.stdout.split('\n').filter((l) => l.includes('|'))) {
    const [rel, mode] = line.split('|') as [string, string];
    if (!out[rel] || LOCK_ORDER.indexOf(mode) > LOCK_ORDER.indexOf(out[rel]!)) out[rel] = mode;
  }
  return out;
}

describe('lint facts on a real PostgreSQL', () => {
  pgTest('a type change rewrites the table exactly when changing-column-type is reported', async (t_, db) => {
    for (const c of TYPE_CASES) {
      const table = nextTable();
      const existing = await tableWith(db, table, column('c', c.from), c.value);
      const alter = op.alterColumn(table, 'c', { type: c.to, ...(c.using ? { using: c.using } : {}) });
      const reported = findings([alter], existing).some((f) => f.rule === 'changing-column-type');
      const r = await runOn(db, table, [alter], existing);
      assert.equal(r.error, undefined, `${sqlOf([alter], existing)}: ${r.error}`);
      assert.equal(r.rewrote, reported, `${sqlOf([alter], existing)}: rewrote ${r.rewrote}, reported ${reported}`);
    }
  });

  pgTest('timestamp <-> timestamptz rewrites unless the session TimeZone is UTC (reported as such)', async (t_, db) => {
    for (const [from, to] of [[t.dateTime(), t.dateTime({ timezone: true })], [t.dateTime({ timezone: true }), t.dateTime()]] as const) {
      for (const [zone, rewrites] of [['UTC', false], ['America/New_York', true]] as const) {
        const table = nextTable();
        const existing = await tableWith(db, table, column('c', from), `'2024-05-06 07:08:09'`);
        const alter = op.alterColumn(table, 'c', { type: to });
        assert.match(findings([alter], existing).find((f) => f.rule === 'changing-column-type')?.message ?? '', /unless the session TimeZone is UTC/);
        const r = await runOn(db, table, [alter], existing, `SET TimeZone = '${zone}';\n`);
        assert.deepEqual(r, { rewrote: rewrites }, `${zone}: ${sqlOf([alter], existing)}`);
      }
    }
  });

  pgTest('narrowing: values that do not fit fail the ALTER, or change silently, as the message says', async (t_, db) => {
    for (const c of NARROW_CASES) {
      const label = `${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`;
      const probe = op.alterColumn('probe', 'c', { type: c.to, ...(c.using ? { using: c.using } : {}) });
      const message = findings([probe], [op.createTable('probe', [column('c', c.from)])]).find((f) => f.rule === 'narrowing-column-type')?.message;
      assert.ok(message, `${label}: no narrowing finding`);
      assert.equal(/make the ALTER fail/.test(message), c.fails !== undefined, `${label}: ${message}`);
      assert.equal(/silently/.test(message), c.changes !== undefined, `${label}: ${message}`);
      if (c.fails !== undefined) {
        const table = nextTable();
        const existing = await tableWith(db, table, column('c', c.from), c.fails);
        const r = await runOn(db, table, [{ ...probe, table }], existing);
        assert.ok(r.error, `${label}: ${c.fails} did not make the ALTER fail`);
      }
      if (c.changes !== undefined) {
        const table = nextTable();
        const existing = await tableWith(db, table, column('c', c.from), c.changes[0]);
        const r = await runOn(db, table, [{ ...probe, table }], existing);
        assert.equal(r.error, undefined, `${label}: ${r.error}`);
        assert.deepEqual(await db.query(`SELECT c::text FROM ${table}`), [[c.changes[1]]], label);
      }
    }
  });

  pgTest('ADD COLUMN rewrites the table exactly when adding-field-with-default is reported', async (t_, db) => {
    await db.exec(`CREATE SEQUENCE lint_seq; CREATE EXTENSION IF NOT EXISTS "uuid-ossp";`);
    for (const c of ADD_CASES) {
      const table = nextTable();
      const existing = await tableWith(db, table, column('c', t.integer()), '1');
      const add = op.addColumn(table, c);
      const reported = findings([add], existing).some((f) => f.rule === 'adding-field-with-default');
      const r = await runOn(db, table, [add], existing);
      assert.equal(r.error, undefined, `${sqlOf([add], existing)}: ${r.error}`);
      assert.equal(r.rewrote, reported, `${sqlOf([add], existing)}: rewrote ${r.rewrote}, reported ${reported}`);
    }
  });

  pgTest('adding-required-field: the ADD COLUMN fails on a table with rows', async (t_, db) => {
    const table = nextTable();
    const existing = await tableWith(db, table, column('c', t.integer()), '1');
    const add = op.addColumn(table, column('x', t.integer(), { nullable: false }));
    assert.deepEqual(findings([add], existing).map((f) => f.rule), ['adding-required-field']);
    assert.match((await runOn(db, table, [add], existing)).error ?? '', /contains null values/);
  });

  pgTest('the lock each message names is the strongest lock the statement takes', async (t_, db) => {
    const a = nextTable();
    const b = nextTable();
    const existing = [
      op.createTable(a, [column('id', t.integer(), { nullable: false }), column('c', t.integer()), column('b_id', t.integer())]),
      op.createTable(b, [column('id', t.integer(), { primaryKey: true })]),
    ];
    await db.exec(`${sqlOf(existing)}\nCREATE INDEX ${a}_ix ON ${a} (c);\nINSERT INTO ${b} VALUES (1);\nINSERT INTO ${a} VALUES (1, 1, 1);`);
    await db.exec(`ALTER TABLE ${a} ADD CONSTRAINT ${a}_ck CHECK (c > 0) NOT VALID; ALTER TABLE ${a} ADD CONSTRAINT ${a}_fk FOREIGN KEY (b_id) REFERENCES ${b} (id) NOT VALID;`);
    const cases: readonly [Op | string, Record<string, string>, RegExp][] = [
      [op.createIndex(`${a}_ix2`, a, ['c']), { [a]: 'ShareLock' }, /holds a SHARE lock that blocks inserts, updates and deletes/],
      [op.dropIndex(`${a}_ix`, { table: a }), { [a]: 'AccessExclusiveLock' }, /takes an ACCESS EXCLUSIVE lock on its table/],
      [op.createForeignKey(`${a}_fk2`, a, b, ['b_id'], ['id']), { [a]: 'ShareRowExclusiveLock', [b]: 'ShareRowExclusiveLock' }, /holding SHARE ROW EXCLUSIVE locks on \S+ and \S+, blocking writes to both/],
      [op.addColumn(a, column('ref', t.integer(), { references: { table: b, column: 'id' } })), { [a]: 'AccessExclusiveLock', [b]: 'ShareRowExclusiveLock' }, /SHARE ROW EXCLUSIVE locks on/],
      [op.createCheckConstraint(`${a}_ck2`, a, sql`c > 0`), { [a]: 'AccessExclusiveLock' }, /under an ACCESS EXCLUSIVE lock/],
      [op.createUniqueConstraint(`${a}_uq`, a, ['c']), { [a]: 'AccessExclusiveLock' }, /under an ACCESS EXCLUSIVE lock/],
      [op.createPrimaryKey(`${a}_pk`, a, ['id']), { [a]: 'AccessExclusiveLock' }, /under an ACCESS EXCLUSIVE lock/],
      [op.alterColumn(a, 'c', { nullable: false }), { [a]: 'AccessExclusiveLock' }, /under an ACCESS EXCLUSIVE lock/],
      [op.alterColumn(a, 'c', { type: t.bigInteger() }), { [a]: 'AccessExclusiveLock' }, /under an ACCESS EXCLUSIVE lock/],
      [op.addColumn(a, column('u', t.uuid(), { serverDefault: sql`gen_random_uuid()` })), { [a]: 'AccessExclusiveLock' }, /under an ACCESS EXCLUSIVE lock/],
      // What the messages recommend instead: VALIDATE CONSTRAINT takes weaker locks.
      [`ALTER TABLE ${a} VALIDATE CONSTRAINT ${a}_ck;`, { [a]: 'ShareUpdateExclusiveLock' }, /which takes only a SHARE UPDATE EXCLUSIVE lock/],
      [`ALTER TABLE ${a} VALIDATE CONSTRAINT ${a}_fk;`, { [a]: 'ShareUpdateExclusiveLock', [b]: 'RowShareLock' }, /which does not block writes/],
    ];
    for (const [o, expected, claim] of cases) {
      const statements = typeof o === 'string' ? o : sqlOf([o], existing);
      assert.deepEqual(await locksAfter(db, statements, [a, b]), expected, statements);
      const messages = typeof o === 'string'
        ? findings([op.createCheckConstraint('x', a, sql`c > 0`), op.createForeignKey('y', a, b, ['b_id'], ['id'])], existing).map((f) => f.message)
        : findings([o], existing).map((f) => f.message);
      assert.ok(messages.some((m) => claim.test(m)), `${statements}: no message says ${claim}: ${messages.join(' | ')}`);
    }
  });

  pgTest('VOLATILE and non-volatile function lists match pg_proc', async (t_, db) => {
    await db.exec(`CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE EXTENSION IF NOT EXISTS "uuid-ossp";`);
    const names = [...VOLATILE_FUNCTIONS, ...NON_VOLATILE_FUNCTIONS];
    const rows = await db.query(`SELECT proname, string_agg(DISTINCT provolatile::text, '' ORDER BY provolatile::text) FROM pg_proc WHERE proname IN (${names.map((n) => `'${n}'`).join(', ')}) GROUP BY proname`);
    const volatility = new Map(rows.map(([n, v]) => [n!, v!]));
    for (const f of VOLATILE_FUNCTIONS) {
      if (VOLATILE_FUNCTIONS_AFTER_15.has(f)) assert.equal(volatility.get(f), undefined, `${f} is listed as newer than 15`);
      else assert.equal(volatility.get(f), 'v', f);
    }
    for (const f of NON_VOLATILE_FUNCTIONS) assert.match(volatility.get(f) ?? 'missing', /^[is]+$/, f);
  });
});
