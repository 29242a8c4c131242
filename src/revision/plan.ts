/**
 * Step planning and version-table bookkeeping for `upgrade`, `downgrade` and `stamp` compiled offline:
 * Alembic's `command.upgrade/downgrade/stamp` with `--sql`, `MigrationContext.get_current_heads` (offline) and
 * `run_migrations`, `ScriptDirectory._upgrade_revs/_downgrade_revs/_stamp_revs`,
 * `RevisionMap._collect_upgrade_revisions/_collect_downgrade_revisions/_topological_sort`, and
 * `HeadMaintainer.update_to_step` with `RevisionStep`/`StampStep` (`alembic/runtime/migration.py`).
 */
import { UserError } from '../errors.js';
import { reach, type RevisionMap } from './graph.js';
import {
  BASE,
  MultipleHeadsError,
  filterForLineage,
  getRevision,
  getRevisions,
  names,
  parseDowngradeTarget,
  parseRelative,
  parseUpgradeTarget,
  resolveBranch,
} from './resolve.js';

/** One `alembic_version` statement (Alembic `HeadMaintainer._insert_version/_update_version/_delete_version`). */
export type VersionOp =
  | { readonly op: 'insert'; readonly revision: string }
  | { readonly op: 'update'; readonly from: string; readonly to: string }
  | { readonly op: 'delete'; readonly revision: string };

/** One migration step of a script, in output order. */
export interface Step {
  readonly direction: 'upgrade' | 'downgrade' | 'stamp';
  /** The migration whose upgrade or downgrade ops run; `null` for a stamp step. */
  readonly revision: string | null;
  /**
   * The two sides of Alembic's `-- Running <direction> <from> -> <to>` comment (`MigrationStep.short_log`:
   * `down` revisions only, never `dependsOn`; the caller joins each side with `', '`). Stamp steps are
   * written `stamp_revision` by Alembic.
   */
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** `CREATE TABLE alembic_version` comes first: the version table holds no row before this step. */
  readonly createVersionTable: boolean;
  /** The bookkeeping statements after the step's ops, in order. */
  readonly versionOps: readonly VersionOp[];
}

/** What a script does, and what it expects of the version table. */
export interface Plan {
  readonly command: 'upgrade' | 'downgrade' | 'stamp';
  /** `FROM:TO` as resolved from the argument, `FROM` defaulting to `base`. */
  readonly range: string;
  /** Rows the version table must hold before the script runs (empty: no table or no rows), in input order. */
  readonly start: readonly string[];
  /** Rows after it, in input order. */
  readonly end: readonly string[];
  readonly steps: readonly Step[];
}

/**
 * Plans `sqlscribe upgrade [FROM:]TO` as `alembic upgrade [FROM:]TO --sql` does: without `FROM` the script
 * starts from base (and creates the version table). `TO` is any target (`head`, `heads`, an id or prefix,
 * `branch@head`, `+N` relative to `FROM`, `REV+N`, `head-1`, ...; a comma-separated list for several). A `TO`
 * at or below `FROM` plans no steps, as Alembic does (`iterate_revisions(..., implicit_base=True)`). Step
 * order is Alembic's (see {@link alembicOrder}); throws {@link UserError} for unknown, ambiguous or
 * overshooting targets. `FROM` is described at {@link resolveStart}.
 */
export function planUpgrade(map: RevisionMap, target: string): Plan {
  const [from, to] = splitRange(target, 'upgrade');
  const start = resolveStart(map, from);
  const { needs, targets } = collectUpgrade(map, to, start, {
    implicitBase: true,
    inclusive: false,
    assertRelativeLength: true,
  });
  const order = alembicOrder(map, needs, targets).reverse();
  const table = new VersionTable(map, start);
  const steps = order.map((i) => {
    const rev = map.at(i);
    return table.step('upgrade', rev.revision, rev.down, [rev.revision], () => table.upgrade(i));
  });
  return plan('upgrade', from, to, start, table, steps);
}

