/** Shared builders for the revision tests. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { UserError } from '../../src/errors.js';
import type { Plan, RevisionInput } from '../../src/revision/index.js';

/** A revision input; `file` is `migrations/<id>.ts`. */
export function rev(
  revision: string,
  down: readonly string[] = [],
  opts: { deps?: readonly string[]; labels?: readonly string[]; message?: string } = {},
): RevisionInput {
  return {
    revision,
    down,
    dependsOn: opts.deps ?? [],
    branchLabels: opts.labels ?? [],
    message: opts.message ?? `Revision ${revision}`,
    file: `migrations/${revision}.ts`,
  };
}

/**
 * Alembic's research graph (research/alembic-offline.md §2.1): branch point bbb2, merge point eee5, a
 * second root xxx1 labelled 'other', and xxx2 (down xxx1) depending on aaa1 across the two roots.
 */
export const RESEARCH_GRAPH: readonly RevisionInput[] = [
  rev('aaa1'),
  rev('bbb2', ['aaa1']),
  rev('ccc3', ['bbb2']),
  rev('ddd4', ['bbb2']),
  rev('eee5', ['ccc3', 'ddd4']),
  rev('xxx1', [], { labels: ['other'] }),
  rev('xxx2', ['xxx1'], { deps: ['aaa1'] }),
];

/**
 * A plan's steps, one line each: `<direction> <from> -> <to>[ create]: <ops>` with `+x` insert, `-x` delete,
 * `a>b` update — compact but exact (the step's revision is checked to be the migrated one).
 */
export function lines(plan: Plan): string[] {
  return plan.steps.map((s) => {
    const expected = s.direction === 'upgrade' ? s.to[0] : s.direction === 'downgrade' ? s.from[0] : null;
    assert.equal(s.revision, expected ?? null, 'Step.revision is the migration that runs');
    const ops = s.versionOps.map((o) =>
      o.op === 'insert' ? `+${o.revision}` : o.op === 'delete' ? `-${o.revision}` : `${o.from}>${o.to}`,
    );
    return `${s.direction} ${s.from.join(',')} -> ${s.to.join(',')}${s.createVersionTable ? ' create' : ''}: ${ops.join(' ')}`;
  });
}

/** Asserts that `fn` throws a UserError with exactly this message. */
export function throwsUser(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
    assert.equal(e.message, message);
    return true;
  });
}

/** A recorded Alembic run (see test/fixtures/alembic/record.py). */
export interface Fixture {
  readonly alembic: string;
  readonly revisions: RevisionInput[];
  readonly cases: readonly FixtureCase[];
  readonly listings: readonly { readonly argv: readonly string[]; readonly stdout: string }[];
}

export type FixtureCase = { readonly command: 'upgrade' | 'downgrade' | 'stamp'; readonly arg: string } & (
  | {
      readonly ok: true;
      readonly dropVersionTable: boolean;
      readonly steps: readonly {
        readonly name: 'upgrade' | 'downgrade' | 'stamp_revision';
        readonly from: readonly string[];
        readonly to: readonly string[];
        readonly createVersionTable: boolean;
        readonly ran: string | null;
        readonly versionOps: readonly Record<string, string>[];
      }[];
    }
  | { readonly ok: false; readonly error: string }
);

/** Loads `test/fixtures/alembic/<name>.json` (tests run from dist/test/revision). */
export function fixture(name: string): Fixture {
  const url = new URL(`../../../test/fixtures/alembic/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Fixture;
}
