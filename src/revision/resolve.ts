/**
 * Revision targets: Alembic's identifier grammar (`alembic/script/revision.py` `RevisionMap.get_revision`,
 * `get_revisions`, `_resolve_revision_number`, `_revision_for_ident`, `_walk`, `_parse_upgrade_target`,
 * `_parse_downgrade_target`, `filter_for_lineage`) over a {@link RevisionMap}.
 *
 * Revisions are handled as indices into `map.revisions`; {@link BASE} stands for "no revision".
 * Errors are {@link UserError}s that say what to type instead, starting with Alembic's own wording
 * (`ScriptDirectory._catch_revision_errors` turns them into `Can't locate revision identified by ...`).
 */
import { UserError } from '../errors.js';
import { reach, type RevisionMap } from './graph.js';

/** The empty revision: Alembic's `None` / `'base'` / `()`. */
export const BASE = -1;

/** Alembic `_relative_destination`, anchored: `[label@][symbol]±N`. */
const RELATIVE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/;

const LIST = "run 'sqlscribe history' to list revisions";

/** A parsed relative target: `label@symbol+N`. */
interface Relative {
  readonly label: string | undefined;
  readonly symbol: string | undefined;
  /** The signed step count. */
  readonly steps: number;
  /** The step count as typed, e.g. `-2`, `+1`. */
  readonly text: string;
}

/** Parses `[label@][symbol]±N`; undefined when the target is absolute. */
export function parseRelative(target: string): Relative | undefined {
  const m = RELATIVE.exec(target);
  if (!m) return undefined;
  return { label: m[1], symbol: m[2], steps: Number(m[3]), text: m[3]! };
}

/** `Can't locate revision identified by 'x'` + what to type instead. */
function unknownRevision(arg: string): UserError {
  if (arg === 'current') {
    return new UserError(
      "Can't locate revision identified by 'current' — offline there is no database to read: " +
        "give the revision the database is at, e.g. 'sqlscribe upgrade <rev>:head'",
    );
  }
  return new UserError(`Can't locate revision identified by '${arg}' — ${LIST}`);
}

/** Alembic `MultipleHeads`, as the command layer words it; `heads` are the revision ids. */
export class MultipleHeadsError extends UserError {
  constructor(
    readonly heads: readonly string[],
    arg: string,
  ) {
    super(
      `Multiple head revisions are present for given argument '${arg}': ${heads.join(', ')} — ` +
        `name one of them, use '<branch>@${arg}' for the head of one branch, or 'heads' for all heads`,
    );
  }
}

function multipleHeads(map: RevisionMap, heads: readonly number[], arg: string): MultipleHeadsError {
  return new MultipleHeadsError(
    heads.map((h) => map.at(h).revision),
    arg,
  );
}

/** `Relative revision -2 didn't produce 2 migrations` + what to type instead. */
function overshoot(rel: Relative | string, hint: string): UserError {
  const text = typeof rel === 'string' ? rel : rel.text;
  const n = Math.abs(Number(text));
  return new UserError(`Relative revision ${text} didn't produce ${n} migrations — ${hint}`);
}

/** Revision ids (or `base`) joined with `, ` for messages. */
export function names(map: RevisionMap, revs: readonly number[]): string {
  return revs.map((r) => (r === BASE ? 'base' : map.at(r).revision)).join(', ');
}

/** Splits `label@rest` at the first `@` (Alembic `_resolve_revision_number`). */
function splitLabel(spec: string): [string | undefined, string] {
  const at = spec.indexOf('@');
  return at < 0 ? [undefined, spec] : [spec.slice(0, at), spec.slice(at + 1)];
}

/**
 * Alembic `_resolve_revision_number`: expands `heads`, `head`, `base` (optionally behind `label@`) into
 * revision indices; anything else stays an identifier string for {@link revisionForIdent}.
 */
function resolveNumber(map: RevisionMap, spec: string): { ids: (number | string)[]; label: string | undefined } {
  const [label, id] = splitLabel(spec);
  if (id === 'heads') {
    return { ids: label ? filterForLineage(map, map.heads.map((h) => map.indexOf(h)), label) : realHeads(map), label };
  }
  if (id === 'head') {
    const h = currentHead(map, label);
    return { ids: h === BASE ? [] : [h], label };
  }
  if (id === 'base') return { ids: [], label };
  return { ids: [id], label };
}

