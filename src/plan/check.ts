/**
 * `sqlscribe check`: every revision of the history replayed on the schema model against the state its
 * own ancestors build — what `sqlscribe upgrade <revision>` compiles — so every path of the graph is
 * covered (for each head, base → head through its ancestors). Every op is validated and compiled
 * through the dialect; every downgrade (hand-written, or derived when `downgrade` is left out) is derived,
 * validated and compiled against the state after its upgrade. Every problem is collected, not just the
 * first, and the walk goes on.
 *
 * Cost: one walk of the graph. The model follows the graph depth first along each revision's first
 * parent and is rolled back through its journal at branch points (no copies); a revision with more than
 * one parent (a merge point, or `dependsOn`) first replays the ancestors its first parent lacks, so a
 * conflict between merged branches (a table both create) is found there.
 */
import type { NamingConvention, Dialect } from '../dialects/types.js';
import type { LoadedMigration } from '../load/migrations.js';
import type { TemplateSet } from '../render/templates.js';
import type { RevisionMap } from '../revision/index.js';
import type { ErrorSite } from '../errors.js';
import { SchemaState } from '../state/schema.js';
import { compileContext, compileOpAt } from './compile.js';
import { MigrationError, type ProblemKind } from './errors.js';
import { replayRevision, stepOp, type OnError } from './replay.js';

/** What `check` needs. */
export interface CheckInput {
  readonly dialect: Dialect;
  readonly templates: TemplateSet;
  readonly map: RevisionMap;
  /** Loaded migrations by revision id. */
  readonly migrations: ReadonlyMap<string, LoadedMigration>;
  readonly namingConvention?: NamingConvention;
  /**
   * The lint hook (`src/lint/`, `lintMigration`): called once per revision with the state just before
   * its first upgrade op (what its ancestors built, plus its `assumes`). It must leave the state as it
   * found it: a rule that needs the state between ops can `checkpoint()`, `apply` ops, then
   * `rollback(mark)`. Its findings are returned in {@link CheckReport.findings}, in walk order.
   */
  readonly lint?: (migration: LoadedMigration, before: SchemaState) => readonly unknown[];
}

/** One error, as `check --json` prints it. */
export interface CheckProblem {
  readonly file: string | null;
  readonly revision: string | null;
  /** The op list: `upgrade`, `downgrade` (hand-written or derived), `assumes`; null for the migration as a whole. */
  readonly list: 'upgrade' | 'downgrade' | 'assumes' | null;
  /** 1-based position of the op in its list. */
  readonly op: number | null;
  readonly kind: ProblemKind;
  /** The full message, as `upgrade`/`downgrade` would print it. */
  readonly message: string;
}

/** What `check` found. */
export interface CheckReport {
  /** Each once, by revision in topological order, then as found (a revision's upgrade before its downgrade). */
  readonly errors: CheckProblem[];
  readonly findings: unknown[];
}

/** A {@link MigrationError} as a {@link CheckProblem}. */
export function problemOf(err: MigrationError): CheckProblem {
  const s: ErrorSite = err.site;
  return {
    file: s.file ?? null,
    revision: s.revision ?? null,
    list: err.position?.list ?? s.list ?? null,
    op: err.position?.opIndex ?? s.opIndex ?? null,
    kind: err.kind,
    message: err.message,
  };
}

/**
 * Checks the whole history (module comment).
 * @throws only for defects of sqlscribe; every problem of the migrations is in the report.
 */
export function checkHistory(input: CheckInput): CheckReport {
  const { map, dialect } = input;
  const state = new SchemaState({ dialect: dialect.name, ...(input.namingConvention ? { namingConvention: input.namingConvention } : {}) });
  const ctx = compileContext(state, input.templates, input.namingConvention);
  const errors: CheckProblem[] = [];
  const findings: unknown[] = [];
  const seen = new Set<string>();
  const onError: OnError = (err) => {
    if (seen.has(err.message)) return;
    seen.add(err.message);
    errors.push(problemOf(err));
  };
  const migrationOf = (rev: string): LoadedMigration => {
    const lm = input.migrations.get(rev);
    if (!lm) throw new Error(`internal: revision ${rev} has no loaded migration`);
    return lm;
  };

  const topo = new Map(map.topological.map((r, i) => [r, i] as const));
  const parentsOf = (rev: string): readonly string[] => {
    const node = map.get(rev);
    return node.resolvedDependsOn.length === 0 ? node.down : [...node.down, ...node.resolvedDependsOn];
  };
  // The walk's tree: each revision under its first parent (normalizedDown: down, then the dependencies
  // that no down-ancestor has), children in upgrade order.
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const rev of map.topological) {
    const first = map.get(rev).normalizedDown[0];
    if (first === undefined) roots.push(rev);
    else (children.get(first) ?? children.set(first, []).get(first)!).push(rev);
  }

  const applied = new Set<string>();
  const appliedOrder: string[] = [];
  const apply = (rev: string, own: boolean): void => {
    const lm = migrationOf(rev);
    const m = lm.migration;
    const lint = input.lint;
    const derived = replayRevision(state, lm, {
      derive: own && !m.downgrade,
      onError,
      ...(own ? { beforeApply: (o, site) => void compileOpAt(dialect, o, ctx, site, onError) } : {}),
      ...(own && lint ? { afterAssumes: () => void findings.push(...lint(lm, state)) } : {}),
    });
    state.releaseUnusedEnums();
    if (own) {
      const down = m.downgrade ?? derived?.ops;
      if (down) {
        const mark = state.checkpoint();
        down.forEach((o, i) => {
          const site: ErrorSite = { file: lm.file, revision: rev, list: 'downgrade', opIndex: i + 1, opKind: o.kind, ...(m.downgrade ? {} : { derived: true }) };
          stepOp(state, o, site, onError, { beforeApply: () => void compileOpAt(dialect, o, ctx, site, onError) });
        });
        state.rollback(mark);
      }
    }
    applied.add(rev);
    appliedOrder.push(rev);
  };
  /** Ancestors of `rev` not applied yet, in upgrade order. */
  const missing = (rev: string): string[] => {
    const found = new Set<string>();
    const todo = [...parentsOf(rev)];
    while (todo.length > 0) {
      const r = todo.pop()!;
      if (applied.has(r) || found.has(r)) continue;
      found.add(r);
      todo.push(...parentsOf(r));
    }
    return [...found].sort((a, b) => topo.get(a)! - topo.get(b)!);
  };

  type Frame = { rev: string; mark: number; appliedLength: number; next: number };
  for (const root of roots) {
    const stack: Frame[] = [];
    const enter = (rev: string): void => {
      const frame: Frame = { rev, mark: state.checkpoint(), appliedLength: appliedOrder.length, next: 0 };
      for (const r of missing(rev)) apply(r, false);
      apply(rev, true);
      stack.push(frame);
    };
    enter(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const kids = children.get(frame.rev) ?? [];
      if (frame.next < kids.length) {
        enter(kids[frame.next++]!);
        continue;
      }
      stack.pop();
      state.rollback(frame.mark);
      while (appliedOrder.length > frame.appliedLength) applied.delete(appliedOrder.pop()!);
    }
  }
  // Report in upgrade order of the revisions (a merge's replay can find an ancestor's problem first).
  const rank = (e: CheckProblem) => (e.revision === null ? -1 : (topo.get(e.revision) ?? -1));
  errors.sort((a, b) => rank(a) - rank(b));
  return { errors, findings };
}
