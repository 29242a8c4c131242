/**
 * The migration data cache: the evaluated `Migration` of each pure-data migration file, as JSON, so that a
 * warm run reads one file and parses it instead of transpiling and evaluating thousands of modules.
 *
 * - One file per set of migration folders: `<cacheDir>/data/<sha256 of the folder list>.json`. Its first line
 *   is a header `{"format":1,"tool":<fingerprint>,"bytes":<length of the body>}`, the rest the body
 *   `{"<sha256 of a file's bytes>": <its Migration>, ...}`.
 * - Entries are keyed by the SHA-256 of the migration file's bytes, and the whole file by the tool's
 *   fingerprint ({@link toolFingerprint}: the package version, esbuild's version and the bytes of sqlscribe's
 *   own compiled code). Editing a migration changes its key; a new build of sqlscribe discards the file.
 *   A stale entry is never used: nothing else keys it.
 * - A file that does not parse, has another header, or a body of another length is ignored (as if empty) and
 *   rewritten; so is an entry that is not a migration. The cache only ever costs a re-evaluation.
 * - Only a module whose value depends on its text alone is cached (see `ModuleEvaluator.isPure`), and only a
 *   value that survives JSON exactly ({@link exactJson}): plain objects and arrays, each referenced once,
 *   strings, booleans, null and finite numbers other than -0.
 * - Written atomically (a temporary file, then a rename), holding only the entries of the run that wrote it;
 *   a read-only or full folder only costs speed. The whole folder is always safe to delete.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Migration } from '../ops/types.js';

const FORMAT = 1;

let fingerprint: string | undefined;

/**
 * The identity of the running tool for cache keys: SHA-256 over `version`, `extra` and the bytes of every
 * `.js` file of sqlscribe's compiled `src/` tree (so a rebuild with changed builders never reads data an
 * older build produced, even at the same package version). Computed once per process (~1 ms).
 */
export function toolFingerprint(version: string, extra: string): string {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256').update(`${version}\0${extra}\0`);
  const root = fileURLToPath(new URL('..', import.meta.url));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js')) hash.update(`${full.slice(root.length)}\0`).update(readFileSync(full));
    }
  };
  walk(root);
  fingerprint = hash.digest('hex');
  return fingerprint;
}

/**
 * Whether `value` comes back from `JSON.parse(JSON.stringify(value))` as an equal value of the same shape:
 * plain objects (prototype `Object.prototype` or null, no symbol keys, no accessors, no `undefined` values)
 * and arrays (no holes), each object referenced once, strings, booleans, null, finite numbers but not -0.
 */
export function exactJson(value: unknown, seen = new Set<object>()): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (seen.has(value)) return false;
      seen.add(value);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !exactJson(value[i], seen)) return false;
        return Object.keys(value).length === value.length;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      if (Object.getOwnPropertySymbols(value).length > 0) return false;
      const descriptors = Object.getOwnPropertyDescriptors(value);
      for (const key of Object.keys(descriptors)) {
        const d = descriptors[key]!;
        if (!('value' in d) || !d.enumerable || d.value === undefined || !exactJson(d.value, seen)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

function freezeDeep<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) freezeDeep(v);
    Object.freeze(value);
  }
  return value;
}

/** The evaluated migrations of one set of folders, by content hash. One instance per command run. */
export class MigrationCache {
  readonly #file: string | undefined;
  readonly #tool: string;
  /** Entries read from disk, not yet parsed into frozen values. */
  #stored: Record<string, unknown> = {};
  /** Entries of this run, by hash: what the next write holds. */
  readonly #used = new Map<string, Migration>();
  #dirty = false;

  /**
   * @param cacheDir the cache folder, or undefined for no cache (every lookup misses, nothing is written)
   * @param folders the absolute migration folders of the run (they name the cache file)
   * @param tool the tool fingerprint ({@link toolFingerprint})
   */
  constructor(cacheDir: string | undefined, folders: readonly string[], tool: string) {
    this.#tool = tool;
    this.#file = cacheDir ? join(cacheDir, 'data', `${createHash('sha256').update(folders.join('\0')).digest('hex').slice(0, 32)}.json`) : undefined;
    if (this.#file) this.#stored = read(this.#file, tool);
  }

  /** The cached migration of a file whose bytes hash to `hash`, frozen as the builders freeze it; or undefined. */
  get(hash: string): Migration | undefined {
    const had = this.#used.get(hash);
    if (had) return had;
    const raw = this.#stored[hash];
    if (!isMigrationShape(raw)) {
      if (raw !== undefined) this.#dirty = true;
      return undefined;
    }
    const m = freezeDeep(raw) as Migration;
    this.#used.set(hash, m);
    return m;
  }

  /**
   * Records the migration evaluated from a file whose bytes hash to `hash`, when it is {@link exactJson}.
   * @returns whether it was recorded (false without a cache folder)
   */
  put(hash: string, migration: Migration): boolean {
    if (!this.#file || !exactJson(migration)) return false;
    this.#used.set(hash, migration);
    this.#dirty = true;
    return true;
  }

  /** Writes the entries of this run, when they differ from what was read. Never throws. */
  save(): void {
    if (!this.#file) return;
    if (!this.#dirty && this.#used.size === Object.keys(this.#stored).length) return;
    const body = JSON.stringify(Object.fromEntries(this.#used));
    const text = `${JSON.stringify({ format: FORMAT, tool: this.#tool, bytes: Buffer.byteLength(body) })}\n${body}`;
    const tmp = `${this.#file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.#file), { recursive: true });
      writeFileSync(tmp, text);
      renameSync(tmp, this.#file);
    } catch {
      rmSync(tmp, { force: true });
    }
  }
}

/** The body of a cache file, or `{}` when it is missing, corrupt, or of another tool. */
function read(file: string, tool: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const nl = text.indexOf('\n');
  if (nl < 0) return {};
  try {
    const header = JSON.parse(text.slice(0, nl)) as { format?: unknown; tool?: unknown; bytes?: unknown };
    const body = text.slice(nl + 1);
    if (header.format !== FORMAT || header.tool !== tool || header.bytes !== Buffer.byteLength(body)) return {};
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function isMigrationShape(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return m.kind === 'migration' && typeof m.revision === 'string' && typeof m.message === 'string' && Array.isArray(m.upgrade);
}
