/**
 * Helpers of the lint tests: a schema state with the tables that "existed before" a migration, and a
 * compact form of findings (op, rule, message) to compare exactly.
 */
import type { DialectName } from '../../src/dialects/types.js';
import { lintMigration, type Finding, type OpList } from '../../src/lint/index.js';
import { column, op, t } from '../../src/ops/builders.js';
import type { Op } from '../../src/ops/types.js';
import { SchemaState } from '../../src/state/schema.js';

export const SITE = { file: 'migrations/abc123_change.ts', revision: 'abc123' } as const;

/** A state with `ops` applied (the history before the migration under test). */
export function stateOf(ops: readonly Op[]): SchemaState {
  const s = new SchemaState();
  for (const o of ops) s.apply(o);
  return s;
}

/** `users`, as the migrations before the one under test left it: a table with rows, used by running code. */
export const USERS: readonly Op[] = [
  op.createTable('users', [
    column('id', t.integer(), { primaryKey: true }),
    column('email', t.string(50)),
    column('name', t.string(50)),
    column('bio', t.text()),
    column('amount', t.numeric(10, 2)),
    column('created_at', t.dateTime()),
    column('tags', t.array(t.string(10))),
    column('status', t.enum(['active', 'banned', 'gone'], { name: 'user_status' })),
  ]),
];

/** The findings of `ops` linted against `existing` (default: {@link USERS}). */
export function lint(ops: readonly Op[], options: { existing?: readonly Op[]; dialect?: DialectName; list?: OpList } = {}): Finding[] {
  return lintMigration({
    ops,
    before: stateOf(options.existing ?? USERS),
    dialect: options.dialect ?? 'postgresql',
    site: SITE,
    ...(options.list ? { list: options.list } : {}),
  });
}

/** Findings as `[op, rule, message]`, the form most tests compare. */
export function brief(findings: readonly Finding[]): [number, string, string][] {
  return findings.map((f) => [f.op, f.rule, f.message]);
}

/** `[op, rule]` pairs: for tests about which ops trigger, not about the wording. */
export function rulesOf(findings: readonly Finding[]): [number, string][] {
  return findings.map((f) => [f.op, f.rule]);
}
