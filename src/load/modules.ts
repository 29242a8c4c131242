/**
 * Evaluates TypeScript files (migrations, `sqlscribe.config.ts`) without a loader hook and without an
 * install next to them: each file is transpiled by Sucrase to CommonJS (cached on disk by the SHA-256 of
 * its text) and run with a `require` that maps the specifier `'sqlscribe'` to the running tool, relative
 * imports to the same evaluator, and anything else to Node's resolution from the file's own folder.
 * So a migrations folder anywhere on disk works with no `node_modules` of its own (spec: "the loader maps
 * it to the running tool itself").
 *
 * Sucrase (its `typescript` and `imports` transforms) rather than esbuild: it runs in this process, so a
 * cold run of 1,000 migration files transpiles in ~0.25 s instead of ~0.7 s of round trips to esbuild's
 * service on a 2-CPU machine (bench/, issue 6); it strips types without checking them, as esbuild does, and
 * keeps every line where it was, so a line number in V8's errors is the line in the source file.
 */
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { writeCacheFile } from '../io/atomic.js';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { compileFunction, runInNewContext } from 'node:vm';
import * as api from '../index.js';
import { UserError } from '../errors.js';

/** The SHA-256 of a text, in hex. */
export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

const localRequire = createRequire(import.meta.url);

/** Sucrase, loaded on the first transpile only (a warm run never needs it; loading it costs ~45 ms). */
let sucrase: typeof import('sucrase') | undefined;

/** Sucrase's version, read from its package.json (without loading Sucrase). */
const sucraseVersion = (JSON.parse(readFileSync(localRequire.resolve('sucrase/package.json'), 'utf8')) as { version: string }).version;

/**
 * What the transpiled output depends on besides the source: the transpiler's version and settings. Bumped
 * when the settings change, so old cache entries are not reused; part of the migration data cache's key too.
 */
export const TRANSPILE_KEY = `sucrase-${sucraseVersion}-typescript-imports-1`;

/** How many files a load must transpile before {@link collectGarbage} is worth its ~50 ms. */
export const LARGE_LOAD = 2000;

let gc: (() => void) | null | undefined;

/**
 * Runs a full garbage collection. For the end of a load that transpiled many files ({@link LARGE_LOAD}):
 * Sucrase's tokens and the code of every file are garbage then, and V8 left alone grows its heap around them
 * for the rest of the run (a cold `upgrade base:head` of 10,000 revisions: peak RSS ~300 MB without, ~265 MB
 * with one collection here; issue 6). V8's `gc` is reached as jest's leak detector reaches it: the
 * `--expose-gc` flag set at run time, then the `gc` global of a new context. Never throws; does nothing
 * where that is not possible.
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      (localRequire('node:v8') as typeof import('node:v8')).setFlagsFromString('--expose-gc');
      gc = runInNewContext('typeof gc === "function" ? gc : null') as (() => void) | null;
    } catch {
      gc = null;
    }
  }
  gc?.();
}

/**
 * Evaluates TypeScript modules. One instance per command run: modules are evaluated once each and kept,
 * so a helper imported by many migrations runs once.
 */
export class ModuleEvaluator {
  readonly #cache = new Map<string, { exports: unknown }>();
  /** Transpiled code not yet written to the transpile cache, by cache path (see {@link persistTranspiled}). */
  readonly #unsaved = new Map<string, string>();
  /** Modules (absolute paths) whose value may depend on more than their own text. */
  readonly #impure = new Set<string>();
  /** How many files this instance has transpiled (rather than read from the transpile cache). */
  transpiled = 0;

  /**
   * @param cacheDir folder for transpiled output (`<cacheDir>/js/<sha256>.js`), or undefined for none.
   *   Entries are immutable and keyed by content, so the folder is always safe to delete.
   */
  constructor(readonly cacheDir?: string) {}

