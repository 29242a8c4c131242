/**
 * Evaluates TypeScript files (migrations, `sqlscribe.config.ts`) without a loader hook and without an
 * install next to them: each file is transpiled by esbuild to CommonJS (cached on disk by the SHA-256 of
 * its text) and run with a `require` that maps the specifier `'sqlscribe'` to the running tool, relative
 * imports to the same evaluator, and anything else to Node's resolution from the file's own folder.
 * So a migrations folder anywhere on disk works with no `node_modules` of its own (spec: "the loader maps
 * it to the running tool itself").
 */
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { writeCacheFile } from '../io/atomic.js';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { compileFunction } from 'node:vm';
import * as api from '../index.js';
import { UserError } from '../errors.js';

/** The SHA-256 of a text, in hex. */
export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

const localRequire = createRequire(import.meta.url);

/** esbuild, loaded on the first transpile only (a warm run never needs it; loading it costs start-up time). */
let esbuild: typeof import('esbuild') | undefined;
function transformSync(...args: Parameters<typeof import('esbuild').transformSync>): ReturnType<typeof import('esbuild').transformSync> {
  esbuild ??= localRequire('esbuild') as typeof import('esbuild');
  return esbuild.transformSync(...args);
}

/** esbuild's version, read from its package.json (without loading esbuild). */
const esbuildVersion = (JSON.parse(readFileSync(localRequire.resolve('esbuild/package.json'), 'utf8')) as { version: string }).version;

/**
 * What the transpiled output depends on besides the source: esbuild's version and the settings. Bumped when
 * the settings change, so old cache entries are not reused; part of the migration data cache's key too.
 */
export const TRANSPILE_KEY = `esbuild-${esbuildVersion}-cjs-es2022-1`;

/** Files per esbuild call of {@link ModuleEvaluator.prefetch}: bounds the memory of esbuild's process. */
const PREFETCH_BATCH = 500;

/**
 * Evaluates TypeScript modules. One instance per command run: modules are evaluated once each and kept,
 * so a helper imported by many migrations runs once.
 */
export class ModuleEvaluator {
  readonly #cache = new Map<string, { exports: unknown }>();
  /** Transpiled code by the source's SHA-256, from {@link prefetch}. */
  readonly #prefetched = new Map<string, string>();
  /** Prefetched code not yet written to the transpile cache, by cache path. */
  readonly #unsaved = new Map<string, string>();
  /** Modules (absolute paths) whose value may depend on more than their own text. */
  readonly #impure = new Set<string>();

  /**
   * @param cacheDir folder for transpiled output (`<cacheDir>/js/<sha256>.js`), or undefined for none.
   *   Entries are immutable and keyed by content, so the folder is always safe to delete.
   */
  constructor(readonly cacheDir?: string) {}

