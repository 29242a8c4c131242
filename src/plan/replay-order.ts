/**
 * The order in which to replay history onto the schema model before a script's first step.
 */
import { reach } from '../revision/graph.js';
import { alembicOrder } from '../revision/plan.js';
import type { RevisionMap } from '../revision/index.js';

/**
 * Every revision applied when the version table holds `start` (the start rows and all their ancestors,
 * through `down` and `dependsOn`), in the order `upgrade base:<start>` would apply them — so the model is
 * built exactly as the database was.
 */
export function ancestorsInOrder(map: RevisionMap, start: readonly string[]): string[] {
  const heads = start.map((id) => map.indexOf(id));
  const needs = reach(heads, map.normDownIdx);
  return alembicOrder(map, needs, heads)
    .reverse()
    .map((i) => map.at(i).revision);
}
