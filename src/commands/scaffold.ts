/**
 * Scaffolding: `sqlscribe init` (a new project folder) and the new migration file of
 * `sqlscribe revision` / `sqlscribe merge`. These are Alembic's `alembic init` and
 * `ScriptDirectory.generate_revision` (rendering `script.py.mako`), for TypeScript migration files.
 *
 * Everything here is a pure function of already-resolved inputs: the CLI resolves the config, the
 * migrations folder, the parent revision(s) (from `--head`, or the current heads for `merge`) and the
 * {@link TemplateSet}, then calls in. Nothing here reads the revision graph; nothing prints.
 *
 * All decisions are taken in TypeScript and the template `revision.ts.hbs` only lays out finished
 * strings (the TS literals of `down`, `message`, ...), so that a team's own copy of the template
 * cannot get quoting wrong.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { writeNewFileAtomically } from '../io/atomic.js';
import { checkRevisionId } from '../ops/builders.js';
import { BUILTIN_TEMPLATES_DIR, type TemplateSet } from '../render/templates.js';

/** The config file that {@link initProject} writes (the loader also accepts `sqlscribe.config.ts`). */
export const CONFIG_FILE = 'sqlscribe.config.json';

/** Alembic's `truncate_slug_length` default: the longest slug kept in a revision file name. */
export const TRUNCATE_SLUG_LENGTH = 40;

/** The TemplateSet key of the new-revision template, file `templates/revision.ts.hbs`. */
export const REVISION_TEMPLATE = 'revision.ts';

/** Options of {@link initProject}. */
export interface InitOptions {
  /** The `dialect` written into the config; default `'postgresql'`. The CLI has checked it is known. */
  dialect?: string;
}

/**
 * Scaffolds a project in `dir` (created if missing), as `alembic init` does:
 *
 * - `sqlscribe.config.json`: `{ "dialect": <opts.dialect ?? "postgresql">, "migrations": ["migrations"],
 *   "out": "out", "templates": "templates" }`;
 * - `migrations/.gitkeep`, so that the empty migrations folder can be committed;
 * - `templates/revision.ts.hbs`: a copy of the built-in template for new migration files, so that the
 *   team owns it and can edit it, as Alembic copies `script.py.mako` into a new project.
 *
 * Existing folders are reused, but no file is ever overwritten: when any of the files above exists
 * (or a `sqlscribe.config.ts`, which would then compete with the new JSON config), nothing is written
 * and a {@link UserError} names every one of them. (Alembic refuses any non-empty folder; refusing only
 * what would be clobbered lets a team add sqlscribe to an existing repository.)
 *
 * @param dir the project folder, relative to the working directory or absolute.
 * @returns the absolute paths created, in creation order: the folders that did not exist before
 *   (`dir` itself, `migrations`, `templates`) and the three files. The CLI prints them as
 *   Alembic prints "Creating directory ... done" / "Generating ... done".
 * @throws UserError when a file would be overwritten, when a path that must be a folder is a file, or
 *   when `opts.dialect` is not a plain name.
 */
export function initProject(dir: string, opts: InitOptions = {}): string[] {
  const root = resolve(dir);
  const dialect = opts.dialect ?? 'postgresql';
  if (typeof dialect !== 'string' || !/^[a-z][a-z0-9_]*$/.test(dialect)) {
    throw new UserError(`init: the dialect must be a name such as 'postgresql', got ${JSON.stringify(dialect)}`);
  }
  const config = { dialect, migrations: ['migrations'], out: 'out', templates: 'templates' };
  const folders = [root, join(root, 'migrations'), join(root, 'templates')];
  const files: { path: string; text: string }[] = [
    { path: join(root, CONFIG_FILE), text: `${JSON.stringify(config, null, 2)}\n` },
    { path: join(root, 'migrations', '.gitkeep'), text: '' },
    { path: join(root, 'templates', 'revision.ts.hbs'), text: readFileSync(join(BUILTIN_TEMPLATES_DIR, 'revision.ts.hbs'), 'utf8') },
  ];

  const notFolders = folders.filter((p) => pathExists(p) && !statSafe(p)?.isDirectory());
  if (notFolders.length > 0) {
    throw new UserError(`init: ${notFolders.join(', ')} ${notFolders.length === 1 ? 'exists and is not a folder' : 'exist and are not folders'}`);
  }
  const existing = [...files.map((f) => f.path), join(root, 'sqlscribe.config.ts')].filter(pathExists);
  if (existing.length > 0) {
    throw new UserError(
      `init: not overwriting ${existing.join(', ')} — move ${existing.length === 1 ? 'it' : 'them'} away, or init another folder`,
    );
  }

  const created: string[] = [];
  for (const folder of folders) {
    if (!pathExists(folder)) {
      mkdirSync(folder, { recursive: true });
      created.push(folder);
    }
  }
  for (const file of files) {
    writeNewFile(file.path, file.text);
    created.push(file.path);
  }
  return created;
}

