/**
 * The revision graph: Alembic's `RevisionMap` (`alembic/script/revision.py`) for sqlscribe migrations.
 *
 * Every walk here is iterative and linear in the size of the graph; internally revisions are
 * numbered by their position in the input of {@link RevisionMap.build} and edges are index arrays.
 */
import { UserError } from '../errors.js';

/** One migration as the loader hands it over (the `migration({...})` fields that shape the graph). */
export interface RevisionInput {
  /** The revision id. */
  readonly revision: string;
  /** Alembic `down_revision`: `[]` for a base, one id, or 2+ ids for a merge point. */
  readonly down: readonly string[];
  /** Alembic `depends_on`: revision ids, unique id prefixes, or branch labels. */
  readonly dependsOn: readonly string[];
  readonly branchLabels: readonly string[];
  readonly message: string;
  /** Path of the migration file, for messages. */
  readonly file: string;
}

/**
 * The {@link RevisionInput} of a migration's revision fields, as a migration file gives them: `down` is null
 * (a base), one id or a list (Alembic's `down_revision`: None, a string or a tuple), and the lists may be
 * absent (empty). Lists are used as they are, not copied.
 */
export function revisionInput(
  revision: string,
  down: string | readonly string[] | null,
  dependsOn: readonly string[] | undefined,
  branchLabels: readonly string[] | undefined,
  message: string,
  file: string,
): RevisionInput {
  return {
    revision,
    down: down === null ? NONE : typeof down === 'string' ? [down] : down,
    dependsOn: dependsOn ?? NONE,
    branchLabels: branchLabels ?? NONE,
    message,
    file,
  };
}

/**
 * A revision in a built {@link RevisionMap}: its input plus the derived graph facts that Alembic keeps on
 * `Revision` (ids are full revision ids; lists are in input order unless said otherwise).
 */
export interface RevisionNode extends RevisionInput {
  /** Position in the input of {@link RevisionMap.build}: the tie-break of every ordering (Alembic's load order). */
  readonly order: number;
  /** Revisions whose `down` names this one (Alembic `nextrev`). */
  readonly children: readonly string[];
  /** Revisions whose `dependsOn` resolves to this one. */
  readonly dependents: readonly string[];
  /** `dependsOn` resolved to revision ids (Alembic `_resolved_dependencies`). */
  readonly resolvedDependsOn: readonly string[];
  /**
   * `down`, then the resolved dependencies that no `down`-ancestor already depends on (Alembic
   * `_normalized_down_revisions`): the parents used for step order and version-table bookkeeping.
   */
  readonly normalizedDown: readonly string[];
  /** Own branch labels, then the ones inherited along the branch (Alembic `branch_labels` after `_add_branches`). */
  readonly labels: readonly string[];
  /** No child (Alembic `is_head`); may still be depended on ("effective head"). */
  readonly isHead: boolean;
  /** No child and no dependent (Alembic `_is_real_head`). */
  readonly isRealHead: boolean;
  /** `down` is empty (Alembic `is_base`). */
  readonly isBase: boolean;
  /** `down` and `dependsOn` are empty (Alembic `_is_real_base`). */
  readonly isRealBase: boolean;
  /** 2+ children (Alembic `is_branch_point`). */
  readonly isBranchPoint: boolean;
  /** 2+ children and dependents together (Alembic `_is_real_branch_point`). */
  readonly isRealBranchPoint: boolean;
  /** 2+ `down` revisions (Alembic `is_merge_point`). */
  readonly isMergePoint: boolean;
}

const NONE: readonly string[] = Object.freeze([]);
const NO_INDEX: readonly number[] = Object.freeze([]);
const NO_LABELS: ReadonlySet<string> = new Set();

/** Alembic's `Revision.verify_rev_id` characters, plus `:` and `,` which separate ranges and lists. */
const ILLEGAL_ID_CHARS = ['@', '-', '+', ':', ','];
const ILLEGAL_ID = /[@\-+:,]/;

/**
 * The revision graph of a migrations folder, with Alembic's `heads` and `bases`.
 *
 * Build it with {@link RevisionMap.build}. The `*Idx` adjacency arrays are the index-based view that
 * `planUpgrade` & co. walk; they are read-only and indexed by {@link RevisionNode.order}.
 */
