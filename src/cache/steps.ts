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
 * Entries: a plan of two or more keyed steps is stored as one pack, `<cacheDir>/steps/pack-<SHA-256 of its
 * keys>.json`: a first line `{"keys": [...]}`, then one line per key with its entry's JSON (JSON escapes line
 * breaks inside strings, so an entry is one line), written atomically once every step of the plan has an
 * entry (read or compiled) — after a successful compile only: a failing compile stores nothing. A plan of
 * one keyed step is stored as `<cacheDir>/steps/<key>.json`. One file per plan, not one per step: creating a
 * file costs ~0.3 ms on this project's CI machine (ext4 on a virtual disk), so the 1,000 files of a cold
 * `upgrade base:head` of 1,000 revisions took ~0.3-0.4 s (issue 6). A lookup reads the plan's pack, then the
 * key's own file, then the other packs (their first lines, then the one entry line): so `upgrade head-1:head`
 * after `upgrade base:head`, or `base:head` after a new revision, finds the steps the last pack holds. A
 * pack whose first line does not list exactly the plan's keys is not used for the plan; a malformed entry is
 * a miss; the {@link KEPT_PACKS} packs written last are kept. The folder is always safe to delete.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { writeCacheFile } from '../io/atomic.js';
import { pruneCacheFiles } from './prune.js';
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

  /**
   * Stores a compiled step under `key` (nothing without a key or folder): in the plan's pack, written once
   * the plan is complete, or in its own file when the plan has no pack (one keyed step). Never throws.
   */
  put(key: string | undefined, step: CachedStep): void {
    if (!key || !this.#dir) return;
    if (this.#pack?.index.has(key)) this.#note(key, step);
    else writeCacheFile(join(this.#dir, `${key}.json`), JSON.stringify(step));
  }

  /**
   * The cached step of `key`, or undefined (also for an unreadable or malformed entry). Served from the pack
   * of the last {@link keys} call when there is one, else from the entry's own file.
   */
  get(key: string | undefined): CachedStep | undefined {
    if (!key || !this.#dir) return undefined;
    let value = this.#readPack().get(key) ?? this.#readEntry(key);
    if (value === undefined) {
      value = this.#fromOtherPacks(key);
      if (value === undefined) return undefined;
      // Found in another plan's pack: stored for this plan too (in its pack, or in its own file), so that the
      // next run of this plan reads one file.
      this.put(key, value);
      return value;
    }
    this.#note(key, value);
    return value;
  }

  /** The other packs of the folder, read on the first lookup that needs them: their keys and text. */
  #others: { readonly keys: ReadonlyMap<string, number>; readonly text: string }[] | undefined;

  /** The entry of `key` in a pack of another plan, or undefined. */
  #fromOtherPacks(key: string): CachedStep | undefined {
    if (!this.#others) {
      this.#others = [];
      let names: string[];
      try {
        names = readdirSync(this.#dir!).filter(isPack);
      } catch {
        names = [];
      }
      for (const name of names.sort()) {
        const file = join(this.#dir!, name);
        if (file === this.#pack?.file) continue;
        const pack = readPackFile(file);
        if (pack) this.#others.push({ keys: new Map(pack.keys.map((k, i) => [k, i])), text: pack.text });
      }
    }
    for (const pack of this.#others) {
      const i = pack.keys.get(key);
      if (i !== undefined) return entryLine(pack.text, i);
    }
    return undefined;
  }

  /** The entry file of `key`, parsed and checked, or undefined. */
  #readEntry(key: string): CachedStep | undefined {
    try {
      return parseEntry(readFileSync(join(this.#dir!, `${key}.json`), 'utf8'));
    } catch {
      return undefined;
    }
  }

  /**
   * The entries of the plan's pack, by key (empty when there is none, or it is unreadable, malformed or not
   * the pack of exactly these keys). Read once.
   */
  #readPack(): Map<string, CachedStep> {
    if (this.#packed) return this.#packed;
    this.#packed = new Map();
    if (!this.#pack) return this.#packed;
    const pack = readPackFile(this.#pack.file);
    const keys = this.#pack.keys;
    if (!pack || pack.keys.length !== keys.length || !keys.every((k, i) => pack.keys[i] === k)) return this.#packed;
    const lines = pack.text.split('\n');
    keys.forEach((k, i) => {
      const entry = parseEntry(lines[i + 1]);
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
    writeCacheFile(pack.file, [`${JSON.stringify({ keys: pack.keys })}\n`, ...pack.keys.map((k) => `${JSON.stringify(this.#seen.get(k))}\n`)]);
    this.#seen.clear();
    pruneCacheFiles(this.#dir!, isPack, KEPT_PACKS, pack.file);
  }
}

/** Whether a file name of the steps folder is a pack's. */
const isPack = (name: string): boolean => name.startsWith('pack-') && name.endsWith('.json');

/** A pack's keys (its first line) and its whole text, or undefined when unreadable or malformed. */
function readPackFile(file: string): { keys: string[]; text: string } | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const head = JSON.parse(text.slice(0, text.indexOf('\n'))) as { keys?: unknown } | null;
    const keys = head?.keys;
    return Array.isArray(keys) && keys.every((k) => typeof k === 'string') ? { keys: keys as string[], text } : undefined;
  } catch {
    return undefined;
  }
}

/** Entry `i` of a pack's text (line `i + 1`), parsed and checked, or undefined. */
function entryLine(text: string, i: number): CachedStep | undefined {
  let start = text.indexOf('\n') + 1;
  for (let n = 0; n < i && start > 0; n++) start = text.indexOf('\n', start) + 1;
  if (start <= 0) return undefined;
  const end = text.indexOf('\n', start);
  return parseEntry(text.slice(start, end < 0 ? undefined : end));
}

/** One entry line parsed and checked, or undefined. */
function parseEntry(line: string | undefined): CachedStep | undefined {
  if (!line) return undefined;
  try {
    return checked(JSON.parse(line));
  } catch {
    return undefined;
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