/**
 * A new revision id: 12 lowercase hex characters from `crypto.randomBytes(6)` (48 random bits), the
 * shape of Alembic's `uuid.uuid4().hex[-12:]` (whose last 12 hex digits are all random bits too).
 * The CLI uses it unless `--rev-id` is given.
 */
export function newRevisionId(): string {
  return randomBytes(6).toString('hex');
}

/**
 * The slug of a revision file name, exactly as Alembic builds it (`ScriptDirectory._rev_path`):
 * the runs of word characters (letters, digits, `_`; Unicode letters included, as Python's `\w`) joined
 * with `_`, then lowercased. A slug longer than {@link TRUNCATE_SLUG_LENGTH} code points is cut at that
 * length, back to its last `_`, and ends with `_` (`slug[:40].rsplit('_', 1)[0] + '_'`); so
 * `'Add users table and user foreign key to cases'` gives `'add_users_table_and_user_foreign_key_to_'`.
 * A message without any word character gives `''` (and the file `<revision>_.ts`, as Alembic's
 * `<revision>_.py`).
 */
export function slugify(message: string): string {
  const slug = (message.match(/[\p{L}\p{N}_]+/gu) ?? []).join('_').toLowerCase();
  const chars = Array.from(slug);
  if (chars.length <= TRUNCATE_SLUG_LENGTH) return slug;
  const cut = chars.slice(0, TRUNCATE_SLUG_LENGTH).join('');
  const last = cut.lastIndexOf('_');
  return `${last === -1 ? cut : cut.slice(0, last)}_`;
}

/** Options of {@link writeRevision} (and {@link revisionView}). */
export interface WriteRevisionOptions {
  /** The migrations folder to write into; it must exist (`sqlscribe init` makes one). */
  dir: string;
  /** The new revision id ({@link newRevisionId}, or `--rev-id`). */
  revision: string;
  /**
   * Alembic's `down_revision`: `null` for a base (the first revision, or `--head base`), one id, or
   * several for a merge point (`sqlscribe merge`). An array of one id is written as that id, and an
   * empty array as `null`.
   */
  down: string | readonly string[] | null;
  /** `-m MSG`; may be empty. */
  message: string;
  /** `--branch-label`: written as `branchLabels: ['a', ...]` when given (and not empty). */
  branchLabels?: readonly string[];
  /** `--depends-on`: written as `dependsOn: ['a', ...]` when given (and not empty). */
  dependsOn?: readonly string[];
  /** The templates (built-in plus the project's `templates` folder); `revision.ts` is rendered. */
  templates: TemplateSet;
}

/**
 * The fields `revision.ts.hbs` receives: all finished text, so a template only lays them out.
 * A team's own template may use any of them.
 */
export interface RevisionView {
  /** The revision id, raw (it has no quote or white space): `7b4f50a1e0e0`. */
  readonly revision: string;
  /** The revision id as a TS string literal: `'7b4f50a1e0e0'`. */
  readonly revisionLiteral: string;
  /** `down` as TS: `null`, `'8f6e0f2be8d2'` or `['2a6d94c6cc2b', '7b4f50a1e0e0']`. */
  readonly downLiteral: string;
  /** `down` for a comment, as Alembic's `Revises:` line: `<base>`, `8f6e0f2be8d2` or `2a6d94c6cc2b, 7b4f50a1e0e0`. */
  readonly revises: string;
  /** The message, raw (for a team's template that wants it elsewhere; it is not escaped for anything). */
  readonly message: string;
  /** The message as a TS string literal (single quotes, escaped): `'Add HedgeDoc slug to cases'`. */
  readonly messageLiteral: string;
  /**
   * The message for the inside of a `/** ... *\/` comment: `*\/` defused, each further line prefixed with
   * `\n * `, `(no message)` when empty.
   */
  readonly messageComment: string;
  /** `['auth']`, or `''` when there are no branch labels (so `{{#if branchLabelsLiteral}}`). */
  readonly branchLabelsLiteral: string;
  /** `['2a6d94c6cc2b']`, or `''` when there are no dependencies. */
  readonly dependsOnLiteral: string;
  /** The file name, `<revision>_<slug>.ts`. */
  readonly fileName: string;
}

/**
 * The view {@link writeRevision} renders: checks the ids and computes every literal.
 * @throws UserError for a revision id (or `down` / `dependsOn` id) that `migration()` would reject or
 *   that cannot be part of a file name, or for an empty branch label.
 */
