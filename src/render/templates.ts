/**
 * Handlebars templates: `templates/<dialect>/**\/*.sql.hbs` (one template per kind of statement) and
 * `templates/revision.ts.hbs`. Templates only lay out values that TypeScript has already resolved and
 * quoted; they hold no decisions. Every template is compiled with `noEscape: true` (Handlebars would
 * otherwise HTML-escape `'` as `&#x27;`) and `strict: true` (a missing field is an error, not an empty
 * string). A team's folder (`--templates DIR`, config `templates`) overrides any built-in file of the
 * same relative path.
 */
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { UserError } from '../errors.js';

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
  readonly #hbs = Handlebars.create();
  readonly #sources = new Map<string, { file: string; text?: string }>();
  readonly #compiled = new Map<string, Compiled>();

  /**
   * @param dirs folders to read, later ones overriding earlier ones (built-in first, then the user's).
   *   Missing folders are skipped.
   */
  constructor(dirs: readonly string[]) {
    for (const dir of dirs) {
      if (!existsSync(dir)) continue;
      for (const file of listHbs(dir)) {
        const key = relative(dir, file).split(sep).join('/').replace(/\.hbs$/, '');
        this.#sources.set(key, { file });
      }
    }
    for (const [key, source] of this.#sources) {
      if (key.startsWith('partials/')) {
        this.#hbs.registerPartial(key.slice('partials/'.length), this.#read(key, source));
      }
    }
  }

  /**
   * SHA-256 over every template's name and bytes (partials included), in name order: a key for caches of
   * rendered output (`../cache/steps.ts`). Reads every file once.
   */
  fingerprint(): string {
    const hash = createHash('sha256');
    for (const key of [...this.#sources.keys()].sort()) hash.update(`${key}\0${this.#read(key, this.#sources.get(key)!)}\0`);
    return hash.digest('hex');
  }

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
      fn = this.#hbs.compile(this.#read(name, source), { noEscape: true, strict: true });
      this.#compiled.set(name, fn);
    }
    try {
      return fn(view);
    } catch (err) {
      const file = this.#sources.get(name)?.file ?? name;
      throw new UserError(`template ${file}: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  #read(name: string, source: { file: string; text?: string }): string {
    source.text ??= readFileSync(source.file, 'utf8');
    return source.text;
  }
}

function listHbs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listHbs(full));
    else if (entry.endsWith('.hbs')) out.push(full);
  }
  return out;
}
