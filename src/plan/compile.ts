/**
 * From a plan to a script — the one pipeline of `upgrade`, `downgrade` and `stamp`:
 * 0. with a step cache (`../cache/steps.ts`), look up each step compiled before; the model is then needed
 *    only up to the last step that is not cached (none: no replay at all);
 * 1. replay the history from base to the plan's start on the schema state model, validating every op
 *    against the state it meets and deriving the downgrades the plan needs (`./replay.ts`);
 * 2. compile each step's ops through the dialect, each op validated against and then applied to the
 *    state it meets (an upgrade step first applies its migration's `assumes`), the enum types released
 *    at the end of a revision dropped, raw SQL the model cannot follow marked with a comment line, and a
 *    derived downgrade step carrying its warnings; consecutive ops on one table that the dialect applies by
 *    rebuilding the table (`Dialect.rebuild`, SQLite) are collected into one run and compiled together,
 *    with the table before and after them (the step is then marked `rebuilt`);
 * 3. assemble the script.
 */
import { UserError, type ErrorSite } from '../errors.js';
import type { CompileContext, Dialect } from '../dialects/types.js';
import type { LoadedMigration } from '../load/migrations.js';
import { op as ops } from '../ops/builders.js';
import type { EnumType, Op } from '../ops/types.js';
import type { TemplateSet } from '../render/templates.js';
import type { Plan, RevisionMap } from '../revision/index.js';
import { assembleScript, type CompiledStep, type HeaderView, type ScriptComment, type ScriptOptions, type VersionTable } from '../script/assemble.js';
import type { Statement } from '../dialects/types.js';
import { SchemaState, type TableState } from '../state/schema.js';
import { MigrationError } from './errors.js';
import type { DerivedDowngrade } from './inverse.js';
import { applyAssumes, replayRevision, stepOp, throwFirst, type OnError } from './replay.js';
import { ancestorsInOrder } from './replay-order.js';
import { formatFinding, lintMigration, type Finding } from '../lint/index.js';
import type { CachedStep, StepCache } from '../cache/steps.js';

/** The header lines for lint findings: advice for the reviewer, never a change to the SQL. */
export function findingLines(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [];
  return [`Lint findings (${findings.length}; advice for review, the SQL is unchanged by them):`, ...findings.map((f) => `  ${f.severity}: ${formatFinding(f)}`)];
}

/** Everything one compile needs. */
export interface CompileInput {
  readonly dialect: Dialect;
  readonly templates: TemplateSet;
  readonly map: RevisionMap;
  /** Loaded migrations by revision id. */
  readonly migrations: ReadonlyMap<string, LoadedMigration>;
  readonly plan: Plan;
  readonly header: HeaderView;
  readonly versionTable: VersionTable;
  readonly transactionPerMigration: boolean;
  readonly namingConvention?: CompileContext['namingConvention'];
  /** How the script is wrapped (guard, settings, idempotent DDL, audit table); default: guard on only. */
  readonly script?: ScriptOptions;
  /**
   * Compiled steps of earlier runs (`../cache/steps.ts`): a cached step is neither rendered nor linted, and
   * the model is replayed only up to the last step that is not cached. Absent: everything is compiled.
   */
  readonly stepCache?: StepCache;
}

/** The compiled steps of a plan and the lint findings met on the way (see {@link compileSteps}). */
export interface CompiledPlan {
  readonly steps: readonly CompiledStep[];
  readonly findings: readonly Finding[];
}

/** The comment line after raw SQL that the schema model cannot follow. */
export const STALE_NOTE =
  "NOTE: sqlscribe's schema model may be stale from here on: it cannot see what the raw SQL above does to the schema (declare that with op.execute(sql, { effects: [...] }))";

/** The dialect's statements for one op, its errors as {@link MigrationError}s at `site`. */
export function compileOpAt(dialect: Dialect, o: Op, ctx: CompileContext, site: ErrorSite, onError: OnError = throwFirst): Statement[] {
  try {
    return dialect.compileOp(o, ctx);
  } catch (err) {
    if (err instanceof UserError && !(err instanceof MigrationError)) {
      onError(new MigrationError(site, err.message, 'dialect'));
      return [];
    }
    throw err;
  }
}

/**
 * A copy of a table of the model that later ops do not change (the model changes its maps and
 * constraint objects in place): what a table rebuild needs as the table before its run.
 */