/** Alembic `_real_heads` as indices. */
function realHeads(map: RevisionMap): number[] {
  return map.realHeads.map((h) => map.indexOf(h));
}

/** Alembic `get_current_head(label)`: the single head (of a branch); throws when there are several. */
function currentHead(map: RevisionMap, label: string | undefined): number {
  let heads = map.heads.map((h) => map.indexOf(h));
  if (label) heads = filterForLineage(map, heads, label);
  if (heads.length > 1) throw multipleHeads(map, heads, label ? `${label}@head` : 'head');
  return heads[0] ?? BASE;
}

/**
 * Alembic `_revision_for_ident`: an exact id or branch label, else a unique prefix among the ids and labels
 * longer than three characters (narrowed to `branch`'s lineage when given); with `branch`, the revision must
 * share its lineage.
 */
function revisionForIdent(map: RevisionMap, ident: number | string, branch?: string): number {
  if (typeof ident === 'number') return ident;
  const branchRev = branch ? resolveBranch(map, branch) : BASE;
  let found = ident === '' ? -1 : map.indexOf(ident);
  if (found < 0) {
    let keys = ident === '' ? [] : [...map.keys.keys()].filter((k) => k.length > 3 && k.startsWith(ident));
    if (branch) {
      const lineage = lineageOf(map, branch);
      keys = keys.filter((k) => lineage[map.indexOf(k)]);
    }
    if (keys.length === 0) throw unknownRevision(ident);
    if (keys.length > 1) {
      throw new UserError(
        `Multiple revisions start with '${ident}': ${keys.join(', ')} — type more characters of the revision id`,
      );
    }
    found = map.indexOf(keys[0]!);
  }
  if (branch && !lineageOf(map, map.at(branchRev).revision)[found]) {
    throw new UserError(
      `Revision ${map.at(found).revision} is not a member of branch '${branch}' — ` +
        `use '${branch}@head', or a revision on that branch (${LIST})`,
    );
  }
  return found;
}

/** Alembic `_resolve_branch`: a branch label, or any revision identifier standing for its branch. */
export function resolveBranch(map: RevisionMap, branch: string): number {
  const i = map.indexOf(branch);
  return i >= 0 ? i : revisionForIdent(map, branch);
}

/**
 * Revisions sharing a lineage with `spec` (a label, id or symbol): its `down`-ancestors and descendants
 * (Alembic `_shares_lineage`, `include_dependencies=False`; `true` also follows `dependsOn`).
 */
function lineageOf(map: RevisionMap, spec: string, includeDependencies = false): Uint8Array {
  const { ids, label } = resolveNumber(map, spec);
  const shares = [...(label ? [label] : []), ...ids].map((s) => revisionForIdent(map, s));
  const marks = new Uint8Array(map.size);
  if (shares.length === 0) return marks.fill(1);
  reach(shares, includeDependencies ? map.normDownIdx : map.downIdx, marks);
  const up = reach(shares, includeDependencies ? map.allNextIdx : map.nextIdx);
  up.forEach((m, i) => m && (marks[i] = 1));
  return marks;
}

/** Alembic `filter_for_lineage`: the targets that share a lineage with `against`. */
export function filterForLineage(
  map: RevisionMap,
  targets: readonly number[],
  against: string,
  includeDependencies = false,
): number[] {
  const lineage = lineageOf(map, against, includeDependencies);
  return targets.filter((t) => t !== BASE && lineage[t]);
}

/**
 * Alembic `get_revision`: one revision for `spec`, {@link BASE} for `base` (or `head` of an empty history).
 * Throws for several (`heads` with 2+ heads), unknown or ambiguous identifiers.
 */
export function getRevision(map: RevisionMap, spec: string): number {
  const { ids, label } = resolveNumber(map, spec);
  if (ids.length > 1) throw multipleHeads(map, ids as number[], spec);
  return ids.length === 0 ? BASE : revisionForIdent(map, ids[0]!, label);
}

/**
 * Alembic `get_revisions` for one spec: `heads` gives every real head, `label@-N` walks N down from each
 * (branch) head, anything else as {@link getRevision}. A walk that runs past base throws (Alembic would
 * return `None` here, which `stamp` then takes for base).
 */
