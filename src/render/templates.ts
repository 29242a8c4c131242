/**
 * Handlebars templates: `templates/<dialect>/**\/*.sql.hbs` (one template per kind of statement) and
 * `templates/revision.ts.hbs`. Templates only lay out values that TypeScript has already resolved and
 * quoted; they hold no decisions. Every template is compiled with `noEscape: true` (Handlebars would
 * otherwise HTML-escape `'` as `&#x27;`) and `strict: true` (a missing field is an error, not an empty
 * string): `TEMPLATE_OPTIONS` of `./precompiled.ts`. A team's folder (`--templates DIR`, config `templates`)
 * overrides any built-in file of the same relative path.
 *
 * Templates run on Handlebars' runtime (`handlebars/runtime`, its "Precompilation" model): a template is the
 * runtime's `template(spec)` of its precompiled specification, taken from `PRECOMPILED` (the bundle's
 * built-in templates) or, for any other text, made by Handlebars' compiler (`precompile`), which is loaded
 * only then.
 */
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInThisContext } from 'node:vm';
import type HandlebarsModule from 'handlebars';
import HandlebarsRuntime from 'handlebars/runtime.js';
import { UserError } from '../errors.js';
import { PRECOMPILED, TEMPLATE_OPTIONS, type TemplateSpec } from './precompiled.js';

type Handlebars = typeof HandlebarsModule;
/** Handlebars' runtime (its type declarations describe only the full module, whose subset it is). */
const runtime = HandlebarsRuntime as unknown as Handlebars;
/** Handlebars' compiler, loaded for the first template that is not precompiled. */
let compiler: Handlebars | undefined;

/**
 * The precompiled specification of a template's text: {@link PRECOMPILED}'s, or Handlebars' `precompile`
 * evaluated. @throws Handlebars' parse error for a malformed template.
 */
function specOf(text: string): TemplateSpec {
  const known = PRECOMPILED.get(text);
  if (known) return known;
  compiler ??= createRequire(import.meta.url)('handlebars') as Handlebars;
  return runInThisContext(`(${compiler.precompile(text, TEMPLATE_OPTIONS) as unknown as string})`) as TemplateSpec;
}

/** The built-in `templates/` folder of this package. */
export const BUILTIN_TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

type Compiled = (view: object) => string;

/**
 * The template folders of a dialect, in lookup order (later ones override earlier ones): `_default`, then
 * the dialect's; `mariadb` reads `mysql` before its own (MariaDB is MySQL plus its own syntax).
 */
export function dialectTemplateFolders(dialect: string): string[] {
  return dialect === 'mariadb' ? ['_default', 'mysql', 'mariadb'] : ['_default', dialect];
}

/**
 * The templates of a dialect: the built-in folders of {@link dialectTemplateFolders}, then the same folders
 * of `overrides` (a team's `--templates DIR` / config `templates`, laid out like `templates/`), whose files
 * replace the built-in ones of the same relative path.
 */
export function dialectTemplates(dialect: string, overrides?: string): TemplateSet {
  const folders = dialectTemplateFolders(dialect);
  const dirs = folders.map((f) => join(BUILTIN_TEMPLATES_DIR, f));
  if (overrides) dirs.push(...folders.map((f) => join(overrides, f)));
  return new TemplateSet(dirs);
}

/**
 * The templates of one folder (a dialect's, or the root for `revision.ts.hbs`), with overrides.
 * Lookups are by path relative to that folder without the `.hbs` suffix: `get('createTable.sql')`.
 * Templates are compiled on first use and kept.
 */
export class TemplateSet {
  readonly #hbs = runtime.create();
  readonly #sources = new Map<string, { file: string; text?: string }>();
  readonly #compiled = new Map<string, Compiled>();

  /**
   * @param dirs folders to read, later ones overriding earlier ones (built-in first, then the user's).
   *   Missing folders are skipped.
   */
  constructor(dirs: readonly string[]) {
    for (const dir of dirs) {
      if (!existsSync(dir)) continue;
      for (const file of listTemplateFiles(dir)) {
        const key = relative(dir, file).split(sep).join('/').replace(/\.hbs$/, '');
        this.#sources.set(key, { file });
      }
    }
    for (const [key, source] of this.#sources) {
      if (key.startsWith('partials/')) {
        this.#hbs.registerPartial(key.slice('partials/'.length), this.#compile(key, source));
      }
    }
  }

  /**
   * SHA-256 over every template's name and bytes (partials included), in name order: a key for caches of
   * rendered output (`../cache/steps.ts`, `../cache/scripts.ts`). Reads every file once; computed once (the
   * texts it covers are read once and kept, so it cannot change).
   */
  fingerprint(): string {
    if (this.#fingerprint !== undefined) return this.#fingerprint;
    const hash = createHash('sha256');
    for (const key of [...this.#sources.keys()].sort()) hash.update(`${key}\0${this.#read(key, this.#sources.get(key)!)}\0`);
    return (this.#fingerprint = hash.digest('hex'));
  }

  #fingerprint: string | undefined;

  /** True when a template of that name exists (built in or overridden). */
  has(name: string): boolean {
    return this.#sources.has(name);
  }

  /** The file a template is read from (for error messages and the README's template list). */
  fileOf(name: string): string | undefined {
    return this.#sources.get(name)?.file;
  }

  /**
   * Renders template `name` with `view`.
   * @throws UserError when the template is missing or refers to a field the view lacks (strict mode).
   */
  render(name: string, view: object): string {
    let fn = this.#compiled.get(name);
    if (!fn) {
      const source = this.#sources.get(name);
      if (!source) throw new UserError(`no template '${name}.hbs' (looked in the built-in templates and any --templates folder)`);
      fn = this.#compile(name, source);
      this.#compiled.set(name, fn);
    }
    try {
      return fn(view);
    } catch (err) {
      const file = this.#sources.get(name)?.file ?? name;
      throw new UserError(`template ${file}: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  /** @throws UserError naming the file of a template Handlebars cannot parse. */
  #compile(name: string, source: { file: string; text?: string }): Compiled {
    let spec: TemplateSpec;
    try {
      spec = specOf(this.#read(name, source));
    } catch (err) {
      throw new UserError(`template ${source.file}: ${(err as Error).message.split('\n')[0]}`);
    }
    return this.#hbs.template(spec as never) as Compiled;
  }

  #read(name: string, source: { file: string; text?: string }): string {
    source.text ??= readFileSync(source.file, 'utf8');
    return source.text;
  }
}

/**
 * Every `.hbs` file under `dir`, recursively, in name order (symbolic links to folders followed). Also what
 * `scripts/bundle.mjs` precompiles from `templates/`.
 */
export function listTemplateFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(dir, entry.name);
    // A symbolic link is followed, as before (a team may link a shared template folder in).
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && statSync(full, { throwIfNoEntry: false })?.isDirectory() === true);
    if (isDir) out.push(...listTemplateFiles(full));
    else if (entry.name.endsWith('.hbs')) out.push(full);
  }
  return out;
}
