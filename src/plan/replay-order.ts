/**
 * The order in which to replay history onto the schema model before a script's first step.
 */
import { upgradeOrder, type RevisionMap } from '../revision/index.js';

/**
 * Every revision applied when the version table holds `start` (the start rows and all their ancestors,
 * through `down` and `dependsOn`), in the order `upgrade base:<start>` applies them — so the model is
 * built exactly as the database was.
 */
export function ancestorsInOrder(map: RevisionMap, start: readonly string[]): string[] {
  if (start.length === 0) return [];
  return upgradeOrder(map, start.join(','));
}
