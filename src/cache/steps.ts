/**
 * The compiled-step cache: what compiling one step of a plan gave (its statements, `-- WARNING` lines, lint
 * findings and whether it rebuilt a table), keyed by everything that determines it, so that a warm compile neither renders nor lints a step
 * it has compiled before — and when every step of a plan is cached, does not replay the schema model at all.
 *
 * A step's output is a function of the schema model before it and of the step's migration. The model before
 * it is a function of the ops applied to it since base, in order (the replay of the start's ancestors, then
 * the plan's earlier steps). So the key of a step is the SHA-256 of a chain ({@link StepCache.keys}),
 * NUL-separated: the context (the tool fingerprint, then what the compile passes: dialect, naming convention,
 * the templates' fingerprint, idempotent or not — `compileSteps` in `../plan/compile.ts`); then, for each
 * revision applied to the model in order, ("apply", R, its file label, its data key) for a replayed revision
 * or an upgrade step, ("downgrade", R, ...) for a downgrade step; last ("step", direction, R, file label,
 * data key) for the step itself. The chain is one running hash: a step's key is a digest of a copy of it.
 * A migration's data key is the SHA-256 of its file's bytes when its value depends on that text alone (the
 * migration data cache's criterion, `./migrations.ts`); a step of a plan whose chain holds a migration
 * without one is never cached. Replaying R and running R's upgrade step change the model alike, so
 * `upgrade head-1:head` and `upgrade base:head` share the last step's entry.
 *
 * Entries: `<cacheDir>/steps/<key>.json`, written atomically after a successful compile only (a failing
 * compile stores nothing), read as a miss when missing, unparsable or of the wrong shape. A plan of two or
 * more keyed steps also has a pack, `<cacheDir>/steps/pack-<SHA-256 of its keys>.json` (`{"keys": [...],
 * "entries": [...]}`), written once every step of the plan has an entry (read or compiled), so that a warm
 * run reads one file instead of one per step; a pack whose keys are not the plan's is not used, a malformed
 * entry in it is read from its own file; the {@link KEPT_PACKS} packs written last are kept. The folder is
 * always safe to delete.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeCacheFile } from '../io/atomic.js';
import { join } from 'node:path';
import type { Statement } from '../dialects/types.js';
import type { Finding } from '../lint/index.js';
import { revisionOf, type LoadedMigration } from '../load/migrations.js';
import type { Step } from '../revision/index.js';
import type { ScriptComment } from '../script/assemble.js';

/**
 * What compiling one step gave: the fields of `CompiledStep` (`../script/assemble.ts`) that the compile
 * computes; the others (`step`, `message`, `source`, `nonTransactional`) are read from the plan and the
 * migration, which the key covers.
 */
export interface CachedStep {
  readonly statements: readonly (Statement | ScriptComment)[];
  /** `-- WARNING` lines of a derived downgrade step (absent: none). */
  readonly warnings?: readonly string[];
  /** A table was rebuilt in the step (`Dialect.rebuild`; absent: none). */
  readonly rebuilt?: boolean;
  /** The step's lint findings, in order. */
  readonly findings: readonly Finding[];
}

const sha = (...parts: string[]): string => createHash('sha256').update(parts.join('\0')).digest('hex');

/** Compiled steps on disk, under one context (tool, dialect, naming convention, templates). */
export class StepCache {
  readonly #dir: string | undefined;
  readonly #context: string;
  /** The pack of the plan of the last {@link keys} call: its keys in order, as a set, and its file. */
  #pack: { readonly keys: readonly string[]; readonly index: ReadonlySet<string>; readonly file: string } | undefined;
  /** The pack's entries, once read. */
  #packed: Map<string, CachedStep> | undefined;
  /** The pack was read with every key, or has been written: nothing more to write. */
  #packedWhole = false;
  /** The entries of the pack's keys read or stored so far, while the pack is incomplete. */
  readonly #seen = new Map<string, CachedStep>();