export function revisionView(opts: Omit<WriteRevisionOptions, 'dir' | 'templates'>): RevisionView {
  const revision = fileSafeRevisionId(opts.revision, 'revision');
  const downList = opts.down === null ? [] : typeof opts.down === 'string' ? [opts.down] : [...opts.down];
  downList.forEach((d) => fileSafeRevisionId(d, 'down revision'));
  const labels = [...(opts.branchLabels ?? [])];
  labels.forEach((l) => {
    if (typeof l !== 'string' || l.trim().length === 0) throw new UserError(`a branch label must be a non-empty name, got ${JSON.stringify(l)}`);
  });
  const deps = [...(opts.dependsOn ?? [])];
  deps.forEach((d) => fileSafeRevisionId(d, 'depends-on revision'));
  if (typeof opts.message !== 'string') throw new UserError('the revision message must be a string');

  const lines = opts.message
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\*\//g, '*\\/').trimEnd());
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const messageComment =
    lines.length === 0 ? '(no message)' : lines.map((l, i) => (i === 0 ? l : l === '' ? '\n *' : `\n * ${l}`)).join('');

  return {
    revision,
    revisionLiteral: tsString(revision),
    downLiteral: downList.length === 0 ? 'null' : downList.length === 1 ? tsString(downList[0]!) : tsArray(downList),
    revises: downList.length === 0 ? '<base>' : downList.join(', '),
    message: opts.message,
    messageLiteral: tsString(opts.message),
    messageComment,
    branchLabelsLiteral: labels.length === 0 ? '' : tsArray(labels),
    dependsOnLiteral: deps.length === 0 ? '' : tsArray(deps),
    fileName: `${revision}_${slugify(opts.message)}.ts`,
  };
}

/**
 * Writes a new migration file `<dir>/<revision>_<slug>.ts` from the template `revision.ts.hbs`
 * (Alembic's `script.py.mako`), and returns its path (`join(dir, fileName)`).
 *
 * The file imports from `'sqlscribe'`, declares the ids and message, an empty `upgrade: []` with a
 * comment, and no `downgrade`, with a comment saying it is derived and when to write one. The output
 * depends on the inputs only (no "Create Date" line, unlike Alembic, so that it can be tested and
 * diffed).
 *
 * The file is written to a temporary file beside it, flushed, then hard-linked into place, which fails
 * instead of replacing a file that appeared meanwhile (a plain check then rename where the file system
 * has no hard links): a reader never sees half a file, and an existing file is never overwritten.
 *
 * @throws UserError when `dir` is not an existing folder (as Alembic's "Path doesn't exist"), when a file
 *   for this revision id already exists there (`<revision>_*.ts`, any slug: Alembic's "Revision ... is
 *   present more than once"), for an invalid id or label ({@link revisionView}), or when the template
 *   fails (a team's template that names a field the view lacks).
 */
export function writeRevision(opts: WriteRevisionOptions): string {
  const view = revisionView(opts);
  const st = statSafe(opts.dir);
  if (!st) throw new UserError(`the migrations folder ${opts.dir} doesn't exist: create it, or run 'sqlscribe init'`);
  if (!st.isDirectory()) throw new UserError(`the migrations folder ${opts.dir} is not a folder`);
  const clash = readdirSync(opts.dir).filter((f) => f.startsWith(`${view.revision}_`) && f.endsWith('.ts')).sort();
  if (clash.length > 0) {
    throw new UserError(`revision ${view.revision} already exists: ${join(opts.dir, clash[0]!)} — pick another --rev-id`);
  }
  const text = opts.templates.render(REVISION_TEMPLATE, view);
  const path = join(opts.dir, view.fileName);
  writeNewFileAtomically(path, text);
  return path;
}

/** A TS string literal in single quotes: `\`, `'`, control characters, U+2028/9 and lone surrogates escaped. */
function tsString(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029 || (code >= 0xd800 && code <= 0xdfff)) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}'`;
}

function tsArray(values: readonly string[]): string {
  return `[${values.map(tsString).join(', ')}]`;
}

/** {@link checkRevisionId} (what `migration()` accepts), plus no path separator, NUL, or leading dot. */
function fileSafeRevisionId(id: unknown, what: string): string {
  if (typeof id !== 'string' || id.length === 0) throw new UserError(`the ${what} id must be a non-empty string, got ${JSON.stringify(id)}`);
  checkRevisionId(id);
  if (/[/\\\0]/.test(id) || id.startsWith('.')) throw new UserError(`'${id}' cannot be a revision id: it must not contain '/' or start with '.'`);
  return id;
}

function statSafe(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates a file that must not exist yet (`wx`): a file appearing meanwhile is an error, never clobbered. */
function writeNewFile(path: string, text: string): void {
  try {
    const fd = openSync(path, 'wx');
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UserError(`not overwriting ${path}`);
    throw err;
  }
}