export class RevisionMap {
  /** Alembic `heads`: revisions without children, in input order. */
  readonly heads: readonly string[];
  /** Alembic `_real_heads`: revisions without children or dependents (what the target `heads` means). */
  readonly realHeads: readonly string[];
  /** Alembic `bases`: revisions with an empty `down`, in input order. */
  readonly bases: readonly string[];
  /**
   * Every revision, each after its `down` and `dependsOn` revisions, ties broken by input order (Kahn).
   * For the order Alembic applies them in, use `planUpgrade(map, 'base:heads')`.
   */
  get topological(): readonly string[] {
    return (this.#topological ??= this.topo.map((i) => this.input[i]!.revision));
  }

  #topological: readonly string[] | undefined;
  /** Nodes built so far, by index: a node is built when first asked for (a plan of a few steps asks for few). */
  readonly #nodes: (RevisionNode | undefined)[];
  #all: readonly RevisionNode[] | undefined;

  private constructor(
    /** The input of {@link RevisionMap.build}. */
    private readonly input: readonly RevisionInput[],
    private readonly topo: readonly number[],
    /** @internal revision id or branch label → index (Alembic's `_revision_map` keys). */
    readonly keys: ReadonlyMap<string, number>,
    /** @internal `down` as indices. */
    readonly downIdx: readonly (readonly number[])[],
    /** @internal `normalizedDown` as indices. */
    readonly normDownIdx: readonly (readonly number[])[],
    /** @internal `children` as indices. */
    readonly nextIdx: readonly (readonly number[])[],
    /** @internal children and dependents as indices (Alembic `_all_nextrev`). */
    readonly allNextIdx: readonly (readonly number[])[],
    private readonly node: (i: number) => RevisionNode,
  ) {
    const heads: string[] = [];
    const realHeads: string[] = [];
    const bases: string[] = [];
    for (let i = 0; i < input.length; i++) {
      if (nextIdx[i]!.length === 0) heads.push(input[i]!.revision);
      if (allNextIdx[i]!.length === 0) realHeads.push(input[i]!.revision);
      if (input[i]!.down.length === 0) bases.push(input[i]!.revision);
    }
    this.heads = heads;
    this.realHeads = realHeads;
    this.bases = bases;
    this.#nodes = new Array<RevisionNode | undefined>(input.length);
  }

  /** All revisions, in input order. */
  get revisions(): readonly RevisionNode[] {
    if (this.#all) return this.#all;
    const all = new Array<RevisionNode>(this.input.length);
    for (let i = 0; i < all.length; i++) all[i] = this.at(i);
    return (this.#all = all);
  }

  /** Number of revisions. */
  get size(): number {
    return this.input.length;
  }

  /**
   * The revision with exactly this id; throws {@link UserError} when there is none
   * (`resolveRevision` takes symbols).
   */
  get(id: string): RevisionNode {
    const i = this.indexOf(id);
    const node = i < 0 ? undefined : this.at(i);
    if (node === undefined || node.revision !== id) {
      throw new UserError(`Can't locate revision identified by '${id}' — run 'sqlscribe history' to list revisions`);
    }
    return node;
  }

  /** Whether a revision has exactly this id. */
  has(id: string): boolean {
    const i = this.keys.get(id);
    return i !== undefined && this.input[i]!.revision === id;
  }

  /** @internal index of a revision id or branch label; -1 when unknown. */
  indexOf(key: string): number {
    return this.keys.get(key) ?? -1;
  }

  /** @internal the node at an index. */
  at(i: number): RevisionNode {
    return (this.#nodes[i] ??= this.node(i));
  }

  /**
   * @internal `reach(starts, normDownIdx)`: the revisions applied when the version table holds `starts`, as a
   * fresh mark array. The last result is kept: a plan and the replay before its first step ask for the same.
   */
  applied(starts: readonly number[]): Uint8Array {
    const key = starts.join(',');
    if (this.#applied?.key !== key) this.#applied = { key, marks: reach(starts, this.normDownIdx) };
    return this.#applied.marks.slice();
  }

  #applied: { readonly key: string; readonly marks: Uint8Array } | undefined;

  /** @internal the revision id at an index (no node is built). */
  idAt(i: number): string {
    return this.input[i]!.revision;
  }

  /**
   * Builds and checks the graph (Alembic `RevisionMap._revision_map`, `_map_branch_labels`, `_add_depends_on`,
   * `_normalize_depends_on`, `_detect_cycles`, `_add_branches`). Input order is the tie-break of every ordering
   * that Alembic takes from its load order: give revisions sorted by file path, as Alembic sorts file names.
   *
   * Throws {@link UserError} for: an illegal character in an id, a duplicate id (naming both files), a
   * duplicate branch label, a missing down revision (naming the file and the missing id), an unknown or
   * ambiguous `dependsOn`, a self-loop, and a cycle through `down` or `dependsOn` (listing, as Alembic's
   * `CycleDetected` does, the revisions on or above it).
   * Where Alembic only warns (duplicate id, missing parent) sqlscribe refuses: the graph would be wrong.
   * Cost: O(revisions + edges), plus O(chain length) per labelled revision for label inheritance.
   */
  static build(input: readonly RevisionInput[]): RevisionMap {
    const n = input.length;
    const keys = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const r = input[i]!;
      if (r.revision === '') throw new UserError(`${r.file}: the revision id is empty — set 'revision' to an id`);
      const bad = ILLEGAL_ID.test(r.revision) ? ILLEGAL_ID_CHARS.filter((c) => r.revision.includes(c)) : NONE;
      if (bad.length > 0) {
        throw new UserError(
          `${r.file}: Character(s) '${bad.join(', ')}' not allowed in revision identifier '${r.revision}' — ` +
            `use letters, digits and '_' in 'revision'`,
        );
      }
      const prev = keys.get(r.revision);
      if (prev !== undefined) {
        throw new UserError(
          `Revision ${r.revision} is present more than once: ${input[prev]!.file} and ${r.file} — ` +
            `give one of them a new 'revision' id`,
        );
      }
      keys.set(r.revision, i);
    }
    input.forEach((r, i) => {
      if (r.branchLabels.length === 0) return;
      for (const label of new Set(r.branchLabels)) {
        const owner = keys.get(label);
        if (owner !== undefined) {
          throw new UserError(
            `${r.file}: Branch name '${label}' in revision ${r.revision} already used by revision ` +
              `${input[owner]!.revision} (${input[owner]!.file}) — choose another branch label`,
          );
        }
        keys.set(label, i);
      }
    });

    const downIdx = new Array<readonly number[]>(n);
    let anyDeps = false;
    for (let i = 0; i < n; i++) {
      const r = input[i]!;
      const down = unique(r.down);
      const idx = down.length === 0 ? NO_INDEX : new Array<number>(down.length);
      for (let k = 0; k < down.length; k++) {
        const d = down[k]!;
        if (d === r.revision) throw cycle('Self-loop', [r.revision], input);
        const p = keys.get(d);
        if (p === undefined || input[p]!.revision !== d) {
          throw new UserError(
            `${r.file}: down revision '${d}' of revision ${r.revision} is not present — ` +
              `fix 'down' in ${r.file}, or restore the migration that defines '${d}'`,
          );
        }
        (idx as number[])[k] = p;
      }
      downIdx[i] = idx;
      if (r.dependsOn.length > 0) anyDeps = true;
    }
    const depIdx = !anyDeps
      ? new Array<readonly number[]>(n).fill(NO_INDEX)
      : input.map((r, i) => {
          if (r.dependsOn.length === 0) return NO_INDEX;
          const deps = unique(r.dependsOn.map((d) => resolveDependency(input, keys, r, d)));
          if (deps.includes(i)) throw cycle('Dependency self-loop', [r.revision], input);
          return deps;
        });
    // Without dependencies the graph through `dependsOn` is the graph through `down`: built and checked once.
    const allDownIdx = anyDeps ? downIdx.map((down, i) => unique(down, depIdx[i]!)) : downIdx;
    const nextIdx = invert(n, downIdx);
    const allNextIdx = anyDeps ? invert(n, allDownIdx) : nextIdx;

    // Cycles: Kahn's order leaves out every revision on or above a cycle (Alembic `_detect_cycles` and
    // `LoopDetected`; Kahn also catches the cycles that Alembic's heads/bases test misses).
    const downTopo = checkAcyclic(input, 'Cycle', downIdx, nextIdx);
    const topo = anyDeps ? checkAcyclic(input, 'Dependency cycle', allDownIdx, allNextIdx) : downTopo;
    // Without dependencies, `normalizedDown` is `down`; without branch labels, no revision has one.
    const normDownIdx = anyDeps ? normalizeDependencies(topo, downIdx, depIdx) : downIdx;
    const anyLabels = input.some((r) => r.branchLabels.length > 0);
    const labels = anyLabels ? propagateLabels(input, topo, downIdx, nextIdx, allNextIdx) : new Array<ReadonlySet<string>>(n).fill(NO_LABELS);

    const dependents = anyDeps ? invert(n, depIdx) : depIdx;
    const revIds = (idx: readonly number[]): readonly string[] =>
      idx.length === 0 ? NONE : idx.map((c) => input[c]!.revision);
    // `normalizedDown` is `down` itself when it has no repeats and no dependency joins it.
    const normIds = (i: number): readonly string[] => {
      const idx = normDownIdx[i]!;
      const down = input[i]!.down;
      return idx === downIdx[i] && idx.length === down.length ? down : revIds(idx);
    };
    const labelLists = new Map<ReadonlySet<string>, readonly string[]>(); // one array per shared label set
    const listOf = (set: ReadonlySet<string>) => labelLists.get(set) ?? labelLists.set(set, [...set]).get(set)!;
    const node = (i: number): RevisionNode => {
      const r = input[i]!;
      return {
        revision: r.revision,
        down: r.down,
        dependsOn: r.dependsOn,
        branchLabels: r.branchLabels,
        message: r.message,
        file: r.file,
        order: i,
        children: revIds(nextIdx[i]!),
        dependents: revIds(dependents[i]!),
        resolvedDependsOn: revIds(depIdx[i]!),
        normalizedDown: normIds(i),
        labels: listOf(labels[i]!),
        isHead: nextIdx[i]!.length === 0,
        isRealHead: allNextIdx[i]!.length === 0,
        isBase: r.down.length === 0,
        isRealBase: r.down.length === 0 && r.dependsOn.length === 0,
        isBranchPoint: nextIdx[i]!.length > 1,
        isRealBranchPoint: allNextIdx[i]!.length > 1,
        isMergePoint: downIdx[i]!.length > 1,
      };
    };
    return new RevisionMap(input, topo, keys, downIdx, normDownIdx, nextIdx, allNextIdx, node);
  }
}

/**
 * Marks every index reachable from `starts` along `edges`, starts included (Alembic `_iterate_related_revisions`).
 * Iterative; pass `into` to accumulate several walks in one mark array, and `skip` to neither mark nor walk
 * through the indices it marks.
 */
export function reach(
  starts: Iterable<number>,
  edges: readonly (readonly number[])[],
  into: Uint8Array = new Uint8Array(edges.length),
  skip?: Uint8Array,
): Uint8Array {
  const stack: number[] = [];
  for (const s of starts) {
    if (into[s] || skip?.[s]) continue;
    into[s] = 1;
    stack.push(s);
    while (stack.length > 0) {
      const out = edges[stack.pop()!]!;
      for (let k = 0; k < out.length; k++) {
        const next = out[k]!;
        if (!into[next] && !(skip && skip[next])) {
          into[next] = 1;
          stack.push(next);
        }
      }
    }
  }
  return into;
}

/** `xs` then `more`, without repeats (the arrays are short: parents of one revision). */
function unique<T>(xs: readonly T[], more: readonly T[] = []): T[] {
  if (more.length === 0 && xs.length < 2) return xs as T[];
  return [...new Set([...xs, ...more])];
}

/** Reverses an adjacency list; each reversed list is in input order. */
function invert(n: number, edges: readonly (readonly number[])[]): (readonly number[])[] {
  const out: (readonly number[])[] = new Array<readonly number[]>(n).fill(NO_INDEX);
  for (let i = 0; i < edges.length; i++) {
    const targets = edges[i]!;
    for (let k = 0; k < targets.length; k++) {
      const t = targets[k]!;
      if (out[t] === NO_INDEX) out[t] = [i];
      else (out[t] as number[]).push(i);
    }
  }
  return out;
}

/**
 * Resolves one `dependsOn` entry as Alembic's `_add_depends_on` does (`map_[dep]`: a revision id or a branch
 * label), and also accepts a unique id prefix as the rest of the target grammar does.
 */
function resolveDependency(
  input: readonly RevisionInput[],
  keys: ReadonlyMap<string, number>,
  rev: RevisionInput,
  dep: string,
): number {
  const exact = keys.get(dep);
  if (exact !== undefined) return exact;
  const matches = dep === '' ? [] : input.filter((r) => r.revision.length > 3 && r.revision.startsWith(dep));
  if (matches.length === 1) return keys.get(matches[0]!.revision)!;
  const why =
    matches.length === 0
      ? 'is not a known revision or branch label'
      : `is ambiguous: ${matches.map((r) => r.revision).join(', ')}`;
  throw new UserError(
    `${rev.file}: dependsOn '${dep}' of revision ${rev.revision} ${why} — ` +
      `name a revision id or branch label in 'dependsOn' (run 'sqlscribe history' to list revisions)`,
  );
}

function cycle(kind: string, revs: readonly string[], input: readonly RevisionInput[]): UserError {
  const files = revs.map((id) => input.find((r) => r.revision === id)!.file);
  const field = kind.startsWith('Dependency') ? 'dependsOn' : 'down';
  return new UserError(
    `${kind} is detected in revisions (${revs.join(', ')}) — a revision cannot come after itself; ` +
      `fix '${field}' in ${unique(files).join(', ')}`,
  );
}

/**
 * Kahn's topological order along `down` edges, ready revisions taken in input order. Revisions that never
 * become ready sit on or above a cycle: they are reported sorted, as Alembic's `CycleDetected` does.
 */
function checkAcyclic(
  input: readonly RevisionInput[],
  kind: 'Cycle' | 'Dependency cycle',
  down: readonly (readonly number[])[],
  next: readonly (readonly number[])[],
): number[] {
  const n = down.length;
  const waiting = new Int32Array(n);
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    waiting[i] = down[i]!.length;
    if (waiting[i] === 0) order.push(i);
  }
  for (let k = 0; k < order.length; k++) {
    const cs = next[order[k]!]!;
    for (let j = 0; j < cs.length; j++) {
      const c = cs[j]!;
      waiting[c] = waiting[c]! - 1;
      if (waiting[c] === 0) order.push(c);
    }
  }
  if (order.length === n) return order;
  const stuck = input.filter((_, i) => waiting[i]! > 0).map((r) => r.revision);
  throw cycle(kind, stuck.sort(), input);
}

/**
 * Alembic `_normalize_depends_on` + `_normalized_down_revisions`: `down` followed by the dependencies that no
 * `down`-ancestor already depends on. The set of dependencies of a revision's `down`-ancestors is carried along
 * the topological order and shared between a revision and its only parent, so a history costs
 * O(revisions + merges × distinct dependencies).
 */
function normalizeDependencies(
  topo: readonly number[],
  down: readonly (readonly number[])[],
  deps: readonly (readonly number[])[],
): number[][] {
  const inherited: ReadonlySet<number>[] = [];
  const out: number[][] = [];
  const empty: ReadonlySet<number> = new Set();
  for (const i of topo) {
    const parents = down[i]!;
    let above: ReadonlySet<number> = empty;
    if (parents.length === 1 && deps[parents[0]!]!.length === 0) {
      above = inherited[parents[0]!]!;
    } else if (parents.length > 0) {
      const s = new Set<number>();
      for (const p of parents) {
        for (const d of inherited[p]!) s.add(d);
        for (const d of deps[p]!) s.add(d);
      }
      above = s;
    }
    inherited[i] = above;
    out[i] = unique(parents, deps[i]!.filter((d) => !above.has(d)));
  }
  return out;
}

/**
 * Alembic `_add_branches`: a revision carries its own labels and those of every `down`-ancestor; a labelled
 * revision whose descendants form one unbranched line also lends its labels down its own line, to the
 * nearest real branch point or merge point (Alembic walks down from the last descendant it visited; when the
 * descendants branch, that walk stops at the fork before reaching the labelled revision).
 */
function propagateLabels(
  input: readonly RevisionInput[],
  topo: readonly number[],
  down: readonly (readonly number[])[],
  next: readonly (readonly number[])[],
  allNext: readonly (readonly number[])[],
): ReadonlySet<string>[] {
  const labels: ReadonlySet<string>[] = [];
  const empty: ReadonlySet<string> = new Set();
  for (const i of topo) {
    const own = input[i]!.branchLabels;
    const parents = down[i]!;
    if (own.length === 0 && parents.length === 1) labels[i] = labels[parents[0]!]!;
    else if (own.length === 0 && parents.length === 0) labels[i] = empty;
    else labels[i] = new Set([...own, ...parents.flatMap((p) => [...labels[p]!])]);
  }
  input.forEach((r, i) => {
    if (r.branchLabels.length === 0) return;
    let tip = i;
    while (next[tip]!.length === 1) tip = next[tip]![0]!;
    if (next[tip]!.length > 1) return;
    const lend = [...labels[i]!];
    for (let p: number | undefined = tip; p !== undefined; p = down[p]!.length === 1 ? down[p]![0] : undefined) {
      if (allNext[p]!.length > 1 || down[p]!.length > 1) break;
      const has = labels[p]!;
      if (!lend.every((l) => has.has(l))) labels[p] = new Set([...has, ...lend]);
    }
  });
  return labels;
}