  /**
   * @param cacheDir the cache folder, or undefined for none (every lookup misses, nothing is written)
   * @param tool the tool fingerprint (`toolFingerprint` of `./migrations.ts`: version, transpiler, code bytes)
   */
  constructor(cacheDir: string | undefined, tool: string) {
    this.#dir = cacheDir ? join(cacheDir, 'steps') : undefined;
    this.#context = sha('sqlscribe-steps-3', tool);
  }

  /**
   * The key of each step of a plan (undefined for a stamp step, for a step after a migration without a data
   * key, and for every step when there is no cache folder). Also makes this plan the one whose pack
   * {@link get} reads and {@link put} completes.
   * @param context everything besides the migrations that changes a step's output, each part a string (the
   *   compile passes the dialect, the naming convention's JSON, the templates' fingerprint, idempotent)
   * @param replayed the migrations replayed onto the model before the first step, in replay order
   */
  keys(context: readonly string[], replayed: readonly LoadedMigration[], steps: readonly Step[], migrationOf: (rev: string) => LoadedMigration): (string | undefined)[] {
    if (!this.#dir) return steps.map(() => undefined);
    // One running SHA-256 over the chain (each link NUL-separated, none holds a NUL); a key is a digest of a
    // copy of it, so the chain costs one digest per step (the links between two steps go in as one update).
    const chain = createHash('sha256').update(`${this.#context}\0${context.join('\0')}\0`);
    let broken = false;
    // Links not yet fed to the hash: one update per digest rather than one per revision (the same bytes).
    let pending = '';
    const id = (lm: LoadedMigration): string | undefined => (lm.dataKey ? `${revisionOf(lm)}\0${lm.file}\0${lm.dataKey}` : undefined);
    const extend = (what: string, lm: LoadedMigration): void => {
      const i = id(lm);
      if (i === undefined) broken = true;
      else if (!broken) pending += `${what}\0${i}\0`;
    };
    for (const lm of replayed) extend('apply', lm);
    const keys = steps.map((step) => {
      if (step.revision === null) return undefined;
      const lm = migrationOf(step.revision);
      const i = id(lm);
      if (pending && !broken) chain.update(pending);
      pending = '';
      const key = !broken && i ? chain.copy().update(`step\0${step.direction}\0${i}`).digest('hex') : undefined;
      extend(step.direction === 'upgrade' ? 'apply' : 'downgrade', lm);
      return key;
    });
    // The plan's pack: its steps' entries in one file, read once instead of one file per step.
    const packKeys = [...new Set(keys.filter((k): k is string => k !== undefined))];
    this.#pack = packKeys.length >= 2 ? { keys: packKeys, index: new Set(packKeys), file: join(this.#dir, `pack-${sha(...packKeys)}.json`) } : undefined;
    this.#packed = undefined;
    this.#packedWhole = false;
    this.#seen.clear();
    return keys;
  }

  /** Stores a compiled step under `key` (nothing without a key or folder), and in the plan's pack. Never throws. */
  put(key: string | undefined, step: CachedStep): void {
    if (!key || !this.#dir) return;
    writeCacheFile(join(this.#dir, `${key}.json`), JSON.stringify(step));
    this.#note(key, step);
  }

  /**
   * The cached step of `key`, or undefined (also for an unreadable or malformed entry). Served from the pack
   * of the last {@link keys} call when there is one, else from the entry's own file.
   */
  get(key: string | undefined): CachedStep | undefined {
    if (!key || !this.#dir) return undefined;
    const packed = this.#readPack().get(key);
    const value = packed ?? this.#readEntry(key);
    if (value === undefined) return undefined;
    this.#note(key, value);
    return value;
  }

  /** The entry file of `key`, parsed and checked, or undefined. */
  #readEntry(key: string): CachedStep | undefined {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(join(this.#dir!, `${key}.json`), 'utf8'));
    } catch {
      return undefined;
    }
    return checked(value);
  }

  /**
   * The entries of the plan's pack, by key (empty when there is none, or it is unreadable, malformed or not
   * the pack of exactly these keys). Read once.
   */
  #readPack(): Map<string, CachedStep> {
    if (this.#packed) return this.#packed;
    this.#packed = new Map();
    if (!this.#pack) return this.#packed;
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(this.#pack.file, 'utf8'));
    } catch {
      return this.#packed;
    }
    const v = value as { keys?: unknown; entries?: unknown } | null;
    const keys = this.#pack.keys;
    if (typeof v !== 'object' || v === null || !Array.isArray(v.keys) || !Array.isArray(v.entries)) return this.#packed;
    const packKeys = v.keys as unknown[];
    if (packKeys.length !== keys.length || v.entries.length !== keys.length || !keys.every((k, i) => packKeys[i] === k)) return this.#packed;
    const entries = v.entries as unknown[];
    keys.forEach((k, i) => {
      const entry = checked(entries[i]);
      if (entry) this.#packed!.set(k, entry);
    });
    this.#packedWhole = this.#packed.size === keys.length;
    return this.#packed;
  }

  /**
   * Records the entry of a plan's key (read or stored); once every key of the plan has one and the pack was
   * not read whole, writes the pack. Never throws.
   */
  #note(key: string, value: CachedStep): void {
    const pack = this.#pack;
    if (!pack || this.#packedWhole || !pack.index.has(key)) return;
    this.#seen.set(key, value);
    if (this.#seen.size < pack.keys.length) return;
    this.#packedWhole = true;
    writeCacheFile(pack.file, JSON.stringify({ keys: pack.keys, entries: pack.keys.map((k) => this.#seen.get(k)) }));
    this.#seen.clear();
    prunePacks(this.#dir!, pack.file);
  }
}

/** `value` when it has the shape of a {@link CachedStep}, else undefined. */
function checked(value: unknown): CachedStep | undefined {
  const v = value as Partial<CachedStep> | null;
  if (typeof v !== 'object' || v === null || !Array.isArray(v.statements) || !Array.isArray(v.findings)) return undefined;
  if (v.warnings !== undefined && !Array.isArray(v.warnings)) return undefined;
  if (v.rebuilt !== undefined && v.rebuilt !== true) return undefined;
  for (const f of v.findings as unknown[]) {
    const o = f as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || typeof o.op !== 'number') return undefined;
    if (!['rule', 'severity', 'file', 'revision', 'list', 'kind', 'message'].every((k) => typeof o[k] === 'string')) return undefined;
  }
  for (const s of v.statements as unknown[]) {
    const o = s as { sql?: unknown; comment?: unknown; autocommit?: unknown };
    if (typeof o !== 'object' || o === null || (typeof o.sql !== 'string' && typeof o.comment !== 'string') || (o.autocommit !== undefined && typeof o.autocommit !== 'boolean')) return undefined;
  }
  if (!(v.warnings ?? []).every((w) => typeof w === 'string')) return undefined;
  return v as CachedStep;
}

/**
 * How many packs the steps folder keeps: a pack holds a copy of every step of its plan (some 5 MB for
 * 10,000 revisions), and each new head makes `base:head` another plan, so packs are pruned as they are written.
 */
export const KEPT_PACKS = 4;

/** Deletes all packs but `written` and the {@link KEPT_PACKS} − 1 others written last. Never throws. */
function prunePacks(dir: string, written: string): void {
  try {
    const packs = readdirSync(dir)
      .filter((f) => f.startsWith('pack-') && f.endsWith('.json') && join(dir, f) !== written)
      .map((f) => ({ file: join(dir, f), mtime: statSync(join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.mtime - a.mtime || (a.file < b.file ? -1 : 1));
    for (const { file } of packs.slice(KEPT_PACKS - 1)) rmSync(file, { force: true });
  } catch {
    // A pack left over costs disk only.
  }
}