/**
 * The revisions `upgrade base:<TO>` applies, in order, as ids: the revisions of {@link planUpgrade}'s steps,
 * without planning the version table's statements (what the schema model replays before a script's
 * first step, `../plan/replay-order.ts`). Same targets and errors as {@link planUpgrade} from base.
 */
export function upgradeOrder(map: RevisionMap, to: string): string[] {
  const { needs, targets } = collectUpgrade(map, to, [], { implicitBase: true, inclusive: false, assertRelativeLength: true });
  const order = alembicOrder(map, needs, targets);
  const out = new Array<string>(order.length);
  for (let k = 0, i = order.length - 1; i >= 0; i--, k++) out[k] = map.idAt(order[i]!);
  return out;
}

/**
 * Plans `sqlscribe downgrade FROM:TO` as `alembic downgrade FROM:TO --sql` does (a range is required offline).
 * `TO` may be `base`, `branch@base`, an id, `-N` (from the single start head), `branch@-N`, `REV-N`, or a
 * comma-separated list of these. Throws {@link UserError} when `TO` is not below `FROM` ("Destination X is not
 * a valid downgrade target from current head(s)") and without a range.
 */
export function planDowngrade(map: RevisionMap, target: string): Plan {
  if (!target.includes(':')) {
    throw new UserError(
      "downgrade needs a range FROM:TO when compiling offline, e.g. 'downgrade head:-1' or 'downgrade <rev>:base'",
    );
  }
  const [from, to] = splitRange(target, 'downgrade');
  const start = resolveStart(map, from);
  const drop = collectDowngrade(map, start, to);
  const table = new VersionTable(map, start, true);
  const steps = alembicOrder(map, drop, start).map((i) => {
    const rev = map.at(i);
    return table.step('downgrade', rev.revision, [rev.revision], rev.down, () => table.downgrade(i));
  });
  return plan('downgrade', from, to, start, table, steps);
}

/**
 * Plans `sqlscribe stamp [FROM:]TO` (version-table statements only) as `alembic stamp [FROM:]TO --sql`
 * does (`ScriptDirectory._stamp_revs`, `StampStep`): `stamp heads` from nothing inserts one row per head,
 * `stamp X:base` deletes, `stamp base` with no start plans nothing, and a target on a branch not in the
 * table gets a row of its own.
 */
export function planStamp(map: RevisionMap, target: string): Plan {
  const [from, to] = splitRange(target, 'stamp');
  const start = resolveStart(map, from);
  const table = new VersionTable(map, start);
  const steps = stampSteps(map, to, start).map((s) =>
    table.step('stamp', null, ids(map, s.from), ids(map, s.to), () => table.stamp(s)),
  );
  return plan('stamp', from, to, start, table, steps);
}

function plan(
  command: Plan['command'],
  from: string,
  to: string,
  start: readonly number[],
  table: VersionTable,
  steps: Step[],
): Plan {
  const first = [...start].sort((a, b) => a - b);
  return { command, range: `${from}:${to}`, start: ids(table.map, first), end: table.rows(), steps };
}

function ids(map: RevisionMap, revs: readonly number[]): string[] {
  return revs.map((r) => map.idAt(r));
}

/**
 * `fn` for each item of a comma-separated list of revisions (an extension: Alembic takes one revision on
 * each side of a range); a multiple-heads error names the item as typed (Alembic
 * `_catch_revision_errors(end=...)`).
 */
function eachItem<T>(list: string, fn: (item: string) => T[]): T[] {
  const items = list.split(',').map((i) => i.trim());
  if (items.includes('')) {
    throw new UserError(`'${list}' has an empty item — separate revisions with single commas, e.g. 'a1b2,c3d4'`);
  }
  return [
    ...new Set(
      items.flatMap((item) => {
        try {
          return fn(item);
        } catch (e) {
          throw e instanceof MultipleHeadsError ? new MultipleHeadsError(e.heads, item) : e;
        }
      }),
    ),
  ];
}

