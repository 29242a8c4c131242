/**
 * The migration data cache: the evaluated `Migration` of each pure-data migration file, and what a warm run
 * needs to find and identify the files without reading them, so that a warm run reads one file and parses
 * only its small index instead of listing, reading, hashing, transpiling and evaluating thousands of files.
 *
 * - One file per set of migration folders: `<cacheDir>/data/<sha256 of the folder list>.json`, three parts:
 *   1. a header line `{"format":3,"tool":<fingerprint>,"index":<bytes>,"indexSha":<sha256>,"body":<bytes>}`;
 *   2. the index line: `{"cwd":<the working folder the files are sorted from>, "dirs":{<abs folder>:"<mtime ns>:<ctime ns>:<ino>"} or null, "files":[[<abs file>,
 *      "<size>:<mtime ns>:<ctime ns>:<ino>", <sha256>], ...] in the loader's order, "shapes":[<key orders>],
 *      "entries":[[<sha256 of a file's bytes>, offset, length, sha256 of the entry text (16 hex), <its key
 *      order: an index into shapes>, <the values of the migration but its op lists, in that key order>...],
 *      ...] in the order the run that wrote it first used them (the loader's file order)}` — flat rows, which JSON.parse reads some 3 times faster than an object
 *      per migration;
 *   3. the body: the JSON text of each entry's whole `Migration`, back to back, at the offsets of the index.
 * - Entries are keyed by the SHA-256 of the migration file's bytes, and the whole file by the tool's
 *   fingerprint ({@link toolFingerprint}: the package version, the transpiler's version and the bytes of sqlscribe's
 *   own compiled code). Editing a migration changes its key; a new build of sqlscribe discards the file.
 *   A stale entry is never used: nothing else keys it.
 * - The stat fast path, as git's index: a file whose (size, mtime ns, ctime ns, inode) are those recorded is
 *   taken to hash to the recorded SHA-256 without being read; a folder whose (mtime ns, ctime ns, inode) are
 *   those recorded is taken to list the same entries (a directory's mtime changes when an entry is added,
 *   removed or renamed in it), so the glob is not run when no recorded folder changed. "Racily clean"
 *   entries are not recorded: a file or folder changed less than {@link RACY_MS} ms before the index was
 *   built (its timestamp could be shared by a later change) is read or listed again next time.
 * - A warm run reads and parses the header and the index only (the body is read when an entry's op lists are
 *   first needed, and is then checked to still be the body of that index: same header line and length); the migrations it returns ({@link MigrationCache.get}) hold their
 *   revision, down revision, message, branch labels, dependencies and `transactional` flag as values, and
 *   their op lists (`upgrade`, `downgrade`, `assumes`) as getters that parse the entry's body text on first
 *   use — so planning from cached steps never parses an op (`history`, `upgrade head-1:head`).
 * - Corruption: a file whose header does not parse, names another format or tool, or whose index does not
 *   match its length and SHA-256 is ignored (as if empty) and rewritten. An entry whose body text does not
 *   match its SHA-256, does not parse, is not a migration, holds an op of unknown kind or disagrees with its
 *   index values is not used: the file is evaluated instead (the loader's fallback) and the entry rewritten.
 *   The cache only ever costs a re-evaluation.
 * - Only a module whose value depends on its text alone is cached (see `ModuleEvaluator.isPure`), and only a
 *   value that survives JSON exactly ({@link exactJson}): plain objects and arrays, each referenced once,
 *   strings, booleans, null and finite numbers other than -0.
 * - Written atomically (a temporary file, then a rename), holding only the entries and files of the run that
 *   wrote it, and only when something changed; a read-only or full folder only costs speed. The whole folder
 *   is always safe to delete.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync, readdirSync, type BigIntStats } from 'node:fs';
import { writeCacheFile } from '../io/atomic.js';
import { isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OP_KINDS, type Migration } from '../ops/types.js';
import { revisionInput, type RevisionInput } from '../revision/graph.js';

const FORMAT = 3;

/** A file or folder changed less than this long before the index is built is not recorded ("racily clean"). */
export const RACY_MS = 3000;

const OP_LISTS = ['upgrade', 'downgrade', 'assumes'] as const;
const KNOWN_OPS = new Set<string>(OP_KINDS);

