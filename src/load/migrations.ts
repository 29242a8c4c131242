/**
 * Finds and loads migration files: fast-glob over each configured folder for `**\/*.ts` (not `*.d.ts`,
 * not files or folders whose name starts with `_` or `.`, which are free for shared helpers), sorted by
 * path — Alembic also loads version files in sorted file-name order, which orders sibling branches.
 * Each file's default export must be a `migration({...})`; anything else is an error naming the file,
 * as Alembic refuses a version file without a `revision` variable.
 *
 * With a migration data cache (`../cache/migrations.ts`), a warm load neither globs (the folders' stats are
 * the recorded ones), nor reads or hashes a file whose stat is the recorded one, nor evaluates a pure-data
 * file the cache holds; the op lists of such a migration are parsed when first used.
 */
import { readFileSync, existsSync, statSync, type BigIntStats } from 'node:fs';
import { relative, sep } from 'node:path';
import { createRequire } from 'node:module';
import type FastGlob from 'fast-glob';
import { UserError, SiteError } from '../errors.js';
import { migration as checkMigration } from '../ops/builders.js';
import { OP_KINDS, type Migration, type Op } from '../ops/types.js';
import type { MigrationCache } from '../cache/migrations.js';
import { revisionInput, type RevisionInput } from '../revision/graph.js';
import { collectGarbage, LARGE_LOAD, ModuleEvaluator, sha256 } from './modules.js';

/** A migration file, loaded and checked. */
export interface LoadedMigration {
  /** The file's path relative to the working directory (for messages and headers). */
  readonly file: string;
  readonly absoluteFile: string;
  /** SHA-256 of the file's bytes, hex. */
  readonly sha256: string;
  readonly migration: Migration;
  /**
   * Set when `migration` is a function of the file's bytes alone (a pure-data file, see
   * `../cache/migrations.ts`): the file's SHA-256. Caches of compiled output key on it; absent, they are
   * not used for anything that depends on this migration.
   */
  readonly dataKey?: string;
  /**
   * The migration's revision map input when the data cache gave its fields without building `migration`
   * (whose value is then built on first use); read it with {@link revisionInputOf} / {@link revisionOf}.
   */
  readonly input?: RevisionInput;
}

/**
 * What the revision map is built from for a loaded migration: `input` when the data cache gave it, else made
 * from `migration` (its own read-only lists, not copies). A warm run so builds no migration value for the map.
 */
export function revisionInputOf(lm: LoadedMigration): RevisionInput {
  if (lm.input) return lm.input;
  const m = lm.migration;
  return revisionInput(m.revision, m.down, m.dependsOn, m.branchLabels, m.message, lm.file);
}

/** A loaded migration's revision id (without building a cached migration's value). */
export function revisionOf(lm: LoadedMigration): string {
  return lm.input?.revision ?? lm.migration.revision;
}

const KNOWN_OPS = new Set<string>(OP_KINDS);
const STAT_OPTIONS = { bigint: true, throwIfNoEntry: false } as const;

/**
 * fast-glob, loaded when a folder must be listed: a warm run whose folders are unchanged never lists them
 * (`../cache/migrations.ts`) and does not pay for loading it (~7 ms). Like Sucrase (`./modules.ts`), the
 * bundle leaves it to node_modules.
 */
let fastGlob: typeof FastGlob | undefined;
const fg = (): typeof FastGlob => (fastGlob ??= createRequire(import.meta.url)('fast-glob') as typeof FastGlob);

/** Lists the migration files of the folders, sorted by path relative to `cwd`, without duplicates. */
export function findMigrationFiles(dirs: readonly string[], cwd: string): string[] {
  return listMigrationFiles(dirs, cwd).files;
}

/**
 * {@link findMigrationFiles}, with every folder the glob walked (the given ones and their subfolders that
 * are not ignored), each with its stat taken after the walk (for the listing cache of `../cache/migrations.ts`).
 */
function listMigrationFiles(dirs: readonly string[], cwd: string): { files: string[]; walked: { dir: string; stat: BigIntStats }[] } {
  const files = new Set<string>();
  const walked: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new UserError(`migrations folder ${relative(cwd, dir) || '.'} does not exist — create it, run 'sqlscribe init', or pass --migrations DIR`);
    }
    walked.push(dir);
    // One walk for files and folders: '**' with the ignores of the glob '**/*.{ts,mts,cts}'.
    for (const f of fg().sync('**', { cwd: dir, absolute: true, onlyFiles: false, markDirectories: true, ignore: ['**/*.d.ts', '**/_*', '**/_*/**', '**/node_modules/**'], dot: false })) {
      if (f.endsWith('/')) walked.push(f.slice(0, -1));
      else if (/\.[mc]?ts$/.test(f)) files.add(f);
    }
  }
  const sorted = [...files]
    .map((f) => [relative(cwd, f), f] as const)
    .sort(([ra], [rb]) => (ra < rb ? -1 : ra > rb ? 1 : 0))
    .map(([, f]) => f);
  return { files: sorted, walked: walked.map((dir) => ({ dir, stat: statSync(dir, { bigint: true }) })) };
}

/**
 * Loads every migration of the folders.
 * @throws UserError naming the file: a syntax error, an exception while it runs, a default export that is
 *   not a migration, an op of unknown kind. Graph errors (duplicate ids, missing parents) are the
 *   revision map's to report.
 */