/** `FROM:TO` → `[FROM, TO]`, `TO` → `['base', TO]` (Alembic `command.upgrade`: `revision.split(":", 2)`). */
function splitRange(target: string, command: string): [string, string] {
  const parts = target.trim().split(':');
  if (parts.length > 2) {
    throw new UserError(`'${target}' has more than one ':' — a range is FROM:TO, e.g. '${command} base:head'`);
  }
  const [from, to] = parts.length === 2 ? [parts[0]!, parts[1]!] : ['base', parts[0]!];
  if (from === '' || to === '') {
    throw new UserError(`'${target}' is missing a revision on one side of ':' — e.g. '${command} base:head'`);
  }
  return [from, to];
}

/**
 * The version rows the script starts from: Alembic's offline `MigrationContext.get_current_heads`, which
 * resolves `FROM` with `get_revision` (`base` → no rows). Deliberate extensions, all of which Alembic refuses
 * offline although its online mode plans from such rows: a list `a1b2,c3d4`, `heads` / `branch@heads`
 * (several rows), `REV-N` / `head-1` / `branch@head-1` (walked like a target), and `branch@base` (no rows;
 * Alembic crashes).
 */
function resolveStart(map: RevisionMap, list: string): number[] {
  return eachItem(list, (spec) => startRows(map, spec));
}

function startRows(map: RevisionMap, spec: string): number[] {
  const at = spec.indexOf('@');
  const id = at < 0 ? spec : spec.slice(at + 1);
  if (id === 'base') return [];
  if (id === 'heads') return getRevisions(map, spec);
  const rel = parseRelative(spec);
  if (rel && rel.symbol === undefined) {
    throw new UserError(
      `'${spec}' as the start of a range has nothing to be relative to — name the revision the database is at, ` +
        `e.g. 'head${rel.text}:head' or '<rev>:${rel.text}'`,
    );
  }
  const revs = rel ? parseUpgradeTarget(map, [], spec, true) : [getRevision(map, spec)];
  return revs.filter((r) => r !== BASE);
}

interface CollectOptions {
  readonly implicitBase: boolean;
  readonly inclusive: boolean;
  readonly assertRelativeLength: boolean;
  /** History's lower bound as typed, for Alembic's `branch@...` narrowing of the targets. */
  readonly lowerSpec?: string;
}

/**
 * Alembic `_collect_upgrade_revisions`: the revisions needed for `upper` that `current` (and its ancestors)
 * lack, plus the targets (the heads of the topological sort).
 * `implicitBase: false` (history) also requires `current` below the targets and keeps only its descendants.
 */
export function collectUpgrade(
  map: RevisionMap,
  upper: string,
  current: readonly number[],
  opts: CollectOptions,
): { needs: Uint8Array; targets: number[] } {
  let targets = eachItem(upper, (item) => parseUpgradeTarget(map, current, item, opts.assertRelativeLength)).filter(
    (t) => t !== BASE,
  );
  if (opts.lowerSpec?.includes('@')) {
    let branch = opts.lowerSpec.slice(0, opts.lowerSpec.indexOf('@'));
    const rev = getRevision(map, branch);
    if (rev !== BASE && map.at(rev).revision === branch && map.at(rev).labels.length === 1) {
      branch = map.at(rev).labels[0]!; // a revision standing for its branch
    }
    targets = targets.filter((t) => map.at(t).labels.includes(branch));
  }
  checkOverlap(map, targets);
  let needs: Uint8Array;
  if (opts.implicitBase) {
    // What `current` has is closed under ancestors, so the walk from the targets stops where it begins:
    // one walk of the history for `current`, and one of the new revisions only (upgrade head-1:head).
    const have = map.applied(current);
    needs = current.length === 0 ? map.applied(targets) : reach(targets, map.normDownIdx, undefined, have);
  } else {
    needs = reach(targets, map.normDownIdx);
    if (current.some((c) => !needs[c])) throw new RangeNotAncestor();
    const have = reach(current, map.normDownIdx);
    for (let i = 0; i < needs.length; i++) if (have[i]) needs[i] = 0;
  }
  if (opts.inclusive) current.forEach((c) => (needs[c] = 1));
  if (current.length > 0 && !opts.implicitBase) {
    const above = reach(current, map.nextIdx);
    for (let i = 0; i < needs.length; i++) if (!above[i]) needs[i] = 0;
  }
  return { needs, targets };
}