let fingerprint: string | undefined;

/**
 * The identity of the running tool for cache keys: SHA-256 over `version`, `extra` and the bytes of the
 * running code — the bundle (`dist/src/bundle/main.cjs`, which the `bin` runs) alone when running from it, since it holds
 * all of sqlscribe's code; otherwise every `.js` file of sqlscribe's compiled `src/` tree (so a rebuild with
 * changed builders never reads data an older build produced, even at the same package version). Computed once
 * per process (a few ms for the bundle; ~30 ms for the tree).
 */
export function toolFingerprint(version: string, extra: string): string {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256').update(`${version}\0${extra}\0`);
  const self = fileURLToPath(import.meta.url);
  if (/[\\/]bundle[\\/]main\.cjs$/.test(self)) {
    hash.update('bundle\0').update(readFileSync(self));
    fingerprint = hash.digest('hex');
    return fingerprint;
  }
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

/** The identity of a file (`size:mtime ns:ctime ns:inode`) or folder (no size) for the stat fast path. */
type StatKey = string;

/**
 * An entry of the index: the SHA-256 of the file's bytes, where its body text is, its digest, its key order
 * (an index into `Index.shapes`), then the migration's values but its op lists, in that key order.
 */
type IndexEntry = [hash: string, offset: number, length: number, digest: string, shape: number, ...values: unknown[]];

/** Where a row of one key order holds each value, and whether the order is a migration's. */
interface ShapeInfo {
  readonly keys: readonly string[];
  /** The keys but the op lists, in order: the values of a row from {@link VALUES}. */
  readonly meta: readonly string[];
  /** Position in a row of each key of {@link ShapeInfo.meta}. */
  readonly pos: ReadonlyMap<string, number>;
  /** Has `kind`, `revision`, `message`, `down` and `upgrade`. */
  readonly ok: boolean;
  /** Positions in a row of the revision fields (-1: absent). */
  readonly at: { readonly kind: number; readonly revision: number; readonly message: number; readonly down: number; readonly dependsOn: number; readonly branchLabels: number };
}

/** Position of the first value in an {@link IndexEntry}. */
const VALUES = 5;

function shapeInfo(keys: readonly string[]): ShapeInfo {
  const meta = keys.filter((k) => !(OP_LISTS as readonly string[]).includes(k));
  const pos = new Map(meta.map((k, i) => [k, VALUES + i] as const));
  const at = (k: string): number => pos.get(k) ?? -1;
  return {
    keys,
    meta,
    pos,
    ok: ['kind', 'revision', 'message', 'down'].every((k) => pos.has(k)) && keys.includes('upgrade'),
    at: { kind: at('kind'), revision: at('revision'), message: at('message'), down: at('down'), dependsOn: at('dependsOn'), branchLabels: at('branchLabels') },
  };
}

/**
 * A file of the last run, in the loader's order: its path (on disk relative to the index's `cwd` when under
 * it, else absolute), stat key and SHA-256 ('' and '' when racily clean).
 */
type FileRow = [path: string, key: StatKey, sha256: string];

interface Index {
  /** The working folder of the last listing (the files are in the order of their paths relative to it). */
  cwd: string;
  /** The folders the last listing walked (null: the listing is not recorded). */
  dirs: Record<string, StatKey> | null;
  files: FileRow[];
  /** The key orders of the migrations, each once. */
  shapes: string[][];
  entries: IndexEntry[];
}

const emptyIndex = (): Index => ({ cwd: '', dirs: null, files: [], shapes: [], entries: [] });
const digest = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * The evaluated migrations of one set of folders, by content hash, with the stat fast path for the files
 * (module comment). One instance per command run.
 */
export class MigrationCache {
  readonly #file: string | undefined;
  readonly #tool: string;
  /** What was read from disk (an empty index when nothing usable was). */
  #index: Index = emptyIndex();
  /** The body: read from the file when an entry's text is first needed (a warm run that compiles nothing new never reads it). */
  #body: Body = new Body(0, Buffer.alloc(0));
  /** How many entries the index read holds. */
  #stored = 0;
  /** Entries of this run, by hash: a stored entry (its body text is copied on save) or a new migration. */
  readonly #used = new Map<string, { stored: IndexEntry } | { migration: Migration }>();
  /** The index's key orders, checked (made on first use). */
  #shapes: (ShapeInfo | undefined)[] = [];
  /** Full migrations parsed from the body, by hash (undefined: the entry is unusable). */
  readonly #parsed = new Map<string, Migration | undefined>();
  /** Lazy migrations handed out, by hash. */
  readonly #lazy = new Map<string, Migration>();
  /** The stat facts of the last run, by path (made on first use). */
  #known: Map<string, FileRow> | undefined;
  /** The absolute paths of the index's file rows (made on first use). */
  #paths: string[] | undefined;
  /** The first rows of the index, matched by {@link hashOf} in order, before anything else was recorded. */
  #inOrder = 0;
  /** The index entry {@link #entry} looks at first. */
  #nextEntry = 0;
  /** The index's entries by hash, made when {@link #entry} first misses. */
  #byHash: Map<string, number> | undefined;
  /** The index row {@link hashOf} looks at first. */
  #cursor = 0;
  /** The stat facts of this run, for the next index. */
  #dirs: Record<string, StatKey> | null = null;
  #cwd = '';
  /** The files of this run by path, once they are not simply the index's first {@link #inOrder} rows. */
  #files: Map<string, FileRow> | undefined;
  /** `Date.now()` less {@link RACY_MS}, in ns: a later mtime or ctime is racily clean. */
  readonly #racy = BigInt(Date.now() - RACY_MS) * 1_000_000n;
  #dirty = false;

  /**
   * @param cacheDir the cache folder, or undefined for no cache (every lookup misses, nothing is written)
   * @param folders the absolute migration folders of the run (they name the cache file)
   * @param tool the tool fingerprint ({@link toolFingerprint})
   */
  constructor(cacheDir: string | undefined, folders: readonly string[], tool: string) {
    this.#tool = tool;
    this.#file = cacheDir ? join(cacheDir, 'data', `${createHash('sha256').update(folders.join('\0')).digest('hex').slice(0, 32)}.json`) : undefined;
    if (this.#file) {
      const read = readCacheFile(this.#file, tool);
      if (read) {
        [this.#index, this.#body] = read;
        this.#stored = this.#index.entries.length;
      } else this.#dirty = true;
    }
  }

  /**
   * The files of the last listing, when every folder it walked still has the recorded (mtime, ctime,
   * inode); else undefined (list them again and give the result to {@link recordListing}).
   */
  listing(cwd: string, stat: (dir: string) => BigIntStats | undefined): string[] | undefined {
    const { dirs } = this.#index;
    this.#cwd = cwd;
    if (!dirs || this.#index.cwd !== cwd) return undefined;
    for (const [dir, key] of Object.entries(dirs)) {
      const st = stat(dir);
      if (!st || this.#key(st, false) !== key) return undefined;
    }
    const paths = this.#pathsOf();
    if (paths.includes('')) return undefined;
    this.#dirs = dirs;
    return paths;
  }

  /** The absolute path of each file row of the index ('' for a malformed row). */
  #pathsOf(): string[] {
    if (this.#paths) return this.#paths;
    const base = this.#index.cwd + sep;
    const rows = this.#index.files;
    const paths = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const p = Array.isArray(r) && r.length === 3 && typeof r[0] === 'string' && typeof r[1] === 'string' && typeof r[2] === 'string' ? r[0] : '';
      paths[i] = p === '' || isAbsolute(p) ? p : base + p;
    }
    return (this.#paths = paths);
  }

  /** Records a file of this run (leaving the in-order shortcut of {@link hashOf}). */
  #record(abs: string, row: FileRow): void {
    if (!this.#files) {
      this.#files = new Map();
      const paths = this.#pathsOf();
      for (let i = 0; i < this.#inOrder; i++) this.#files.set(paths[i]!, this.#index.files[i]!);
    }
    this.#files.set(abs, row);
  }

  /**
   * Records a fresh listing: the folders walked, with their stats taken after the walk (a racily clean one
   * leaves the listing unrecorded). The files are recorded, in order, by {@link hashOf} / {@link recordHash}.
   */
  recordListing(cwd: string, dirs: readonly { dir: string; stat: BigIntStats }[]): void {
    this.#dirty = true;
    this.#cwd = cwd;
    this.#files = new Map();
    this.#inOrder = 0;
    this.#cursor = 0;
    const keys: Record<string, StatKey> = {};
    for (const { dir, stat } of dirs) {
      const key = this.#key(stat, false);
      if (key === undefined) {
        this.#dirs = null;
        return;
      }
      keys[dir] = key;
    }
    this.#dirs = keys;
  }

  /** The SHA-256 of file `abs` when its stat is the recorded one (it is then not read), else undefined. */
  hashOf(abs: string, st: BigIntStats): string | undefined {
    // The loader asks in the order of the last listing, which is the index's: the next row is the usual match.
    const rows = this.#index.files;
    const paths = this.#pathsOf();
    let had: FileRow | undefined;
    let next = false;
    if (paths[this.#cursor] === abs) {
      had = rows[this.#cursor++];
      next = !this.#files && this.#cursor - 1 === this.#inOrder;
    } else {
      if (!this.#known) {
        this.#known = new Map();
        for (let i = 0; i < rows.length; i++) if (paths[i] !== '') this.#known.set(paths[i]!, rows[i]!);
      }
      had = this.#known.get(abs);
    }
    if (had && had[1] !== '' && had[1] === this.#key(st, true)) {
      if (next) this.#inOrder++;
      else this.#record(abs, had);
      return had[2];
    }
    return undefined;
  }

  /** Records the SHA-256 of a file that was read, under its stat (without, when racily clean). */
  recordHash(abs: string, st: BigIntStats, hash: string): void {
    const key = this.#key(st, true);
    this.#record(abs, key === undefined ? [abs, '', ''] : [abs, key, hash]);
    this.#dirty = true;
  }

  /** The stat key of a file (with its size) or folder, or undefined when it is racily clean. */
  #key(st: BigIntStats, withSize: boolean): StatKey | undefined {
    const { mtimeNs, ctimeNs } = st;
    if (mtimeNs > this.#racy || ctimeNs > this.#racy) return undefined;
    const m = String(mtimeNs);
    return `${withSize ? `${st.size}:` : ''}${m}:${ctimeNs === mtimeNs ? m : ctimeNs}:${st.ino}`;
  }

  /**
   * The revision map input of file `file` (its path for messages) whose bytes hash to `hash`, from the cached
   * migration's revision, down revision, dependencies, branch labels and message as the index holds them
   * (read-only: not copied, not frozen) — or undefined when there is no usable entry. Builds no migration
   * value: what a warm run needs for the revision map of 10,000 migrations; {@link get} builds the value of
   * the few a compile uses. Marks the entry used (kept by {@link save}).
   */
  input(hash: string, file: string): RevisionInput | undefined {
    const used = this.#used.get(hash);
    if (used && 'migration' in used) return inputOf(used.migration, file);
    const entry = used ? used.stored : this.#entry(hash);
    const info = entry && this.#usable(entry);
    const input = info && rowInput(entry, info, file);
    if (!input) {
      if (entry !== undefined) this.#dirty = true;
      return undefined;
    }
    if (!used) this.#used.set(hash, { stored: entry });
    return input;
  }

  /**
   * The index's entry of `hash`, if any. The entries are in the order the loader asked for them last time
   * ({@link save}), so the entry after the last one found is the usual match; else a map of them, made once.
   */
  #entry(hash: string): IndexEntry | undefined {
    const entries = this.#index.entries;
    const next = entries[this.#nextEntry];
    if (Array.isArray(next) && next[0] === hash) {
      this.#nextEntry++;
      return next;
    }
    if (!this.#byHash) {
      this.#byHash = new Map();
      entries.forEach((e, i) => Array.isArray(e) && typeof e[0] === 'string' && this.#byHash!.set(e[0], i));
    }
    const i = this.#byHash.get(hash);
    if (i === undefined) return undefined;
    this.#nextEntry = i + 1;
    return entries[i];
  }

  /** The checked key order of a shape id, or undefined. */
  #shape(id: unknown): ShapeInfo | undefined {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= this.#index.shapes.length) return undefined;
    return (this.#shapes[id] ??= shapeInfo(this.#index.shapes[id]!));
  }

  /** The key order of an entry that has a migration's shape and fits in the body, or undefined. */
  #usable(e: IndexEntry): ShapeInfo | undefined {
    const info = this.#shape(e[4]);
    if (!info?.ok || e.length !== VALUES + info.meta.length) return undefined;
    const [, o, l, sum] = e;
    if (typeof o !== 'number' || typeof l !== 'number' || o < 0 || l < 0 || o + l > this.#body.length || typeof sum !== 'string') return undefined;
    return e[info.at.kind] === 'migration' && typeof e[info.at.revision] === 'string' && typeof e[info.at.message] === 'string' ? info : undefined;
  }

  /**
   * The cached migration of a file whose bytes hash to `hash`, or undefined. Its op lists are parsed on
   * first use; if the entry turns out unusable then (module comment), `fallback` evaluates the file instead
   * and its value is used and stored.
   */
  get(hash: string, fallback: () => Migration): Migration | undefined {
    const lazy = this.#lazy.get(hash);
    if (lazy) return lazy;
    const used = this.#used.get(hash);
    if (used && 'migration' in used) return used.migration;
    const entry = used && 'stored' in used ? used.stored : this.#entry(hash);
    const info = entry && this.#usable(entry);
    if (!entry || !info) {
      if (entry !== undefined) this.#dirty = true;
      return undefined;
    }
    let full: Migration | undefined;
    const load = (): Migration => {
      if (full) return full;
      full = this.#parse(hash);
      if (!full) {
        full = fallback();
        this.put(hash, full);
        this.save();
      }
      return full;
    };
    const m: Record<string, unknown> = {};
    for (const key of info.keys) {
      if (key === 'upgrade' || key === 'downgrade' || key === 'assumes') Object.defineProperty(m, key, { enumerable: true, get: () => load()[key] });
      else {
        const v = entry[info.pos.get(key)!];
        m[key] = typeof v === 'object' && v !== null ? freezeDeep(v) : v;
      }
    }
    const value = Object.freeze(m) as unknown as Migration;
    this.#lazy.set(hash, value);
    if (!used) this.#used.set(hash, { stored: entry });
    return value;
  }

  /**
   * The whole migration of a stored entry, checked (module comment), or undefined when unusable. The entry
   * is looked up now: a {@link save} in between moves it in the body.
   */
  #parse(hash: string): Migration | undefined {
    if (this.#parsed.has(hash)) return this.#parsed.get(hash);
    const used = this.#used.get(hash);
    if (!used || !('stored' in used)) return undefined;
    const entry = used.stored;
    const [, offset, length, sum] = entry;
    const info = this.#shape(entry[4])!;
    let value: Migration | undefined;
    try {
      const bytes = this.#body.bytes().subarray(offset, offset + length);
      if (bytes.length === length && digest(bytes) === sum) {
        const raw = JSON.parse(bytes.toString('utf8')) as unknown;
        if (isMigrationShape(raw) && allOpsKnown(raw as Migration) && sameMeta(raw as Record<string, unknown>, entry, info)) value = freezeDeep(raw) as Migration;
      }
    } catch {
      value = undefined;
    }
    this.#parsed.set(hash, value);
    if (!value) this.#dirty = true;
    return value;
  }

  /**
   * Records the migration evaluated from a file whose bytes hash to `hash`, when it is {@link exactJson}.
   * @returns whether it was recorded (false without a cache folder)
   */
  put(hash: string, migration: Migration): boolean {
    if (!this.#file || !exactJson(migration)) return false;
    this.#used.set(hash, { migration });
    this.#lazy.delete(hash);
    this.#dirty = true;
    return true;
  }

  /**
   * Writes the entries and stats of this run, when they differ from what was read. Never throws. The body
   * text of a stored entry is copied as it was read (its digest is checked when it is parsed).
   */
  save(): void {
    if (!this.#file) return;
    const index = this.#index;
    const same = !this.#dirty && this.#used.size === this.#stored && (this.#files?.size ?? this.#inOrder) === index.files.length && this.#dirs === index.dirs && this.#cwd === index.cwd;
    if (same) return;
    const parts: Buffer[] = [];
    let offset = 0;
    const entries: IndexEntry[] = [];
    const shapes: string[][] = [];
    const shapeIds = new Map<string, number>();
    const shapeOf = (keys: readonly string[]): number => {
      const id = keys.join(',');
      let n = shapeIds.get(id);
      if (n === undefined) {
        n = shapes.push([...keys]) - 1;
        shapeIds.set(id, n);
      }
      return n;
    };
    // In the order of first use (the loader's file order), which the next run's lookups follow.
    for (const [hash, used] of this.#used) {
      let bytes: Buffer;
      let entry: IndexEntry;
      if ('stored' in used) {
        const [, o, l, sum, shape] = used.stored;
        bytes = this.#body.bytes().subarray(o, o + l);
        if (bytes.length !== l) continue; // the file changed under this run: the entry is evaluated again next time
        entry = [hash, offset, l, sum, shapeOf(index.shapes[shape]!), ...used.stored.slice(VALUES)];
      } else {
        bytes = Buffer.from(JSON.stringify(used.migration));
        const keys = Object.keys(used.migration);
        const values = keys.filter((k) => !(OP_LISTS as readonly string[]).includes(k)).map((k) => (used.migration as unknown as Record<string, unknown>)[k]);
        entry = [hash, offset, bytes.length, digest(bytes), shapeOf(keys), ...values];
      }
      parts.push(bytes);
      entries.push(entry);
      offset += bytes.length;
    }
    // Paths under the working folder are written relative to it (a shorter index to read and parse).
    const base = this.#cwd + sep;
    const encode = (abs: string): string => (abs.startsWith(base) ? abs.slice(base.length) : abs);
    const files: FileRow[] = this.#files
      ? [...this.#files].map(([abs, r]) => [encode(abs), r[1], r[2]])
      : this.#pathsOf()
          .slice(0, this.#inOrder)
          .map((abs, i) => [encode(abs), index.files[i]![1], index.files[i]![2]]);
    const next: Index = { cwd: this.#cwd, dirs: this.#dirs, files, shapes, entries };
    const indexText = Buffer.from(JSON.stringify(next));
    const head = JSON.stringify({ format: FORMAT, tool: this.#tool, index: indexText.length, indexSha: createHash('sha256').update(indexText).digest('hex'), body: offset });
    const header = Buffer.from(`${head}\n`);
    writeCacheFile(this.#file, [header, indexText, '\n', ...parts]);
    this.#index = next;
    this.#paths = undefined;
    this.#known = undefined;
    this.#byHash = undefined;
    this.#nextEntry = 0;
    this.#files = undefined;
    this.#inOrder = files.length;
    this.#cursor = 0;
    // Read back from the file when an entry is needed again in this run (rare: the values are loaded), rather
    // than kept as one more copy of every migration.
    this.#body = new Body(offset, undefined, { file: this.#file, header, offset: header.length + indexText.length + 1 });
    this.#shapes = [];
    this.#used.clear();
    for (const entry of entries) this.#used.set(entry[0], { stored: entry });
    this.#stored = this.#used.size;
    this.#dirty = false;
  }
}

/**
 * The body of a data cache file: its length, and its bytes, read on first use. The file is read again then;
 * when its header line is no longer the one read with the index (another run rewrote it), the body is empty
 * and every stored entry unusable (its file is evaluated instead).
 */
class Body {
  #bytes: Buffer | undefined;
  constructor(
    readonly length: number,
    bytes?: Buffer,
    private readonly source?: { readonly file: string; readonly header: Buffer; readonly offset: number },
  ) {
    this.#bytes = bytes;
  }

  bytes(): Buffer {
    if (this.#bytes) return this.#bytes;
    this.#bytes = Buffer.alloc(0);
    const src = this.source;
    if (!src) return this.#bytes;
    try {
      const all = readFileSync(src.file);
      if (all.length === src.offset + this.length && all.subarray(0, src.header.length).equals(src.header)) this.#bytes = all.subarray(src.offset);
    } catch {
      // unreadable now: no entry is used
    }
    return this.#bytes;
  }
}

/** Reads exactly `into.length` bytes at `position`, or throws. */
function readFully(fd: number, into: Buffer, position: number): void {
  for (let done = 0; done < into.length; ) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new Error('short read');
    done += n;
  }
}

/**
 * The index and body of a cache file, or undefined when it is missing, corrupt, or of another tool. Reads the
 * header line and the index only (the body is read when first needed, {@link Body}).
 */
function readCacheFile(file: string, tool: string): [Index, Body] | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const first = Buffer.alloc(Math.min(size, 4096));
    readFully(fd, first, 0);
    const nl = first.indexOf(10);
    if (nl < 0) return undefined;
    const header = JSON.parse(first.toString('utf8', 0, nl)) as { format?: unknown; tool?: unknown; index?: unknown; indexSha?: unknown; body?: unknown };
    if (header.format !== FORMAT || header.tool !== tool || typeof header.index !== 'number' || typeof header.body !== 'number') return undefined;
    const indexEnd = nl + 1 + header.index;
    if (size !== indexEnd + 1 + header.body) return undefined;
    const indexAndNl = Buffer.alloc(header.index + 1);
    readFully(fd, indexAndNl, nl + 1);
    if (indexAndNl[header.index] !== 10) return undefined;
    const indexBytes = indexAndNl.subarray(0, header.index);
    if (createHash('sha256').update(indexBytes).digest('hex') !== header.indexSha) return undefined;
    const index = JSON.parse(indexBytes.toString('utf8')) as Index;
    if (typeof index !== 'object' || index === null || typeof index.cwd !== 'string' || typeof index.dirs !== 'object' || !Array.isArray(index.files) || !Array.isArray(index.shapes) || !Array.isArray(index.entries)) return undefined;
    // The file rows are checked when used (#pathsOf).
    if (!index.shapes.every((k) => Array.isArray(k) && k.every((x) => typeof x === 'string'))) return undefined;
    return [index, new Body(header.body, undefined, { file, header: Buffer.from(first.subarray(0, nl)), offset: indexEnd + 1 })];
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Whether a parsed entry agrees with its index values (the same keys in the same order, equal values). */
function sameMeta(m: Record<string, unknown>, entry: IndexEntry, info: ShapeInfo): boolean {
  const own = Object.keys(m);
  const keys = info.keys;
  if (own.length !== keys.length || own.some((k, i) => k !== keys[i])) return false;
  return own.every((k) => (OP_LISTS as readonly string[]).includes(k) || JSON.stringify(m[k]) === JSON.stringify(entry[info.pos.get(k)!]));
}

/** The revision map input of an entry of a usable shape ({@link inputOf}), read by position. */
function rowInput(e: IndexEntry, info: ShapeInfo, file: string): RevisionInput | undefined {
  const { at } = info;
  return fields(e[at.revision], e[at.down], at.dependsOn < 0 ? undefined : e[at.dependsOn], at.branchLabels < 0 ? undefined : e[at.branchLabels], e[at.message], file);
}

/**
 * The revision map input of a migration's revision fields (`down` as a list), or undefined when they do not
 * have a migration's types.
 */
function inputOf(m: Migration, file: string): RevisionInput | undefined {
  return fields(m.revision, m.down, m.dependsOn, m.branchLabels, m.message, file);
}

function fields(revision: unknown, down: unknown, dependsOn: unknown, branchLabels: unknown, message: unknown, file: string): RevisionInput | undefined {
  if (typeof revision !== 'string' || typeof message !== 'string') return undefined;
  if (!(down === null || typeof down === 'string' || strings(down))) return undefined;
  if (!(dependsOn === undefined || strings(dependsOn)) || !(branchLabels === undefined || strings(branchLabels))) return undefined;
  return revisionInput(revision, down as string | readonly string[] | null, dependsOn as readonly string[] | undefined, branchLabels as readonly string[] | undefined, message, file);
}

function allOpsKnown(m: Migration): boolean {
  for (const list of [m.upgrade, m.downgrade ?? [], m.assumes ?? []]) {
    if (!Array.isArray(list)) return false;
    for (const o of list as unknown[]) if (typeof o !== 'object' || o === null || !KNOWN_OPS.has((o as { kind: string }).kind)) return false;
  }
  return true;
}

function strings(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const x of v) if (typeof x !== 'string') return false;
  return true;
}

function isMigrationShape(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return m.kind === 'migration' && typeof m.revision === 'string' && typeof m.message === 'string' && Array.isArray(m.upgrade);
}