  /**
   * Evaluates the file at absolute path `abs` (already read as `source`) and returns its `module.exports`.
   * @param label how messages name the file (default: `abs`), e.g. its path relative to the working folder
   * @param deferCache keep newly transpiled code for {@link persistTranspiled} instead of writing it to the
   *   transpile cache now (the loader: a migration the data cache will hold never needs its code again)
   * @throws UserError naming the file for a syntax error or an exception while it runs.
   */
  evaluate(abs: string, source: string, { hash = sha256(source), label = abs, deferCache = false }: { hash?: string; label?: string; deferCache?: boolean } = {}): unknown {
    const file = label;
    const hit = this.#cache.get(abs);
    if (hit) return hit.exports;
    const code = this.#transpile(file, source, hash, deferCache);
    if (!PURE_CODE(code)) this.#impure.add(abs);
    const module = { exports: {} as unknown };
    this.#cache.set(abs, module);
    let fn: (...args: unknown[]) => void;
    try {
      fn = compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: abs }) as (...args: unknown[]) => void;
    } catch (err) {
      this.#cache.delete(abs);
      // What Sucrase let through and V8 refused (Sucrase does not check everything).
      throw new UserError(`${file}${v8ErrorAt(err, abs, source)}: syntax error: ${(err as Error).message} — fix the TypeScript in this file`);
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

  #cachePath(hash: string): string {
    return join(this.cacheDir!, 'js', `${sha256(TRANSPILE_KEY + hash)}.js`);
  }

  #transpile(file: string, source: string, hash: string, deferCache: boolean): string {
    const cached = this.cacheDir ? this.#cachePath(hash) : undefined;
    if (cached && existsSync(cached)) return readFileSync(cached, 'utf8');
    sucrase ??= localRequire('sucrase') as typeof import('sucrase');
    let code: string;
    try {
      code = sucrase.transform(source, { transforms: ['typescript', 'imports'], production: true }).code;
      this.transpiled++;
    } catch (err) {
      // Sucrase's SyntaxError: "Unexpected token (3:14)", with `loc` { line, column } (both 1-based) and `pos`.
      const { message, loc, pos } = err as { message?: string; loc?: { line: number; column: number }; pos?: number };
      let text = (message ?? String(err)).replace(/^Error transforming [^:]*: /, '').replace(/ \(\d+:\d+\)$/, '');
      if (text === 'Unexpected token' && pos !== undefined) {
        const token = source.slice(pos).match(/^(?:[A-Za-z_$][\w$]*|\d+|\S)/)?.[0];
        text += token ? ` '${token}'` : ' (end of file)';
      }
      throw new UserError(`${file}${loc ? `:${loc.line}:${loc.column}` : ''}: syntax error: ${text} — fix the TypeScript in this file`);
    }
    if (cached) {
      if (deferCache) this.#unsaved.set(cached, code);
      else writeCacheFile(cached, code);
    }
    return code;
  }

  /**
   * Writes the transpiled code of a file whose source hashes to `hash` to the transpile cache, when it was
   * evaluated with `deferCache` and is not there yet (the loader calls this for files the data cache does not
   * hold); forgets the code of the others.
   */
  persistTranspiled(hash: string): void {
    if (!this.cacheDir) return;
    const path = this.#cachePath(hash);
    const code = this.#unsaved.get(path);
    if (code === undefined) return;
    this.#unsaved.delete(path);
    writeCacheFile(path, code);
  }

  /** Forgets transpiled code kept for {@link persistTranspiled} (ends a loading phase). */
  release(): void {
    this.#unsaved.clear();
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

/**
 * `:line:column` in the source file of a SyntaxError V8 raised compiling the transpiled code, or `:line`, or
 * ''. V8's stack starts `<file>:<line>`, the compiled line and a caret; Sucrase keeps lines in place but may
 * rewrite text before the caret on its line, so the column is where the text from the caret on occurs last in
 * the source line (left out when it does not occur).
 */
function v8ErrorAt(err: unknown, abs: string, source: string): string {
  const [first, compiled, caret] = ((err as Error).stack ?? '').split('\n');
  if (!first?.startsWith(`${abs}:`)) return '';
  const line = Number(first.slice(abs.length + 1));
  if (!Number.isInteger(line) || line < 1) return '';
  const at = caret?.indexOf('^') ?? -1;
  const rest = at >= 0 ? compiled?.slice(at) : undefined;
  const column = rest ? (source.split(/\r?\n/)[line - 1] ?? '').lastIndexOf(rest) : -1;
  return column >= 0 ? `:${line}:${column + 1}` : `:${line}`;
}

/** One line for an exception thrown by user code: its message and the line in the file, when known. */
function describeThrown(err: unknown, file: string): string {
  if (!(err instanceof Error)) return `threw ${String(err)}`;
  const line = err.stack?.split('\n').find((l) => l.includes(file))?.match(/:(\d+):\d+\)?$/)?.[1];
  return `${err.name}: ${err.message}${line ? ` (line ${line})` : ''}`;
}
