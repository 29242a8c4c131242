/**
 * From a plan to a script: replays the history from base to the plan's start on the schema state
 * model (deriving the downgrades that are needed on the way), then compiles each step's ops through
 * the dialect — each op against the state it meets — and assembles the script.
 */
import { SiteError, UserError, type ErrorSite } from '../errors.js';
import type { CompileContext, Dialect, Statement } from '../dialects/types.js';
import type { LoadedMigration } from '../load/migrations.js';
import { op as ops } from '../ops/builders.js';
import type { Op } from '../ops/types.js';
import type { TemplateSet } from '../render/templates.js';
import type { Plan, RevisionMap } from '../revision/index.js';
import { assembleScript, type CompiledStep, type HeaderView, type VersionTable } from '../script/assemble.js';
import { SchemaState } from '../state/schema.js';
import { deriveDowngrade } from './inverse.js';
import { ancestorsInOrder } from './replay-order.js';

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
}

/**
 * Compiles a plan into the script text.
 * @throws UserError / SiteError naming the file, revision and op for anything the dialect or the
 *   downgrade derivation refuses.
 */
export function compilePlan(input: CompileInput): string {
  const { plan, migrations, dialect } = input;
  const state = new SchemaState();
  const ctx: CompileContext = {
    templates: input.templates,
    enumExists: (type) => state.enumExists(type),
    ...(input.namingConvention ? { namingConvention: input.namingConvention } : {}),
  };
  const migrationOf = (rev: string): LoadedMigration => {
    const m = migrations.get(rev);
    if (!m) throw new UserError(`internal: revision ${rev} has no loaded migration`);
    return m;
  };

  // Downgrade steps of migrations without a hand-written downgrade need their inverse, derived from the
  // state before each of their upgrade ops: collect them while replaying up to the plan's start.
  const toDerive = new Set(plan.steps.filter((s) => s.direction === 'downgrade' && s.revision && !migrationOf(s.revision).migration.downgrade).map((s) => s.revision!));
  const derived = new Map<string, Op[]>();
  for (const rev of ancestorsInOrder(input.map, plan.start)) {
    const lm = migrationOf(rev);
    if (toDerive.has(rev)) derived.set(rev, deriveDowngrade(lm.migration.upgrade, state, { file: lm.file, revision: rev }));
    else for (const o of lm.migration.upgrade) state.apply(o);
    state.releaseUnusedEnums();
  }

  const steps: CompiledStep[] = plan.steps.map((step) => {
    if (step.revision === null) return { step, message: '', statements: [], nonTransactional: false };
    const lm = migrationOf(step.revision);
    const m = lm.migration;
    const list = step.direction === 'downgrade' ? 'downgrade' : 'upgrade';
    const opsToRun = list === 'upgrade' ? m.upgrade : (m.downgrade ?? derived.get(step.revision));
    if (!opsToRun) throw new Error(`downgrade of ${step.revision} was not derived: it is not an ancestor of the plan's start`);
    const statements: Statement[] = [];
    opsToRun.forEach((o, i) => {
      const site: ErrorSite = { file: lm.file, revision: m.revision, list, opIndex: i + 1, opKind: o.kind, ...(list === 'downgrade' && !m.downgrade ? { derived: true } : {}) };
      try {
        statements.push(...dialect.compileOp(o, ctx));
      } catch (err) {
        if (err instanceof UserError && !(err instanceof SiteError)) throw new SiteError(site, err.message);
        throw err;
      }
      state.apply(o);
    });
    // An enum type created on first use goes with its last use (spec "Columns and types").
    for (const e of state.releaseUnusedEnums()) statements.push(...dialect.compileOp(ops.dropEnum(e.name, e.schema ? { schema: e.schema } : {}), ctx));
    return { step, message: m.message, statements, nonTransactional: m.transactional === false };
  });

  return assembleScript({
    dialect,
    templates: input.templates,
    header: input.header,
    steps,
    versionTable: input.versionTable,
    transactionPerMigration: input.transactionPerMigration,
  });
}
