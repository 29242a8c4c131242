/**
 * The listing commands `history`, `heads`, `branches` and `show`, as text in Alembic's format
 * (`alembic/command.py` `history/heads/branches/show`, `alembic/script/base.py` `Script.log_entry`,
 * `Script._head_only`) and as JSON.
 *
 * Text ends with a newline per line, as Alembic's `Config.print_stdout` writes it. Where Alembic prints a
 * Python set (`Branches into:`, `Branch names:`, the children under a branch point) sqlscribe uses input order.
 */
import { UserError } from '../errors.js';
import type { RevisionMap, RevisionNode } from './graph.js';
import { alembicOrder, collectUpgrade, RangeNotAncestor } from './plan.js';
import { BASE, MultipleHeadsError, getRevisions } from './resolve.js';

/** Options of `sqlscribe history`. */
export interface HistoryOptions {
  /** `[start]:[end]`, either side optional (Alembic `history -r`); default `base:heads`. */
  readonly range?: string;
  readonly verbose?: boolean;
}

/** Options of `sqlscribe heads`. */
export interface HeadsOptions {
  readonly verbose?: boolean;
  /** Only real heads: leave out revisions that others depend on (Alembic `heads --resolve-dependencies`). */
  readonly resolveDependencies?: boolean;
}

/** One revision in the `--json` output of the listing commands. */
export interface RevisionJson {
  readonly revision: string;
  readonly down: readonly string[];
  readonly dependsOn: readonly string[];
  /** Own and inherited branch labels (what Alembic prints as "Branch names"). */
  readonly branchLabels: readonly string[];
  readonly message: string;
  readonly file: string;
  readonly children: readonly string[];
  /** No child and nothing depends on it. */
  readonly head: boolean;
  /** No child, but another revision depends on it (Alembic "effective head"). */
  readonly effectiveHead: boolean;
  readonly branchPoint: boolean;
  readonly mergePoint: boolean;
}

/**
 * Alembic `history [-r start:end] [--verbose]`: newest first, in the order `iterate_revisions` walks
 * (`walk_revisions(base, head)`), e.g. `7c6ac304c575 -> 0d8c359bb4f1 (head), Sync with current models state`.
 * Throws {@link UserError} for a range without `:`, `current`, unknown revisions, and a range whose ends are
 * not on one line of descent.
 */
export function formatHistory(map: RevisionMap, opts: HistoryOptions = {}): string {
  return historyRevisions(map, opts.range)
    .map((r) => (opts.verbose ? logEntry(r) : headOnly(r, { branches: true, doc: true, parents: true })) + '\n')
    .join('');
}

/** {@link formatHistory} as JSON, same order. */
export function historyJson(map: RevisionMap, opts: HistoryOptions = {}): RevisionJson[] {
  return historyRevisions(map, opts.range).map(toJson);
}

/** Alembic `heads [--verbose] [--resolve-dependencies]`: e.g. `0d8c359bb4f1 (head)`, `a002 (effective head)`. */
export function formatHeads(map: RevisionMap, opts: HeadsOptions = {}): string {
  return headRevisions(map, opts)
    .map((r) => (opts.verbose ? logEntry(r) : headOnly(r, { branches: true, tree: false })) + '\n')
    .join('');
}

/** {@link formatHeads} as JSON. */
export function headsJson(map: RevisionMap, opts: HeadsOptions = {}): RevisionJson[] {
  return headRevisions(map, opts).map(toJson);
}

/**
 * Alembic `branches [--verbose]`: each branch point, newest first, then one ` -> child` line per child,
 * indented by the width of the revision id, and a blank line.
 */
export function formatBranches(map: RevisionMap, opts: { readonly verbose?: boolean } = {}): string {
  return branchPoints(map)
    .map((r) => {
      const head = opts.verbose ? logEntry(r) : headOnly(r, { branches: true });
      const children = r.children.map(
        (c) => `${' '.repeat(r.revision.length)} -> ${headOnly(map.get(c), { branches: true, doc: opts.verbose })}`,
      );
      return `${head}\n${children.join('\n')}\n\n`;
    })
    .join('');
}

/** {@link formatBranches} as JSON: the branch points (their `children` are the branches). */
export function branchesJson(map: RevisionMap): RevisionJson[] {
  return branchPoints(map).map(toJson);
}

/**
 * Alembic `show <rev>`: the verbose entry of each revision `rev` stands for (`heads` gives several, `base`
 * none). Throws {@link UserError} for unknown revisions and for `current` (there is no database offline).
 */
export function formatShow(map: RevisionMap, rev: string): string {
  return showRevisions(map, rev)
    .map((r) => logEntry(r) + '\n')
    .join('');
}

/** {@link formatShow} as JSON. */
export function showJson(map: RevisionMap, rev: string): RevisionJson[] {
  return showRevisions(map, rev).map(toJson);
}