export function snapshotTable(t: TableState): TableState {
  return {
    ...(t.schema !== undefined ? { schema: t.schema } : {}),
    name: t.name,
    columns: new Map(t.columns),
    ...(t.comment !== undefined ? { comment: t.comment } : {}),
    constraints: new Map([...t.constraints].map(([k, c]) => [k, { ...c }])),
    indexes: new Map([...t.indexes].map(([k, ix]) => [k, { ...ix }])),
    sequences: new Map(t.sequences),
  };
}

/** The compile context of a dialect over the model: an enum type exists when the model has it. */
export function compileContext(state: SchemaState, templates: TemplateSet, namingConvention: CompileContext['namingConvention'], idempotent = false): CompileContext {
  return {
    templates,
    ...(idempotent ? { idempotent: true } : {}),
    enumExists: (type) => state.enumExists(type),
    table: (name, schema) => state.table(name, schema),
    ...(namingConvention ? { namingConvention } : {}),
  };
}

/**
 * Compiles a plan into the script text.
 * @throws UserError / SiteError (a {@link MigrationError}) naming the file, revision and op for the first
 *   op that is invalid against the schema it meets, that the dialect refuses, or whose downgrade
 *   cannot be derived.
 */
export function compilePlan(input: CompileInput): string {
  const { steps, findings } = compileSteps(input);
  return assembleScript({
    dialect: input.dialect,
    templates: input.templates,
    header: { ...input.header, lines: [...input.header.lines, ...findingLines(findings)] },
    steps,
    versionTable: input.versionTable,
    transactionPerMigration: input.transactionPerMigration,
    start: input.plan.start,
    ...(input.script ? { options: input.script } : {}),
  });
}

/**
 * Compiles a plan's steps (steps 1 and 2 of the module comment) without laying out a script: what
 * {@link compilePlan} assembles into one script, and `--split` into one script per step.
 * @throws as {@link compilePlan}.
 */