export function loadMigrations(dirs: readonly string[], cwd: string, evaluator: ModuleEvaluator, cache?: MigrationCache): LoadedMigration[] {
  const stat = (p: string): BigIntStats | undefined => statSync(p, STAT_OPTIONS);
  const read = (list: readonly string[]) =>
    list.map((abs) => {
      const st = stat(abs);
      if (!st?.isFile()) return undefined;
      const known = cache?.hashOf(abs, st);
      if (known) return { abs, hash: known, bytes: undefined };
      const bytes = readFileSync(abs);
      const hash = sha256(bytes);
      cache?.recordHash(abs, st, hash);
      return { abs, bytes, hash };
    });
  // The listing of the last run when no folder changed since (../cache/migrations.ts), else the glob's.
  let files = cache ? read(cache.listing(cwd, stat) ?? []) : [];
  if (files.length === 0 || files.some((f) => f === undefined)) {
    const listed = listMigrationFiles(dirs, cwd);
    cache?.recordListing(cwd, listed.walked);
    files = read(listed.files);
  }
  const found = files.filter((f): f is NonNullable<typeof f> => f !== undefined);
  // A cached entry found unusable when its ops are first needed: the file is evaluated instead.
  const fallback = (f: (typeof found)[number]) => () => loadMigrationFile(f.abs, cwd, evaluator, undefined, { bytes: bytesOf(f.abs, f.bytes, f.hash, cwd), hash: f.hash }).migration;
  const loaded = found.map((f) => loadMigrationFile(f.abs, cwd, evaluator, cache, f, fallback(f)));
  evaluator.release();
  cache?.save();
  // A cold load of thousands of files leaves their transpiling's garbage: collected once, before the compile.
  if (evaluator.transpiled >= LARGE_LOAD) collectGarbage();
  return loaded;
}

/**
 * Loads and checks one migration file (see {@link loadMigrations}). With a `cache`, a file whose bytes
 * hash to a cached entry is not evaluated (the entry is the value evaluating it gave, see
 * `../cache/migrations.ts`); a pure-data file that is evaluated is recorded there.
 */
export function loadMigrationFile(
  abs: string,
  cwd: string,
  evaluator: ModuleEvaluator,
  cache?: MigrationCache,
  read: { bytes?: Buffer | undefined; hash: string } = { hash: '' },
  fallback?: () => Migration,
): LoadedMigration {
  const file = relativeTo(cwd, abs);
  const hash = read.hash || sha256(read.bytes ?? readFileSync(abs));
  const input = fallback && cache?.input(hash, file);
  if (input) return new CachedMigrationFile(file, abs, hash, input, cache!, fallback);
  const bytes = bytesOf(abs, read.bytes, hash, cwd);
  const exported = evaluator.evaluate(abs, bytes.toString('utf8'), { hash, label: file, deferCache: true }) as { default?: unknown } | undefined;
  const value = exported?.default;
  if (value === undefined) {
    throw new UserError(`${file}: not a migration: it has no default export — write 'export default migration({ revision, down, message, upgrade })', or move helper files to a name starting with '_'`);
  }
  let m: Migration;
  try {
    m = (value as { kind?: unknown }).kind === 'migration' ? (value as Migration) : checkMigration(value as never);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${file}: not a migration: ${err.message}`);
    throw err;
  }
  for (const list of ['upgrade', 'downgrade'] as const) {
    (m[list] ?? []).forEach((o: Op, i) => {
      if (!KNOWN_OPS.has(o.kind)) {
        throw new SiteError({ file, revision: m.revision, list, opIndex: i + 1 }, `unknown op '${String(o.kind)}' — build ops with op.*(...) (${OP_KINDS.join(', ')})`);
      }
    });
  }
  const pure = cache !== undefined && evaluator.isPure(abs) && cache.put(hash, m);
  if (!pure) evaluator.persistTranspiled(hash);
  return { file, absoluteFile: abs, sha256: hash, migration: m, ...(pure ? { dataKey: hash } : {}) };
}

/**
 * A migration of the data cache: its revision fields come from the cache's index, its value is built on
 * first use of `migration` (most of a warm run's migrations only shape the revision map). One object per
 * file, no closure.
 */
class CachedMigrationFile implements LoadedMigration {
  readonly dataKey: string;
  private value: Migration | undefined;

  constructor(
    readonly file: string,
    readonly absoluteFile: string,
    readonly sha256: string,
    readonly input: RevisionInput,
    private readonly cache: MigrationCache,
    private readonly fallback: () => Migration,
  ) {
    this.dataKey = sha256;
    this.value = undefined;
  }

  get migration(): Migration {
    return (this.value ??= this.cache.get(this.sha256, this.fallback) ?? this.fallback());
  }
}

/**
 * The bytes of a file whose hash the stat fast path gave: read now, and refused if they no longer hash to it
 * (the file changed while this run was loading it).
 */
function bytesOf(abs: string, bytes: Buffer | undefined, hash: string, cwd: string): Buffer {
  if (bytes) return bytes;
  const now = readFileSync(abs);
  if (sha256(now) !== hash) throw new UserError(`${relative(cwd, abs) || abs}: the file changed while sqlscribe was loading it — run the command again`);
  return now;
}

/** `relative(cwd, abs) || abs`, without path.relative's work for the usual case of a file under `cwd`. */
function relativeTo(cwd: string, abs: string): string {
  return abs.length > cwd.length + 1 && abs.startsWith(cwd) && abs[cwd.length] === sep && !cwd.endsWith(sep) ? abs.slice(cwd.length + 1) : relative(cwd, abs) || abs;
}