function historyRevisions(map: RevisionMap, range: string | undefined): RevisionNode[] {
  let [base, head] = ['base', 'heads'];
  if (range !== undefined) {
    const parts = range.trim().split(':');
    if (parts.length !== 2) {
      throw new UserError(
        `History range requires [start]:[end], [start]:, or :[end] — ` +
          `e.g. 'sqlscribe history -r base:head', not '${range}'`,
      );
    }
    base = parts[0] || base;
    head = parts[1] || head;
  }
  if (base === 'current' || head === 'current') {
    throw new UserError(
      "history cannot use 'current' — sqlscribe has no database to read; name the revision the database is at",
    );
  }
  // Alembic `walk_revisions`: iterate_revisions(head, base, inclusive=True, assert_relative_length=False).
  try {
    const current = getRevisions(map, base).filter((r) => r !== BASE);
    const { needs, targets } = collectUpgrade(map, head, current, {
      implicitBase: false,
      inclusive: true,
      assertRelativeLength: false,
      lowerSpec: base,
    });
    return alembicOrder(map, needs, targets).map((i) => map.at(i));
  } catch (e) {
    if (e instanceof RangeNotAncestor) {
      throw new UserError(
        `Requested range ${base}:${head} does not refer to ancestor/descendant revisions along the same branch — ` +
          `put an ancestor first, e.g. 'base:${head}'`,
      );
    }
    throw e instanceof MultipleHeadsError ? new MultipleHeadsError(e.heads, head) : e;
  }
}

function headRevisions(map: RevisionMap, opts: HeadsOptions): RevisionNode[] {
  return (opts.resolveDependencies ? map.realHeads : map.heads).map((h) => map.get(h));
}

function branchPoints(map: RevisionMap): RevisionNode[] {
  return historyRevisions(map, undefined).filter((r) => r.isBranchPoint);
}

function showRevisions(map: RevisionMap, rev: string): RevisionNode[] {
  if (rev === 'current') {
    throw new UserError("show cannot use 'current' — sqlscribe has no database to read; name a revision");
  }
  return getRevisions(map, rev)
    .filter((r) => r !== BASE)
    .map((r) => map.at(r));
}

/** The migration message with surrounding blank space removed (Alembic `Script.longdoc`). */
function longdoc(r: RevisionNode): string {
  return r.message.trim();
}

/** Its first paragraph (Alembic `Script.doc`). */
function doc(r: RevisionNode): string {
  return longdoc(r).split('\n\n')[0]!;
}

/** Alembic `Script._format_down_revision`. */
function formatDown(r: RevisionNode): string {
  return r.down.length === 0 ? '<base>' : r.down.join(', ');
}

/** Alembic `Script._head_only`: one line, e.g. `xxx1 (aaa1) -> xxx2 (other) (head), Add mood value`. */
function headOnly(
  r: RevisionNode,
  o: { branches?: boolean; doc?: boolean; parents?: boolean; tree?: boolean },
): string {
  let text = r.revision;
  if (o.parents) {
    const deps = r.dependsOn.length > 0 ? ` (${r.dependsOn.join(', ')})` : '';
    text = `${formatDown(r)}${deps} -> ${text}`;
  }
  if (o.branches && r.labels.length > 0) text += ` (${r.labels.join(', ')})`;
  if (r.isRealHead) text += ' (head)';
  if (r.isHead && !r.isRealHead) text += ' (effective head)';
  if (o.tree !== false) {
    if (r.isBranchPoint) text += ' (branchpoint)';
    if (r.isMergePoint) text += ' (mergepoint)';
  }
  if (o.doc) text += `, ${doc(r)}`;
  return text;
}

/** Alembic `Script.log_entry`: the verbose block, ending with the indented message and a newline. */
function logEntry(r: RevisionNode): string {
  let entry =
    `Rev: ${r.revision}${r.isHead ? ' (head)' : ''}${r.isBranchPoint ? ' (branchpoint)' : ''}` +
    `${r.isMergePoint ? ' (mergepoint)' : ''}\n`;
  entry += r.isMergePoint ? `Merges: ${formatDown(r)}\n` : `Parent: ${formatDown(r)}\n`;
  if (r.dependsOn.length > 0) entry += `Also depends on: ${r.dependsOn.join(', ')}\n`;
  if (r.isBranchPoint) entry += `Branches into: ${r.children.join(', ')}\n`;
  if (r.labels.length > 0) entry += `Branch names: ${r.labels.join(', ')}\n`;
  entry += `Path: ${r.file}\n`;
  const text = longdoc(r);
  const lines = text === '' ? [] : text.split(/\r\n|\r|\n/);
  return `${entry}\n${lines.map((l) => `    ${l}`).join('\n')}\n`;
}

function toJson(r: RevisionNode): RevisionJson {
  return {
    revision: r.revision,
    down: r.down,
    dependsOn: r.dependsOn,
    branchLabels: r.labels,
    message: r.message,
    file: r.file,
    children: r.children,
    head: r.isRealHead,
    effectiveHead: r.isHead && !r.isRealHead,
    branchPoint: r.isBranchPoint,
    mergePoint: r.isMergePoint,
  };
}
