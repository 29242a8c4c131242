/**
 * The revision graph of sqlscribe, with Alembic's semantics: building and checking the graph
 * ({@link RevisionMap}), resolving targets, planning `upgrade` / `downgrade` / `stamp` scripts with their
 * `alembic_version` bookkeeping, and the `history` / `heads` / `branches` / `show` listings.
 *
 * Input order matters: give {@link RevisionMap.build} the migrations sorted by file path (Alembic sorts file
 * names); it breaks every tie Alembic breaks by load order.
 *
 * Mirrors Alembic (1.8.1 as installed, checked against recorded runs in test/fixtures/alembic/), except:
 * - no `DROP TABLE alembic_version` when a script ends with no rows (Alembic >= 1.19, #1822);
 * - a merge whose parents are a revision and its own ancestor unmerges as Alembic 1.19 does;
 * - where Alembic orders rows through a Python set (a merge while other rows exist, an unmerge) the order is
 *   `normalizedDown` order: the last parent is UPDATEd, the others DELETEd / INSERTed;
 * - a range may start at `heads`, `branch@heads`, `branch@base`, a relative `REV-N`, or a list `a1b2,c3d4`
 *   (Alembic refuses these offline; its online mode plans from such rows the same way), and either side may
 *   be a comma-separated list (several targets, as Alembic's `stamp` and `get_revisions` take);
 * - duplicate ids and missing down revisions are errors (Alembic warns), ids may not contain `@ - + : ,`,
 *   `dependsOn` may also be a unique id prefix, and Kahn's algorithm finds every cycle;
 * - Alembic crashes become messages: a relative target past base, `label@-N` with no current head on the
 *   branch, walking down from base (Alembic jumps to the heads instead);
 * - messages start with Alembic's wording and then say what to type instead.
 */
export { RevisionMap } from './graph.js';
export type { RevisionInput, RevisionNode } from './graph.js';
export { planUpgrade, planDowngrade, planStamp, upgradeOrder } from './plan.js';
export type { Plan, Step, VersionOp } from './plan.js';
export { resolveRevision, MultipleHeadsError } from './resolve.js';
export {
  formatHistory,
  historyJson,
  formatHeads,
  headsJson,
  formatBranches,
  branchesJson,
  formatShow,
  showJson,
} from './listing.js';
export type { HistoryOptions, HeadsOptions, RevisionJson } from './listing.js';