export function getRevisions(map: RevisionMap, spec: string): number[] {
  const { ids, label } = resolveNumber(map, spec);
  const only = ids.length === 1 && typeof ids[0] === 'string' ? ids[0] : undefined;
  if (only !== undefined && /^[+-]?\d+$/.test(only) && Number(only) < 0) {
    const heads = realHeads(map).filter((h) => label === undefined || map.at(h).labels.includes(label));
    return heads.map((h) => {
      const r = walk(map, h, Number(only), undefined, true, spec);
      if (r === undefined) {
        throw overshoot(only, `the history is not that long below ${map.at(h).revision}; use 'base'`);
      }
      return r;
    });
  }
  return ids.map((id) => revisionForIdent(map, id, label));
}

/**
 * Alembic `_walk`: `steps` up (children, filtered to `label`'s lineage) or down (`down`) from `start`.
 * Returns the revision reached, {@link BASE} when walking down off a base, or `undefined` when the walk runs out
 * (with `noOverwalk`; otherwise it stays where it got). Throws "Ambiguous walk" at a branch or merge point.
 * Deliberate difference: walking down from base runs out (Alembic would jump to the heads).
 */
function walk(
  map: RevisionMap,
  start: number,
  steps: number,
  label: string | undefined,
  noOverwalk: boolean,
  arg: string,
): number | undefined {
  const lineage = steps > 0 && label ? lineageOf(map, label) : undefined;
  let at = start;
  for (let k = 0; k < Math.abs(steps); k++) {
    let options: readonly number[];
    if (steps > 0) {
      options = at === BASE ? map.bases.map((b) => map.indexOf(b)) : map.nextIdx[at]!;
      if (lineage) options = options.filter((o) => lineage[o]);
    } else {
      options = at === BASE ? [] : map.downIdx[at]!.length > 0 ? map.downIdx[at]! : [BASE];
    }
    if (options.length === 0) return noOverwalk ? undefined : at;
    if (options.length > 1) {
      const from = at === BASE ? 'base' : map.at(at).revision;
      throw new UserError(
        steps > 0
          ? `Ambiguous walk: '${arg}' reaches ${from}, which branches into ${names(map, options)} — ` +
              `name the revision you want, or follow one branch with '<branch>@+N' (see 'sqlscribe history')`
          : `Ambiguous walk: '${arg}' reaches ${from}, a merge point of ${names(map, options)} — ` +
              `name the revision you want (see 'sqlscribe history')`,
      );
    }
    at = options[0]!;
  }
  return at;
}

/**
 * Alembic `_parse_upgrade_target`: the revisions an upgrade goes to, from the current heads.
 * Bare `+N` walks up from the single current head (base when there is none); `sym+N`, `sym-N` walk from
 * `sym`. Errors: bare `-N`, an ambiguous `+N` from several heads, a walk that runs out or forks.
 */
export function parseUpgradeTarget(
  map: RevisionMap,
  current: readonly number[],
  target: string,
  assertRelativeLength: boolean,
): number[] {
  const rel = parseRelative(target);
  if (!rel) return getRevisions(map, target);
  const { label, symbol, steps } = rel;
  if (steps > 0 && symbol === undefined) {
    let starts: readonly number[] = current.length > 0 ? current : [BASE];
    if (label) {
      starts = filterForLineage(map, starts, label);
      if (starts.length === 0) {
        // The branch has no current head: start from the tips of what is applied on it, else from base.
        const applied = reach(current, map.normDownIdx);
        const lineage = lineageOf(map, label);
        const active = [...applied.keys()].filter((i) => applied[i] && lineage[i]);
        const below = new Set(active.flatMap((i) => map.normDownIdx[i]!));
        starts = active.filter((i) => !below.has(i));
        if (starts.length === 0) starts = [BASE];
      }
    }
    if (starts.length > 1) {
      throw new UserError(
        `Ambiguous upgrade from multiple current revisions (${names(map, starts)}) — ` +
          `walk one branch with '<branch>@${rel.text}', or name the target revision`,
      );
    }
    const to = walk(map, starts[0]!, steps, label, assertRelativeLength, target);
    if (to === undefined) throw overshoot(rel, "use a smaller number, or 'heads'");
    return [to];
  }
  if (symbol === undefined) {
    const back = `to go back ${Math.abs(steps)}, use 'sqlscribe downgrade <from>:${rel.text}'`;
    throw overshoot(rel, `an upgrade cannot go down; ${back}`);
  }
  const from = getRevision(map, steps > 0 || !label ? symbol : `${label}@${symbol}`);
  const to = walk(map, from, steps, steps > 0 ? label : undefined, assertRelativeLength, target);
  if (to === undefined) throw overshoot(rel, relativeHint(target, steps));
  return [to];
}