  /**
   * Evaluates the file at absolute path `abs` (already read as `source`) and returns its `module.exports`.
   * @param label how messages name the file (default: `abs`), e.g. its path relative to the working folder
   * @throws UserError naming the file for a syntax error or an exception while it runs.
   */
  evaluate(abs: string, source: string, { hash = sha256(source), label = abs }: { hash?: string; label?: string } = {}): unknown {
    const file = label;
    const hit = this.#cache.get(abs);
    if (hit) return hit.exports;
    const code = this.#transpile(file, source, hash);
    if (!PURE_CODE(code)) this.#impure.add(abs);
    const module = { exports: {} as unknown };
    this.#cache.set(abs, module);
    let fn: (...args: unknown[]) => void;
    try {
      fn = compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: abs }) as (...args: unknown[]) => void;
    } catch (err) {
      this.#cache.delete(abs);
      throw new UserError(`${file}: ${(err as Error).message}`);
    }
    try {
      fn(module.exports, this.#requireFor(abs, file), module, abs, dirname(abs));
    } catch (err) {
      this.#cache.delete(abs);
      if (err instanceof UserError) {
        throw err.message.startsWith(file) ? err : new UserError(`${file}: ${err.message}`);
      }
      throw new UserError(`${file}: ${describeThrown(err, abs)}`);
    }
    return module.exports;
  }

  /**
   * Whether the value of module `abs` (evaluated by this instance) depends on its text alone, so that it may
   * be cached by content hash: it required nothing but `'sqlscribe'`, and its compiled code names none of the
   * globals through which a module sees the clock, randomness, the environment, the file system or its own
   * path (`process`, `Date`, `Math`, `globalThis`, `global`, `eval`, `Function`, `Buffer`, `console`,
   * `performance`, `crypto`, `fetch`, `Intl`, timers, `WebAssembly`, `__filename`, `__dirname`, `module`
   * other than `module.exports`). Deliberately conservative: a false "impure" only costs speed.
   */
  isPure(abs: string): boolean {
    return this.#cache.has(abs) && !this.#impure.has(abs);
  }

  /**
   * Transpiles many files in one esbuild call (one round trip to its service instead of one per file), for
   * the {@link evaluate} calls that follow; files already in the transpile cache are skipped. esbuild's
   * `buildSync` without bundling gives the bytes `transformSync` gives. Files go {@link PREFETCH_BATCH} to a
   * call. If a batch fails (a syntax error somewhere), nothing of it is kept: each of its files is then
   * transpiled alone, and the error reported as usual.
   * @param files absolute paths with the SHA-256 of their bytes
   */
  prefetch(files: readonly { abs: string; hash: string }[]): void {
    const todo = files.filter(({ hash }) => !this.#prefetched.has(hash) && !(this.cacheDir && existsSync(this.#cachePath(hash))));
    if (todo.length < 2) return;
    esbuild ??= localRequire('esbuild') as typeof import('esbuild');
    // In batches: esbuild's process holds a whole build in memory (10,000 files in one build: ~400 MB).
    for (let start = 0; start < todo.length; start += PREFETCH_BATCH) {
      const batch = todo.slice(start, start + PREFETCH_BATCH);
      let outputs: { path: string; text: string }[];
      try {
        outputs = esbuild.buildSync({
          entryPoints: Object.fromEntries(batch.map(({ abs }, i) => [`m${i}`, abs])),
          bundle: false,
          write: false,
          format: 'cjs',
          target: 'es2022',
          outdir: '/sqlscribe-prefetch',
          logLevel: 'silent',
        }).outputFiles;
      } catch {
        continue;
      }
      for (const o of outputs) {
        const i = Number(/\/m(\d+)\.js$/.exec(o.path)?.[1]);
        const entry = batch[i];
        if (entry) this.#prefetched.set(entry.hash, o.text);
      }
    }
  }

  #cachePath(hash: string): string {
    return join(this.cacheDir!, 'js', `${sha256(TRANSPILE_KEY + hash)}.js`);
  }

  #transpile(file: string, source: string, hash: string): string {
    const cached = this.cacheDir ? this.#cachePath(hash) : undefined;
    if (cached && existsSync(cached)) return readFileSync(cached, 'utf8');
    let code: string | undefined = this.#prefetched.get(hash);
    if (code !== undefined) {
      // Written only if the caller asks (persistTranspiled): a file the data cache holds never needs it.
      this.#prefetched.delete(hash);
      if (cached) this.#unsaved.set(cached, code);
      return code;
    }
    try {
      code = transformSync(source, { loader: 'ts', format: 'cjs', target: 'es2022', sourcefile: file, logLevel: 'silent' }).code;
    } catch (err) {
      const first = (err as { errors?: { text: string; location?: { line: number; column: number; lineText: string } }[] }).errors?.[0];
      if (first) {
        const at = first.location ? `:${first.location.line}:${first.location.column + 1}` : '';
        throw new UserError(`${file}${at}: syntax error: ${first.text} — fix the TypeScript in this file`);
      }
      throw new UserError(`${file}: cannot be compiled: ${(err as Error).message}`);
    }
    if (cached) writeCacheFile(cached, code);
    return code;
  }

  /**
   * Writes the transpiled code of a file whose source hashes to `hash` to the transpile cache, when it came
   * from {@link prefetch} and is not there yet (the loader calls this for files the data cache does not hold).
   */
  persistTranspiled(hash: string): void {
    if (!this.cacheDir) return;
    const path = this.#cachePath(hash);
    const code = this.#unsaved.get(path);
    if (code === undefined) return;
    this.#unsaved.delete(path);
    writeCacheFile(path, code);
  }

  /**
   * Ends a loading phase: drops transpiled code kept for {@link persistTranspiled} and stops esbuild's
   * worker thread and process (its heap would otherwise stay in this process until exit; a later
   * transpile starts it again). Evaluated modules are kept.
   */
  release(): void {
    this.#prefetched.clear();
    this.#unsaved.clear();
    if (esbuild) void esbuild.stop();
  }

  #requireFor(from: string, label: string): (specifier: string) => unknown {
    const nodeRequire = createRequire(from);
    return (specifier: string) => {
      if (specifier === 'sqlscribe') return api;
      this.#impure.add(from);
      if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/')) {
        const target = resolveLocal(resolve(dirname(from), specifier));
        if (target && /\.[cm]?ts$/.test(target)) {
          return this.evaluate(target, readFileSync(target, 'utf8'), { label: relative(dirname(from), target).startsWith('..') ? target : join(dirname(label), relative(dirname(from), target)) });
        }
        if (target) return nodeRequire(target);
        throw new UserError(`${label}: cannot find module '${specifier}' — check the import path`);
      }
      return nodeRequire(specifier);
    };
  }
}

const IMPURE_NAMES =
  /\b(?:process|Date|Math|globalThis|global|eval|Function|Buffer|console|performance|crypto|fetch|Intl|setTimeout|setInterval|setImmediate|queueMicrotask|WebAssembly|__filename|__dirname|module(?!\.exports\b))\b/;

/**
 * True when compiled code names none of {@link IMPURE_NAMES} outside string literals (template literals
 * with `${` are kept, as they hold code).
 */
function PURE_CODE(code: string): boolean {
  const stripped = code.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\$]|\\.|\$(?!\{))*`/g, '""');
  return !IMPURE_NAMES.test(stripped);
}

const EXTENSIONS = ['', '.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

function resolveLocal(base: string): string | undefined {
  // `import './x.js'` in TypeScript source conventionally means `./x.ts`.
  const candidates = base.endsWith('.js') ? [base.slice(0, -3) + '.ts', base] : EXTENSIONS.map((e) => base + e);
  return candidates.find((c) => statSync(c, { throwIfNoEntry: false })?.isFile());
}

/** One line for an exception thrown by user code: its message and the line in the file, when known. */
function describeThrown(err: unknown, file: string): string {
  if (!(err instanceof Error)) return `threw ${String(err)}`;
  const line = err.stack?.split('\n').find((l) => l.includes(file))?.match(/:(\d+):\d+\)?$/)?.[1];
  return `${err.name}: ${err.message}${line ? ` (near line ${line} of the compiled file)` : ''}`;
}
