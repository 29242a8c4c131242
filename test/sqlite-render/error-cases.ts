/**
 * What SQLite lacks, as UserErrors naming the op and SQLite — never dropped or altered silently. Each case:
 * ops run in order over a SQLite model (`setup` first), the last one must fail with `message`.
 */
import { column, op, sql, t, unique } from '../../src/ops/builders.js';
import type { Op, OpKind } from '../../src/ops/types.js';

export interface ErrorCase {
  readonly label: string;
  readonly setup?: readonly Op[];
  readonly op: Op;
  readonly message: RegExp;
}

const account = op.createTable('account', [column('id', t.integer(), { primaryKey: true }), column('email', t.string(100))]);

export const ERROR_CASES: readonly ErrorCase[] = [
  { label: 'createSchema', op: op.createSchema('audit'), message: /^op\.createSchema\("audit"\): SQLite has no schemas/ },
  { label: 'dropSchema', op: op.dropSchema('audit'), message: /^op\.dropSchema\("audit"\): SQLite has no schemas/ },
  { label: 'createEnum', op: op.createEnum('mood', ['a']), message: /^op\.createEnum\("mood"\): SQLite has no enum types; a t\.enum\(\.\.\.\) column is rendered VARCHAR with a CHECK/ },
  { label: 'dropEnum', op: op.dropEnum('mood'), message: /^op\.dropEnum\("mood"\): SQLite has no enum types/ },
  { label: 'a table in a schema', op: op.createTable('t', [column('a', t.integer())], { schema: 'audit' }), message: /^op\.createTable\("t"\): SQLite has no schemas \(schema "audit"\)/ },
  { label: 'an array column', op: op.createTable('t', [column('a', t.array(t.integer()))]), message: /^op\.createTable\("t"\): column "a": SQLite has no array types/ },
  { label: 'an interval column', op: op.addColumn('account', column('wait', t.interval())), setup: [account], message: /^op\.addColumn\("account"\): column "wait": SQLite has no interval type/ },
  { label: 'an identity column', op: op.createTable('t', [column('id', t.integer(), { identity: {} })]), message: /^op\.createTable\("t"\): column "id": SQLite has no identity columns/ },
  { label: 'a deferrable unique', op: op.createTable('t', [column('a', t.integer()), unique(['a'], { deferrable: true })]), message: /SQLite unique constraints cannot be deferrable/ },
  { label: 'a deferrable unique constraint op', setup: [account], op: op.createUniqueConstraint('uq', 'account', ['email'], { deferrable: true }), message: /^op\.createUniqueConstraint\("uq"\): SQLite unique constraints cannot be deferrable/ },
  { label: 'createIndex concurrently', setup: [account], op: op.createIndex('ix', 'account', ['email'], { concurrently: true }), message: /^op\.createIndex\("ix"\): SQLite has no CREATE INDEX CONCURRENTLY/ },
  { label: 'createIndex using', setup: [account], op: op.createIndex('ix', 'account', ['email'], { using: 'gin' }), message: /^op\.createIndex\("ix"\): SQLite has no index methods \(using: "gin"\)/ },
  { label: 'createIndex include', setup: [account], op: op.createIndex('ix', 'account', ['email'], { include: ['id'] }), message: /^op\.createIndex\("ix"\): SQLite has no INCLUDE columns/ },
  { label: 'dropIndex concurrently', op: op.dropIndex('ix', { concurrently: true }), message: /^op\.dropIndex\("ix"\): SQLite has no DROP INDEX CONCURRENTLY/ },
  { label: 'alterColumn using', setup: [account], op: op.alterColumn('account', 'email', { type: t.integer(), using: sql`email::integer` }), message: /^op\.alterColumn\("account", "email"\): SQLite has no USING/ },
  { label: 'a check NOT VALID', setup: [account], op: op.createCheckConstraint('ck', 'account', sql`id > 0`, { notValid: true }), message: /^op\.createCheckConstraint\("ck"\): SQLite has no NOT VALID/ },
  { label: 'a foreign key NOT VALID', setup: [account], op: op.createForeignKey('fk', 'account', 'account', ['id'], ['id'], { notValid: true }), message: /^op\.createForeignKey\("fk"\): SQLite has no NOT VALID/ },
  { label: 'a foreign key into a schema', setup: [account], op: op.createForeignKey('fk', 'account', 'users', ['id'], ['id'], { referentSchema: 'auth' }), message: /^op\.createForeignKey\("fk"\): SQLite has no schemas \(schema "auth"\)/ },
  { label: 'addColumn ifNotExists', setup: [account], op: op.addColumn('account', column('b', t.integer()), { ifNotExists: true }), message: /^op\.addColumn\("account"\): SQLite has no ADD COLUMN IF NOT EXISTS/ },
  { label: 'a comment with */', setup: [account], op: op.createTableComment('account', 'a */ b'), message: /^op\.createTableComment\("account"\): a comment cannot contain "\*\/" on SQLite/ },
  { label: 'execute without SQL for sqlite', op: op.execute({ postgresql: 'SELECT 1' }), message: /^op\.execute has no SQL for sqlite \(give sqlite: or default:\)/ },
  { label: 'a NUL in a row value', setup: [account], op: op.bulkInsert('account', [{ email: 'a\0b' }]), message: /^op\.bulkInsert\("account"\): SQLite scripts cannot contain the NUL character/ },
];

/** The op kinds that only appear here (SQLite has no way to render them). */
export const ERROR_OP_KINDS: readonly OpKind[] = ['createSchema', 'dropSchema', 'createEnum', 'dropEnum'];