/** Alembic `RangeNotAncestorError`; the caller words it for its command. */
export class RangeNotAncestor extends Error {}

/** Alembic `_get_ancestor_nodes(targets, check=True)`: no target may be an ancestor of another. */
function checkOverlap(map: RevisionMap, targets: readonly number[]): void {
  if (targets.length < 2) return;
  const below = reach(
    targets.flatMap((t) => map.normDownIdx[t]!),
    map.normDownIdx,
  );
  if (!targets.some((t) => below[t])) return;
  for (const high of targets) {
    const under = reach(map.normDownIdx[high]!, map.normDownIdx);
    const low = targets.filter((t) => t !== high && under[t]);
    if (low.length > 0) {
      throw new UserError(
        `Requested revision ${map.at(high).revision} overlaps with other requested revisions ${names(map, low)} — ` +
          `${names(map, low)} ${low.length > 1 ? 'are' : 'is'} below it; name ${map.at(high).revision} alone`,
      );
    }
  }
}

/**
 * Alembic `_collect_downgrade_revisions`: the revisions to downgrade from `heads` to `target` — descendants
 * (through `dependsOn` too) of the target's children (or of every base), that are applied below `heads`.
 * A list of targets drops what any of them drops, but keeps every target and its ancestors.
 */
export function collectDowngrade(map: RevisionMap, heads: readonly number[], targets: string): Uint8Array {
  const applied = reach(heads, map.normDownIdx);
  const drop = new Uint8Array(map.size);
  const dests = eachItem(targets, (target) => [{ target, ...parseDowngradeTarget(map, heads, target, true) }]);
  for (const { target, label, rev } of dests) {
    let roots = rev === BASE ? map.revisions.filter((r) => r.isBase).map((r) => r.order) : map.nextIdx[rev]!;
    if (label && roots.length > 1) {
      const branch = reach([resolveBranch(map, label)], map.downIdx);
      roots = roots.filter((r) => branch[r]);
      if (roots.length === 0) {
        throw new UserError(
          `Not a valid downgrade target from current heads: '${target}' leaves nothing of branch '${label}' ` +
            `to drop — name a revision on that branch`,
        );
      }
    }
    const above = reach(roots, map.allNextIdx);
    let any = false;
    for (let i = 0; i < above.length; i++) {
      if (above[i] && applied[i]) drop[i] = 1;
      any ||= above[i] === 1 && applied[i] === 1;
    }
    if (rev !== BASE && !any && !heads.includes(rev)) {
      throw new UserError(
        `Destination ${target} is not a valid downgrade target from current head(s) — it is not below ` +
          `${names(map, heads) || 'base'}; name a revision below the start, or 'base' (see 'sqlscribe history')`,
      );
    }
  }
  const keep = reach(
    dests.map((d) => d.rev).filter((r) => r !== BASE),
    map.normDownIdx,
  );
  for (let i = 0; i < drop.length; i++) if (keep[i]) drop[i] = 0;
  return drop;
}

/**
 * Alembic `RevisionMap._topological_sort`, top-down: the order `iterate_revisions` yields `todo`
 * (downgrade order; upgrades run it reversed). Alembic keeps a list of branch "slots", starting with `heads`
 * in input order, and walks the current slot down, emitting a revision once no other slot still has it as an
 * ancestor, else switching to the first slot that does; a revision's first parent continues its slot, further
 * parents open new slots at the end; a finished slot hands over to the slot before it. The sibling order
 * therefore follows input order and `down` order, never file names as such.
 *
 * Alembic recomputes ancestor sets for this. Here "another slot still has it as an ancestor" is a count of
 * pending children (every pending revision is below some slot), and only when it is non-zero is the covering
 * slot searched for, walking up the pending revisions (see {@link UpWalker}); that walk stops at once when it
 * meets the first slot of all. The sort is linear for linear histories and, otherwise, proportional to the
 * branches it has to look across. `todo` is consumed (cleared).
 */