function relativeHint(target: string, steps: number): string {
  return steps > 0
    ? `'${target}' goes past the heads; use a smaller number, or 'heads'`
    : `'${target}' goes past base; use a smaller number, or 'base'`;
}

/**
 * Alembic `_parse_downgrade_target`: `{ label, rev }` for a downgrade from `current`. `-N` walks down from the
 * single current head (`label@-N`: from the current head on that branch); `sym-N`, `sym+N` walk from `sym`;
 * an absolute `label@rev` resolves `rev` and keeps `label` to narrow the branches dropped.
 */
export function parseDowngradeTarget(
  map: RevisionMap,
  current: readonly number[],
  target: string,
  assertRelativeLength: boolean,
): { label: string | undefined; rev: number } {
  const rel = parseRelative(target);
  if (!rel) {
    const at = target.lastIndexOf('@');
    return { label: at > 0 ? target.slice(0, at) : undefined, rev: getRevision(map, target.slice(at + 1)) };
  }
  let { label, symbol } = rel;
  const steps = rel.steps;
  if (steps >= 0) {
    if (symbol === undefined) {
      throw overshoot(rel, `a downgrade cannot go up; use '-${Math.abs(steps)}', 'base' or a revision below the start`);
    }
    const to = walk(map, getRevision(map, symbol), steps, label, assertRelativeLength, target);
    if (to === undefined) throw new UserError(`Walked too far: ${relativeHint(target, steps)}`);
    return { label, rev: to };
  }
  const relative = symbol === undefined;
  if (relative && label) {
    let onBranch = filterForLineage(map, current, label);
    if (onBranch.length === 0) onBranch = filterForLineage(map, branchTips(map, current), label);
    if (onBranch.length !== 1) {
      throw new UserError(
        onBranch.length === 0
          ? `No current revision is on branch '${label}' — check the start of the range (${LIST})`
          : `'${target}' is ambiguous: ${names(map, onBranch)} are all on branch '${label}' — name the target revision`,
      );
    }
    symbol = map.at(onBranch[0]!).revision;
  } else if (relative) {
    if (current.length === 0) throw overshoot(rel, 'the range starts at base, there is nothing below it');
    if (current.length > 1) {
      throw new UserError(
        `'${target}' from multiple heads (${names(map, current)}) is ambiguous — ` +
          `name the branch, e.g. '<branch>@${rel.text}', or the target revision`,
      );
    }
    symbol = map.at(current[0]!).revision;
    label = symbol;
  }
  const from = getRevision(map, label === undefined ? symbol! : `${label}@${symbol}`);
  const to = walk(map, from, steps, undefined, assertRelativeLength, target);
  if (to === undefined) {
    throw relative
      ? overshoot(rel, "use a smaller number, or 'base'")
      : new UserError(`Walked too far: ${relativeHint(target, steps)}`);
  }
  return { label, rev: to };
}

/**
 * Alembic `_get_all_current`: the current revisions and all their ancestors, reduced to those without a
 * `down`-descendant in the set.
 */
function branchTips(map: RevisionMap, current: readonly number[]): number[] {
  const all = reach(current, map.normDownIdx);
  const tips: number[] = [];
  all.forEach((m, i) => m && !map.nextIdx[i]!.some((c) => all[c]) && tips.push(i));
  return tips;
}

/**
 * Resolves one revision symbol for callers outside planning (e.g. `revision --head`): an id or unique prefix,
 * a branch label, `head`, `branch@head`, `rev@head`, `label@rev`, `REV-N`; `null` for `base`.
 * Throws {@link UserError} (unknown, ambiguous, several heads) as the planners do (Alembic `get_revision`).
 */
export function resolveRevision(map: RevisionMap, spec: string): string | null {
  const rel = parseRelative(spec);
  if (rel && rel.symbol === undefined) {
    throw new UserError(`'${spec}' is relative to nothing here — name a revision, e.g. 'head${rel.text}'`);
  }
  const r = rel ? parseUpgradeTarget(map, [], spec, true)[0]! : getRevision(map, spec);
  return r === BASE ? null : map.at(r).revision;
}
