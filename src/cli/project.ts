/**
 * A project as one command sees it: the config, the loaded migrations and their revision map.
 */
import { readFileSync } from 'node:fs';
import { loadConfig, type Config, type ConfigFlags } from '../load/config.js';
import { loadMigrations, revisionInputOf, revisionOf, type LoadedMigration } from '../load/migrations.js';
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

/**
 * What the revision map is built from: one input per migration, in file order ({@link revisionInputOf}: a
 * cached migration's comes from the data cache's index, and no list is copied).
 */
export function revisionInputs(migrations: readonly LoadedMigration[]): RevisionInput[] {
  return migrations.map(revisionInputOf);
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
    for (const lm of this.migrations) yield [revisionOf(lm), lm];
  }

  *keys(): MapIterator<string> {
    for (const lm of this.migrations) yield revisionOf(lm);
  }

  *values(): MapIterator<LoadedMigration> {
    yield* this.migrations;
  }

  forEach(fn: (value: LoadedMigration, key: string, map: ReadonlyMap<string, LoadedMigration>) => void, thisArg?: unknown): void {
    for (const lm of this.migrations) fn.call(thisArg, lm, revisionOf(lm), this);
  }

  [Symbol.iterator](): MapIterator<[string, LoadedMigration]> {
    return this.entries();
  }
}

/**
 * Reads the config, loads every migration (through the transpile cache and the migration data cache in
 * `config.cacheDir`, see `../cache/migrations.ts`); `byRevision` and the revision map are built when first read.
 * @throws UserError for bad config or a bad migration file; reading `map`, for a bad graph.
 */
export function openProject(cwd: string, flags: ConfigFlags): Project {
  const config = loadConfig(cwd, flags);
  const evaluator = new ModuleEvaluator(config.cacheDir);
  const cache = new MigrationCache(config.cacheDir, config.migrations, toolFingerprint(VERSION, TRANSPILE_KEY));
  const migrations = loadMigrations(config.migrations, cwd, evaluator, cache);
  // Built on first use: a SQL command whose output the script cache holds needs neither.
  let map: RevisionMap | undefined;
  let byRevision: ByRevision | undefined;
  return {
    cwd,
    config,
    migrations,
    get map() {
      return (map ??= RevisionMap.build(revisionInputs(migrations)));
    },
    get byRevision() {
      return (byRevision ??= new ByRevision(this.map, migrations));
    },
  };
}