export function alembicOrder(map: RevisionMap, todo: Uint8Array, heads: readonly number[]): number[] {
  const pending = new Int32Array(map.size);
  const down = map.normDownIdx;
  for (let i = 0; i < todo.length; i++) {
    if (!todo[i]) continue;
    const ds = down[i]!;
    for (let k = 0; k < ds.length; k++) {
      const d = ds[k]!;
      if (todo[d]) pending[d] = pending[d]! + 1;
    }
  }
  const slots = [...new Set(heads.filter((h) => todo[h]))].sort((a, b) => a - b);
  const inSlot = new Uint8Array(map.size);
  slots.forEach((s) => (inSlot[s] = 1));
  const pendingAbove = new UpWalker(map.allNextIdx, (i) => todo[i] === 1, true);
  const out: number[] = [];
  let idx = 0;
  while (slots.length > 0) {
    const rev = slots[idx]!;
    if (pending[rev]! > 0) {
      // Another slot is still above `rev`: continue with the first such slot (Alembic: `candidate in ancestors`).
      // The first slot of all is found without walking the whole region above `rev`.
      const first = idx === 0 ? 1 : 0;
      const cover = pendingAbove.any(rev, (up) => up === slots[first])
        ? first
        : slots.findIndex((s, j) => j !== idx && pendingAbove.visited(s));
      if (cover >= 0) {
        idx = cover;
        continue;
      }
    }
    out.push(rev);
    todo[rev] = 0;
    inSlot[rev] = 0;
    // The parents still to do continue this slot (the first) or open new ones; no arrays for the usual
    // single parent.
    const ds = down[rev]!;
    let opened = 0;
    for (let k = 0; k < ds.length; k++) {
      const d = ds[k]!;
      if (!todo[d]) continue;
      pending[d] = pending[d]! - 1;
      if (inSlot[d]) continue;
      inSlot[d] = 1;
      if (opened++ === 0) slots[idx] = d;
      else slots.push(d);
    }
    if (opened === 0) {
      slots.splice(idx, 1);
      idx = Math.max(idx - 1, 0);
    }
  }
  if (todo.indexOf(1) >= 0) {
    throw new UserError(
      `Cannot order revisions ${names(map, [...todo.keys()].filter((i) => todo[i]))}: they are not below the ` +
        `requested targets along the same branches — widen the range, e.g. 'base:heads'`,
    );
  }
  return out;
}

/**
 * Walks up (children and dependents) from a revision through live revisions only. When liveness only
 * ever ends (`permanent`), each revision keeps a cursor past its dead children, so repeated walks over a
 * shrinking region cost its live part, not every child ever seen (a branch point with many branches).
 */
class UpWalker {
  private readonly cursor: Uint32Array;
  private readonly seen: Uint32Array;
  private visit = 0;

  constructor(
    private readonly up: readonly (readonly number[])[],
    private readonly live: (rev: number) => boolean,
    private readonly permanent: boolean,
  ) {
    this.cursor = new Uint32Array(up.length);
    this.seen = new Uint32Array(up.length);
  }

  /** Walks the live revisions strictly above `from`; true as soon as `stop` accepts one. */
  any(from: number, stop: (rev: number) => boolean): boolean {
    const visit = ++this.visit;
    const stack = [from];
    while (stack.length > 0) {
      const x = stack.pop()!;
      const edges = this.up[x]!;
      let k = 0;
      if (this.permanent) {
        for (k = this.cursor[x]!; k < edges.length && !this.live(edges[k]!); k++);
        this.cursor[x] = k;
      }
      for (; k < edges.length; k++) {
        const y = edges[k]!;
        if (this.seen[y] === visit || !this.live(y)) continue;
        this.seen[y] = visit;
        if (stop(y)) return true;
        stack.push(y);
      }
    }
    return false;
  }

  /** Whether the last walk reached `rev`. */
  visited(rev: number): boolean {
    return this.seen[rev] === this.visit;
  }
}

/** A stamp step: Alembic `StampStep(from_, to_, is_upgrade, branch_move)`. */
interface StampMove {
  readonly from: readonly number[];
  readonly to: readonly number[];
  readonly upgrade: boolean;
  readonly branchMove: boolean;
}

