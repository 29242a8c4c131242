/**
 * A project as one command sees it: the config, the loaded migrations and their revision map.
 */
import { readFileSync } from 'node:fs';
import { loadConfig, type Config, type ConfigFlags } from '../load/config.js';
import { headOf, loadMigrations, type LoadedMigration } from '../load/migrations.js';
import { ModuleEvaluator, TRANSPILE_KEY } from '../load/modules.js';
import { MigrationCache, toolFingerprint } from '../cache/migrations.js';
import { RevisionMap, type RevisionInput } from '../revision/index.js';

/** sqlscribe's own package.json version. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The loaded state of a project. */
export interface Project {
  readonly cwd: string;
  readonly config: Config;
  readonly migrations: readonly LoadedMigration[];
  readonly byRevision: ReadonlyMap<string, LoadedMigration>;
  readonly map: RevisionMap;
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * What the revision map is built from: one input per migration, in file order. The lists are the
 * migrations' own (read-only) arrays, not copies; a cached migration's fields come from the data cache's
 * index ({@link headOf}), so no migration value is built for the map.
 */
export function revisionInputs(migrations: readonly LoadedMigration[]): RevisionInput[] {
  const out = new Array<RevisionInput>(migrations.length);
  for (let i = 0; i < migrations.length; i++) {
    const lm = migrations[i]!;
    const m = headOf(lm);
    const down = m.down;
    out[i] = {
      revision: m.revision,
      down: down === null ? NONE : typeof down === 'string' ? [down] : down,
      dependsOn: m.dependsOn ?? NONE,
      branchLabels: m.branchLabels ?? NONE,
      message: m.message,
      file: lm.file,
    };
  }
  return out;
}

/**
 * The migrations by revision id, read through the revision map's own index (the map is built from
 * {@link revisionInputs} of the same migrations, so its index i is migration i): no second map of every
 * revision. Iterates in file order.
 */
class ByRevision implements ReadonlyMap<string, LoadedMigration> {
  constructor(
    private readonly map: RevisionMap,
    private readonly migrations: readonly LoadedMigration[],
  ) {}

  get(id: string): LoadedMigration | undefined {
    const i = this.map.keys.get(id);
    return i !== undefined && this.map.idAt(i) === id ? this.migrations[i] : undefined;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  get size(): number {
    return this.migrations.length;
  }

  *entries(): MapIterator<[string, LoadedMigration]> {
    for (const lm of this.migrations) yield [headOf(lm).revision, lm];
  }

  *keys(): MapIterator<string> {
    for (const lm of this.migrations) yield headOf(lm).revision;
  }

  *values(): MapIterator<LoadedMigration> {
    yield* this.migrations;
  }

  forEach(fn: (value: LoadedMigration, key: string, map: ReadonlyMap<string, LoadedMigration>) => void, thisArg?: unknown): void {
    for (const lm of this.migrations) fn.call(thisArg, lm, headOf(lm).revision, this);
  }

  [Symbol.iterator](): MapIterator<[string, LoadedMigration]> {
    return this.entries();
  }
}

/**
 * Reads the config, loads every migration (through the transpile cache and the migration data cache in
 * `config.cacheDir`, see `../cache/migrations.ts`) and builds the revision map.
 * @throws UserError for bad config, a bad migration file, or a bad graph.
 */
export function openProject(cwd: string, flags: ConfigFlags): Project {
  const config = loadConfig(cwd, flags);
  const evaluator = new ModuleEvaluator(config.cacheDir);
  const cache = new MigrationCache(config.cacheDir, config.migrations, toolFingerprint(VERSION, TRANSPILE_KEY));
  const migrations = loadMigrations(config.migrations, cwd, evaluator, cache);
  const map = RevisionMap.build(revisionInputs(migrations));
  const byRevision = new ByRevision(map, migrations);
  return { cwd, config, migrations, byRevision, map };
}