export function compileSteps(input: CompileInput): CompiledPlan {
  const { plan, migrations, dialect } = input;
  const idempotent = input.script?.idempotent === true;
  const state = new SchemaState({ dialect: dialect.name, ...(input.namingConvention ? { namingConvention: input.namingConvention } : {}) });
  const ctx = compileContext(state, input.templates, input.namingConvention, idempotent);
  const migrationOf = (rev: string): LoadedMigration => {
    const m = migrations.get(rev);
    if (!m) throw new UserError(`internal: revision ${rev} has no loaded migration`);
    return m;
  };

  // 0. Steps compiled before (the step cache). The model is needed up to the last step that is not cached.
  // A stamp runs no op: it needs no model.
  const needsModel = plan.steps.some((s) => s.revision !== null);
  const replayOrder = needsModel ? ancestorsInOrder(input.map, plan.start) : [];
  const cache = input.stepCache;
  // Everything besides the migrations that changes a step's statements, warnings or findings.
  const keys = cache
    ? cache.keys(
        [dialect.name, JSON.stringify(input.namingConvention ?? null), input.templates.fingerprint(), idempotent ? 'idempotent' : 'plain'],
        replayOrder.map(migrationOf),
        plan.steps,
        migrationOf,
      )
    : [];
  const hits: (CachedStep | undefined)[] = plan.steps.map((_, i) => cache?.get(keys[i]));
  let lastMiss = -1;
  plan.steps.forEach((s, i) => {
    if (s.revision !== null && !hits[i]) lastMiss = i;
  });

  // 1. Replay up to the plan's start. Downgrade steps of migrations without a hand-written downgrade
  // need their inverse, derived from the state before each of their upgrade ops.
  const toDerive = new Set(
    plan.steps.filter((s, i) => i <= lastMiss && s.direction === 'downgrade' && s.revision && !migrationOf(s.revision).migration.downgrade).map((s) => s.revision!),
  );
  const derived = new Map<string, DerivedDowngrade>();
  for (const rev of lastMiss >= 0 ? replayOrder : []) {
    const d = replayRevision(state, migrationOf(rev), { derive: toDerive.has(rev), onError: throwFirst });
    if (d) derived.set(rev, d);
    state.releaseUnusedEnums();
  }

  // 2. Compile the steps, linting each step's ops against the state they meet. A cached step before the
  // last uncached one is only applied to the model; after it, the model is not needed any more.
  const findings: Finding[] = [];
  const fresh: { key: string | undefined; value: CachedStep }[] = [];
  const compileAt = (site: ErrorSite, fn: () => Statement[]): Statement[] => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof UserError && !(err instanceof MigrationError)) throw new MigrationError(site, err.message, 'dialect');
      throw err;
    }
  };
  const steps: CompiledStep[] = plan.steps.map((step, index) => {
    if (step.revision === null) return { step, message: '', statements: [], nonTransactional: false };
    const lm = migrationOf(step.revision);
    const m = lm.migration;
    const list = step.direction === 'downgrade' ? 'downgrade' : 'upgrade';
    const compiled = (value: CachedStep): CompiledStep => {
      findings.push(...value.findings);
      return {
        step,
        message: m.message,
        source: { file: lm.file, sha256: lm.sha256 },
        statements: value.statements,
        nonTransactional: m.transactional === false,
        ...(value.rebuilt ? { rebuilt: true } : {}),
        ...(value.warnings && value.warnings.length > 0 ? { warnings: value.warnings } : {}),
      };
    };
    const hit = hits[index];
    if (hit && index > lastMiss) return compiled(hit);
    const derivedDown = list === 'downgrade' && !m.downgrade ? derived.get(step.revision) : undefined;
    const opsToRun = list === 'upgrade' ? m.upgrade : (m.downgrade ?? derivedDown?.ops);
    if (!opsToRun) throw new Error(`downgrade of ${step.revision} was not derived: it is not an ancestor of the plan's start`);
    if (list === 'upgrade') applyAssumes(state, lm, throwFirst);
    if (hit) {
      // Cached, but a later step is not: only the model moves on (stepOp applies an op as the compile does).
      opsToRun.forEach((o, i) => stepOp(state, o, { file: lm.file, revision: m.revision, list, opIndex: i + 1, opKind: o.kind, ...(derivedDown ? { derived: true } : {}) }, throwFirst));
      state.releaseUnusedEnums();
      return compiled(hit);
    }
    const stepFindings = lintMigration({ ops: opsToRun, before: state, dialect: dialect.name, site: { file: lm.file, revision: m.revision }, list });
    const statements: (Statement | ScriptComment)[] = [];
    let rebuilt = false;
    const dropEnums = (types: readonly EnumType[]): Statement[] =>
      dialect.namedEnumTypes === false ? [] : types.flatMap((e) => dialect.compileOp(ops.dropEnum(e.name, e.schema ? { schema: e.schema } : {}), ctx));
    // Consecutive ops on one table that the dialect rebuilds (Dialect.rebuild) share one rebuild.
    let run: { table: string; schema?: string; ops: Op[]; before: TableState; site: ErrorSite } | undefined;
    const flush = (): void => {
      if (!run) return;
      const r = run;
      run = undefined;
      const after = state.table(r.table, r.schema);
      if (!after || !dialect.rebuild) return;
      const referencedBy = [...new Set(state.foreignKeysTo(after).map((f) => f.table.name))].filter((n) => n !== after.name);
      const rebuild = dialect.rebuild;
      statements.push(...compileAt(r.site, () => rebuild.compile({ table: r.table, ...(r.schema !== undefined ? { schema: r.schema } : {}), ops: r.ops, before: r.before, after, referencedBy }, ctx)));
      rebuilt = true;
    };
    opsToRun.forEach((o, i) => {
      const site: ErrorSite = { file: lm.file, revision: m.revision, list, opIndex: i + 1, opKind: o.kind, ...(derivedDown ? { derived: true } : {}) };
      const opaque = state.isOpaque(o);
      const target = dialect.rebuild?.tableOf(o, ctx, run);
      if (!target || (run && (run.table !== target.table || run.schema !== target.schema))) flush();
      stepOp(state, o, site, throwFirst, {
        beforeApply: () => {
          const out = compileOpAt(dialect, o, ctx, site);
          const table = target && state.table(target.table, target.schema);
          if (!target || !table) {
            statements.push(...out);
            return;
          }
          run ??= { table: target.table, ...(target.schema !== undefined ? { schema: target.schema } : {}), ops: [], before: snapshotTable(table), site };
          run.ops.push(o);
        },
        released: (types) => statements.push(...dropEnums(types)),
      });
      if (opaque) statements.push({ comment: STALE_NOTE });
    });
    flush();
    // An enum type created on first use goes with its last use (spec "Columns and types").
    statements.push(...dropEnums(state.releaseUnusedEnums()));
    const value: CachedStep = {
      statements,
      findings: stepFindings,
      ...(rebuilt ? { rebuilt: true } : {}),
      ...(derivedDown && derivedDown.warnings.length > 0 ? { warnings: derivedDown.warnings } : {}),
    };
    fresh.push({ key: keys[index], value });
    return compiled(value);
  });

  // Only a compile that succeeded is stored.
  for (const { key, value } of fresh) cache?.put(key, value);
  return { steps, findings };
}