/**
 * Alembic `ScriptDirectory._stamp_revs(dest, heads)`: for each destination, delete every related head
 * (base), do nothing (already a row), move all related heads down or up to it in one step, or add a row
 * for it (a branch not in the table).
 */
function stampSteps(map: RevisionMap, dest: string, heads: readonly number[]): StampMove[] {
  const related = eachItem(dest, (item) => filterForLineage(map, heads, item, true));
  const dests = eachItem(dest, (item) => getRevisions(map, item));
  if (dests.length === 0) return related.map((h) => ({ from: [h], to: [], upgrade: false, branchMove: true }));
  return dests.flatMap((d): StampMove[] => {
    if (related.includes(d)) return [];
    if (related.some((h) => reach([d], map.allNextIdx)[h])) {
      return [{ from: related, to: [d], upgrade: false, branchMove: false }];
    }
    if (related.some((h) => reach([d], map.normDownIdx)[h])) {
      return [{ from: related, to: [d], upgrade: true, branchMove: false }];
    }
    return [{ from: [], to: [d], upgrade: true, branchMove: true }];
  });
}

/**
 * The `alembic_version` rows while a plan runs: Alembic's `HeadMaintainer` over `RevisionStep` and
 * `StampStep`, recording each statement.
 *
 * Where Alembic orders rows through a Python set (`merge_branch_idents` with other heads present,
 * `_unmerge_to_revisions`), sqlscribe keeps `normalizedDown` order (`down`, then dependencies): the same rows
 * are deleted or inserted, and the last parent is the one UPDATEd.
 * "Is this parent still below another row?" walks up from the parent through applied revisions only, so it
 * costs the size of the branch in between, not of the history.
 */
class VersionTable {
  private readonly isRow: Uint8Array;
  private count = 0;
  /** Revisions applied: the rows and their ancestors, plus (harmlessly) revisions a downgrade dropped. */
  private readonly applied: Uint8Array;
  private readonly appliedAbove: UpWalker;
  private ops: VersionOp[] = [];

  /** `shrinking`: only downgrades run, so applied revisions only ever go away. */
  constructor(
    readonly map: RevisionMap,
    start: readonly number[],
    shrinking = false,
  ) {
    this.isRow = new Uint8Array(map.size);
    start.forEach((r) => (this.isRow[r] = 1));
    this.count = new Set(start).size;
    this.applied = reach(start, map.normDownIdx);
    this.appliedAbove = new UpWalker(map.allNextIdx, (i) => this.applied[i] === 1, shrinking);
  }

  /** The rows, in input order. */
  rows(): string[] {
    const rows: string[] = [];
    for (let i = 0; i < this.isRow.length; i++) if (this.isRow[i]) rows.push(this.map.idAt(i));
    return rows;
  }

  /** Runs one step's bookkeeping and describes it. */
  step(
    direction: Step['direction'],
    revision: string | null,
    from: readonly string[],
    to: readonly string[],
    bookkeeping: () => void,
  ): Step {
    const createVersionTable = this.count === 0;
    this.ops = [];
    try {
      bookkeeping();
    } catch (err) {
      if (!(err instanceof BookkeepingError)) throw err;
      const site = revision === null ? '' : `${this.map.get(revision)?.file ?? revision} (revision ${revision}): `;
      const arrow = `${from.join(', ') || 'base'} -> ${to.join(', ') || 'base'}`;
      throw new UserError(
        `${site}${direction} ${arrow}: the version table's rows cannot be kept through this step (${err.message}) — usually a dependsOn or down revision that is already an ancestor of the revision's other down revisions; remove it (Alembic 1.8 fails on this graph too, with a KeyError in its HeadMaintainer)`,
      );
    }
    return { direction, revision, from, to, createVersionTable, versionOps: this.ops };
  }

