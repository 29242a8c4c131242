/**
 * Replaying migrations on the schema model, shared by the compiler (`./compile.ts`) and `check`
 * (`./check.ts`): each op is validated against the state it meets (`../state/validate.ts`), then applied;
 * a migration's `assumes` are applied before its upgrade; and when its downgrade is to be derived, each
 * op's inverse is computed from the state just before it (`./inverse.ts`).
 *
 * Problems go to an `onError` callback: the compiler throws the first (exit 1), `check` collects them all
 * and goes on, applying even an invalid op as well as the lenient model can.
 */
import { formatSite, type ErrorSite } from '../errors.js';
import type { LoadedMigration } from '../load/migrations.js';
import type { EnumType, Op } from '../ops/types.js';
import type { SchemaState } from '../state/schema.js';
import { validateOp } from '../state/validate.js';
import { MigrationError } from './errors.js';
import { invert, type DerivedDowngrade, type Inverse } from './inverse.js';

/** Where problems go. */
export type OnError = (err: MigrationError) => void;

/** The compiler's {@link OnError}: the first problem stops the compile. */
export const throwFirst: OnError = (err) => {
  throw err;
};

/** What the caller of {@link stepOp} does around the op. */
export interface StepHooks {
  /** Called with the state still before the op, when it is valid (to derive its inverse, to compile it). */
  readonly beforeApply?: () => void;
  /** Enum types made on first use that are released before the op (to drop them there). */
  readonly released?: (types: EnumType[]) => void;
}

/**
 * Validates `op` against `state` and applies it. `op.execute` with `effects`: each effect is validated
 * and applied in turn (its problems prefixed `effects[N] kind:`), the SQL itself changes nothing. Before
 * a `dropSchema`, the unused enum types made on first use in that schema are released (they would
 * otherwise be dropped at the end of the revision, after the schema they are in); before a `createEnum`,
 * an unused type made on first use under the same name is (it would be dropped after the new one is
 * made).
 * @returns whether the op was valid.
 */
export function stepOp(state: SchemaState, op: Op, site: ErrorSite, onError: OnError, hooks: StepHooks = {}): boolean {
  const beforeApply = hooks.beforeApply;
  if (op.kind === 'dropSchema') {
    const released = state.releaseUnusedEnums(op.name);
    if (released.length > 0) hooks.released?.(released);
  }
  if (op.kind === 'createEnum') {
    // A type made on first use whose last use is gone would be dropped at the end of the revision; a
    // type created under its name needs it gone now (CREATE TYPE would find it).
    const released = state.releaseUnusedEnum(op.name, op.schema);
    if (released) hooks.released?.([released]);
  }
  if (op.kind === 'execute' && op.effects) {
    beforeApply?.();
    let ok = true;
    op.effects.forEach((e, j) => {
      for (const issue of validateOp(state, e)) {
        ok = false;
        onError(new MigrationError(site, `effects[${j + 1}] ${e.kind}: ${issue.message}`, issue.kind));
      }
      state.apply(e, site);
    });
    return ok;
  }
  const issues = validateOp(state, op);
  for (const issue of issues) onError(new MigrationError(site, issue.message, issue.kind));
  if (issues.length === 0) beforeApply?.();
  state.apply(op, site);
  return issues.length === 0;
}

/** Applies a migration's `assumes` (validated: what it assumes must not exist yet). */
export function applyAssumes(state: SchemaState, lm: LoadedMigration, onError: OnError): void {
  const site: ErrorSite = { file: lm.file, revision: lm.migration.revision };
  (lm.migration.assumes ?? []).forEach((o, i) => {
    for (const issue of validateOp(state, o)) onError(new MigrationError(site, `assumes op ${i + 1} ${o.kind}: ${issue.message}`, issue.kind, { list: 'assumes', opIndex: i + 1 }));
    state.apply(o, site);
  });
}

/** `-- WARNING` text of a downgrade derived from a model that may be stale. */
export function staleWarning(state: SchemaState): string {
  return `derived from a schema model that may be stale since the raw SQL of ${formatSite(state.stale?.site ?? {})}`;
}

/**
 * Replays one migration's `assumes` and `upgrade` on `state` (the state before it; left after it, its
 * enum types not yet released). With `derive`, returns its derived downgrade, or undefined when some op
 * could not be inverted (reported to `onError`).
 */
export function replayRevision(
  state: SchemaState,
  lm: LoadedMigration,
  options: {
    derive: boolean;
    onError: OnError;
    /** Called for each valid upgrade op with the state still before it (`check` compiles it there). */
    beforeApply?: (op: Op, site: ErrorSite) => void;
    /** Called once the `assumes` are applied, before the first upgrade op (`check` lints there). */
    afterAssumes?: () => void;
  },
): DerivedDowngrade | undefined {
  const m = lm.migration;
  applyAssumes(state, lm, options.onError);
  options.afterAssumes?.();
  const inverses: Inverse[] = [];
  // Once an op is invalid or cannot be inverted there is no derived downgrade, but the inverses of the
  // other ops are still derived, so that every problem is reported.
  let derivable = options.derive;
  const stale = options.derive && state.stale ? [staleWarning(state)] : [];
  m.upgrade.forEach((o, i) => {
    const site: ErrorSite = { file: lm.file, revision: m.revision, list: 'upgrade', opIndex: i + 1, opKind: o.kind };
    const derive = (): void => {
      try {
        inverses.push(invert(o, state, site));
      } catch (err) {
        if (!(err instanceof MigrationError)) throw err;
        derivable = false;
        options.onError(err);
      }
    };
    const before = (): void => {
      options.beforeApply?.(o, site);
      if (options.derive) derive();
    };
    if (!stepOp(state, o, site, options.onError, { beforeApply: before })) derivable = false;
  });
  if (!derivable) return undefined;
  inverses.reverse();
  return { ops: inverses.flatMap((x) => x.ops), warnings: [...stale, ...inverses.flatMap((x) => x.warnings)] };
}
