/**
 * A project as one command sees it: the config, the loaded migrations and their revision map.
 */
import { readFileSync } from 'node:fs';
import { loadConfig, type Config, type ConfigFlags } from '../load/config.js';
import { loadMigrations, type LoadedMigration } from '../load/migrations.js';
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

/** What the revision map is built from: one input per migration, in file order. */
export function revisionInputs(migrations: readonly LoadedMigration[]): RevisionInput[] {
  return migrations.map(({ migration: m, file }) => ({
    revision: m.revision,
    down: m.down === null ? [] : typeof m.down === 'string' ? [m.down] : [...m.down],
    dependsOn: [...(m.dependsOn ?? [])],
    branchLabels: [...(m.branchLabels ?? [])],
    message: m.message,
    file,
  }));
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
  // Built on first use: a SQL command whose output the script cache holds needs neither (and reading a
  // migration's revision makes the data cache build its value).
  let byRevision: Map<string, LoadedMigration> | undefined;
  let map: RevisionMap | undefined;
  return {
    cwd,
    config,
    migrations,
    get byRevision() {
      return (byRevision ??= new Map(migrations.map((lm) => [lm.migration.revision, lm] as const)));
    },
    get map() {
      return (map ??= RevisionMap.build(revisionInputs(migrations)));
    },
  };
}