  /** `update_to_step` for an upgrade `RevisionStep`. */
  upgrade(rev: number): void {
    const downs = this.map.normDownIdx[rev]!;
    const rows = downs.filter((d) => this.isRow[d]);
    if (rows.length === 0) {
      this.insert(rev); // should_create_branch: a base, or no parent is a row
    } else if (rows.length > 1) {
      // should_merge_branches: the parents not below another row are consumed; the last one is UPDATEd.
      const from =
        this.count > rows.length
          ? downs.filter((d) => !this.below(d, (i) => this.isRow[i] === 1 && !downs.includes(i), false))
          : downs;
      this.check(from.length > 0, `merge into ${this.map.idAt(rev)}`);
      from.slice(0, -1).forEach((d) => this.delete(d));
      this.update(from[from.length - 1]!, rev);
    } else {
      this.update(rows[0]!, rev);
    }
    this.applied[rev] = 1;
  }

  /** `update_to_step` for a downgrade `RevisionStep`. */
  downgrade(rev: number): void {
    const downs = this.map.normDownIdx[rev]!;
    const to = downs.length === 0 ? [] : this.unmergeTo(rev, downs);
    if (to.length === 0) {
      this.delete(rev); // should_delete_branch: a base, or every parent is still below another row
    } else if (downs.length > 1) {
      to.slice(0, -1).forEach((d) => this.insert(d)); // should_unmerge_branches
      this.update(rev, to[to.length - 1]!);
    } else {
      this.update(rev, downs[0]!);
    }
    this.applied[rev] = 0;
  }

  /**
   * Alembic `_unmerge_to_revisions` (1.19): the parents that need a row of their own once `rev` is gone —
   * those not below another row; with no other row, those not below another parent.
   */
  private unmergeTo(rev: number, downs: readonly number[]): number[] {
    if (this.count > 1) return downs.filter((d) => !this.below(d, (i) => this.isRow[i] === 1 && i !== rev, false));
    return downs.filter((d) => !downs.some((u) => u !== d && this.below(d, (i) => i === u, true)));
  }

  /** `update_to_step` for a `StampStep`. */
  stamp(s: StampMove): void {
    if (!s.upgrade && s.branchMove) {
      this.delete(s.from[0]!);
    } else if (
      s.upgrade &&
      (s.branchMove || s.from.some((f) => !this.isRow[f])) &&
      s.to.some((t) => !this.isRow[t])
    ) {
      this.insert(s.to[0]!);
    } else if (s.from.length > 1) {
      s.from.slice(0, -1).forEach((f) => this.delete(f));
      this.update(s.from[s.from.length - 1]!, s.to[0]!);
    } else {
      this.update(s.from[0]!, s.to[0]!);
    }
  }

  /** Whether `rev` is (`strict`: strictly) below a revision that `target` accepts. */
  private below(rev: number, target: (i: number) => boolean, strict: boolean): boolean {
    return (!strict && target(rev)) || this.appliedAbove.any(rev, target);
  }

  private insert(rev: number): void {
    this.check(!this.isRow[rev], `insert ${this.map.idAt(rev)}`);
    this.isRow[rev] = 1;
    this.count++;
    this.ops.push({ op: 'insert', revision: this.map.idAt(rev) });
  }

  private update(from: number, to: number): void {
    this.check(this.isRow[from] === 1 && !this.isRow[to], `update ${this.map.idAt(from)}`);
    this.isRow[from] = 0;
    this.isRow[to] = 1;
    this.ops.push({ op: 'update', from: this.map.idAt(from), to: this.map.idAt(to) });
  }

  private delete(rev: number): void {
    this.check(this.isRow[rev] === 1, `delete ${this.map.idAt(rev)}`);
    this.isRow[rev] = 0;
    this.count--;
    this.ops.push({ op: 'delete', revision: this.map.idAt(rev) });
  }

  /** Alembic asserts the same (`HeadMaintainer`); failing means a graph whose rows cannot be kept. */
  private check(ok: boolean, what: string): void {
    if (!ok) throw new BookkeepingError(`${what}; rows: ${this.rows().join(', ') || 'none'}`);
  }
}

/** A version-table operation the rows do not allow; {@link VersionTable.step} reports it as a UserError. */
class BookkeepingError extends Error {}
