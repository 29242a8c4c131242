/**
 * The SQL commands (`upgrade`, `downgrade`, `stamp`) from resolved options to output, and `verify`.
 *
 * {@link compileSql} compiles a plan into either one script or, with `--split`, one script per step plus
 * `manifest.json` (`../script/split.ts`), without writing anything; {@link writeSql} writes the result
 * atomically (`../io/atomic.ts`). Every script's header carries the command line that compiles it again
 * (`-- Reproduce with: sqlscribe ...`, the flags that were given, canonically ordered), and a manifest its
 * `argv`: {@link verify} runs that command again in memory, in the project folder, and compares.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { getDialect } from '../dialects/index.js';
import type { ConfigFlags } from '../load/config.js';
import { compileSteps, findingLines, type CompileInput } from '../plan/compile.js';
import { dialectTemplates, type TemplateSet } from '../render/templates.js';
import type { Plan } from '../revision/index.js';
import { assembleScript, type ScriptOptions } from '../script/assemble.js';
import { versionStates } from '../script/guard.js';
import { isSplitOutput, MANIFEST, manifestText, sha256Hex, splitFileName, type Manifest } from '../script/split.js';
import { writeDirectoryAtomic, writeFileAtomic } from '../io/atomic.js';
import type { Project } from '../cli/project.js';
import { StepCache } from '../cache/steps.js';
import { toolFingerprint } from '../cache/migrations.js';
import { TRANSPILE_KEY } from '../load/modules.js';

/** The options of a SQL command as commander gives them (config keys as flags, plus these). */
export interface SqlOptions extends ConfigFlags {
  output?: string;
  /** false with `--no-guard`. */
  guard?: boolean;
  idempotent?: boolean;
  /** `--date [when]`: true without a value (now, ISO 8601). */
  date?: string | boolean;
  split?: boolean;
}

/** What a SQL command produces. */
export type SqlOutput =
  | { readonly kind: 'file'; readonly text: string }
  | { readonly kind: 'split'; readonly files: readonly { readonly name: string; readonly text: string }[]; readonly manifest: Manifest };

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word for a POSIX shell: as is when safe, else in single quotes. */
export function shellQuote(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Splits a command line written by {@link shellQuote} back into words. */
export function shellSplit(line: string): string[] {
  const words: string[] = [];
  const re = /\s*(?:'((?:[^']|'\\'')*)'|(\S+))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null && m[0].trim() !== '') {
    words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);
  }
  return words;
}

/**
 * The canonical argv (without `sqlscribe`) of a SQL command: the command, the target as typed, then each
 * option that was given, in a fixed order. `date` is the concrete value used.
 */
export function reproduceArgv(command: string, target: string, opts: SqlOptions, date: string | undefined): string[] {
  const argv = [command, target];
  const add = (flag: string, value?: string | boolean) => {
    if (value === undefined || value === false) return;
    argv.push(flag);
    if (typeof value === 'string') argv.push(value);
  };
  add('--config', opts.config);
  add('--dialect', opts.dialect);
  for (const m of opts.migrations ?? []) add('--migrations', m);
  add('--templates', opts.templates);
  add('--version-table', opts.versionTable);
  add('--version-table-schema', opts.versionTableSchema);
  add('--transaction-per-migration', opts.transactionPerMigration);
  if (opts.guard === false) argv.push('--no-guard');
  add('--idempotent', opts.idempotent);
  add('--history-table', opts.historyTable);
  add('--lock-timeout', opts.lockTimeout);
  add('--statement-timeout', opts.statementTimeout);
  add('--autocommit-statement-timeout', opts.autocommitStatementTimeout);
  add('--search-path', opts.searchPath);
  add('--role', opts.role);
  add('--date', date);
  add('--split', opts.split);
  add('-o', opts.output);
  return argv;
}

/**
 * The template set a SQL command of `project` renders with: the dialect's built-in templates and the
 * config's overrides (one set per command, shared by {@link scriptKey} and {@link compileSql}).
 * @throws UserError for an unknown dialect.
 */
export function sqlTemplates(project: Pick<Project, 'config'>): TemplateSet {
  return dialectTemplates(getDialect(project.config.dialect).name, project.config.templates);
}

/**
 * The script cache's key (`../cache/scripts.ts`) of `command target` with `opts` on `project`: SHA-256 over the
 * tool fingerprint, the working folder, the resolved config, the command, target and options (keys sorted),
 * the fingerprint of `templates` ({@link sqlTemplates}) and every migration's file and SHA-256 in load order.
 * Undefined — compile, do not cache — when the output may depend on more than these: a migration whose value
 * is not a function of its text (no `dataKey`: it imports a helper, reads `process.env`, ..., or no cache
 * folder), or `--date` without a value (the clock).
 */
export function scriptKey(
  project: Pick<Project, 'cwd' | 'config' | 'migrations'>,
  command: 'upgrade' | 'downgrade' | 'stamp',
  target: string,
  opts: SqlOptions,
  templates: TemplateSet,
): string | undefined {
  const { config, migrations } = project;
  if (opts.date === true || migrations.some((m) => m.dataKey === undefined)) return undefined;
  const options = Object.fromEntries(Object.entries(opts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const hash = createHash('sha256').update(JSON.stringify([toolFingerprint(versionOf(), TRANSPILE_KEY), project.cwd, config, command, target, options, templates.fingerprint()]));
  for (const m of migrations) hash.update(`\0${m.file}\0${m.sha256}`);
  return hash.digest('hex');
}

/**
 * Compiles `command target` of `project` with `opts`, writing nothing.
 * @param templates the command's templates ({@link sqlTemplates}), when the caller has them already
 * @throws UserError for a bad option combination or anything the compile refuses.
 */
export function compileSql(project: Project, command: 'upgrade' | 'downgrade' | 'stamp', target: string, plan: Plan, opts: SqlOptions, templates = sqlTemplates(project)): SqlOutput {
  const { config } = project;
  const dialect = getDialect(config.dialect);
  if (opts.split && !opts.output) throw new UserError('--split writes one file per revision step into a folder: give it with -o DIR');
  const date = opts.date === true ? new Date().toISOString() : typeof opts.date === 'string' ? opts.date : undefined;
  if (date !== undefined && /[\r\n]/.test(date)) throw new UserError('--date must be one line');
  const argv = reproduceArgv(command, target, opts, date);
  const versionTable = { name: config.versionTable, ...(config.versionTableSchema ? { schema: config.versionTableSchema } : {}) };
  const script: ScriptOptions = {
    guard: opts.guard !== false,
    idempotent: opts.idempotent === true,
    settings: config.settings,
    ...(config.historyTable ? { historyTable: { name: config.historyTable, ...(config.versionTableSchema ? { schema: config.versionTableSchema } : {}) } } : {}),
    ...(date !== undefined ? { date } : {}),
    file: opts.output ?? '<file>',
    reproduce: ['sqlscribe', ...argv].map(shellQuote).join(' '),
  };
  const input: CompileInput = {
    dialect,
    templates,
    map: project.map,
    migrations: project.byRevision,
    plan,
    header: { tool: 'sqlscribe', version: versionOf(), dialect: dialect.name, command: plan.command, range: plan.range, lines: [] },
    versionTable,
    transactionPerMigration: config.transactionPerMigration,
    ...(config.namingConvention ? { namingConvention: config.namingConvention } : {}),
    script,
    stepCache: new StepCache(config.cacheDir, toolFingerprint(versionOf(), TRANSPILE_KEY)),
  };
  const { steps, findings } = compileSteps(input);
  const header = { ...input.header, lines: findingLines(findings) };
  const assemble = (subset: typeof steps, start: readonly string[], s: ScriptOptions, range: string, lines = header.lines) =>
    assembleScript({
      dialect,
      templates,
      header: { ...header, range, lines },
      steps: subset,
      versionTable,
      transactionPerMigration: config.transactionPerMigration,
      start,
      options: s,
    });
  if (!opts.split) return { kind: 'file', text: assemble(steps, plan.start, script, plan.range) };

  const states = versionStates(plan.start, steps.map((c) => c.step));
  const side = (rows: readonly string[]) => (rows.length === 0 ? 'base' : [...rows].join(','));
  const files = steps.map((c, i) => {
    const name = splitFileName(c, i, steps.length);
    const own = findings.filter((f) => f.revision === c.step.revision);
    const text = assemble([c], states[i]!, { ...script, file: name }, `${side(states[i]!)}:${side(states[i + 1]!)}`, findingLines(own));
    return { name, text, c };
  });
  const manifest: Manifest = {
    tool: 'sqlscribe',
    version: versionOf(),
    dialect: dialect.name,
    direction: plan.command,
    range: plan.range,
    argv,
    files: files.map(({ name, text, c }) => ({ path: name, sha256: sha256Hex(text), from: [...c.step.from], to: [...c.step.to], message: c.message })),
  };
  return { kind: 'split', files: files.map(({ name, text }) => ({ name, text })), manifest };
}

let version: string | undefined;
function versionOf(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}

/**
 * Writes a {@link SqlOutput}: a script to stdout or `-o FILE` (atomically), or a split folder with its
 * manifest (atomically, as a whole).
 * @throws UserError when `-o` names a folder for one script, or a file for `--split`, or cannot be written.
 */
export function writeSql(cwd: string, out: SqlOutput, output: string | undefined, stdout: (text: string) => void): void {
  if (out.kind === 'file') {
    if (!output) {
      stdout(out.text);
      return;
    }
    const file = resolve(cwd, output);
    if (output.endsWith('/') || (existsSync(file) && statSync(file).isDirectory())) {
      throw new UserError(`-o ${output} is a folder — give a file name, e.g. -o ${join(output, 'upgrade.sql')}, or add --split for one file per revision`);
    }
    writeFileAtomic(file, out.text);
    return;
  }
  const dir = resolve(cwd, output!);
  writeDirectoryAtomic(dir, [...out.files, { name: MANIFEST, text: manifestText(out.manifest) }], isSplitOutput);
}

/** One file's outcome in {@link verify}. */
export interface VerifyEntry {
  readonly path: string;
  /** `ok`; `drifted`: the repository now compiles other bytes; `modified`: the file differs from its manifest checksum; `missing` / `extra`: in only one of the two. */
  readonly status: 'ok' | 'drifted' | 'modified' | 'missing' | 'extra';
}

/**
 * `sqlscribe verify DIR|FILE`: compiles the recorded command again from the current migrations and
 * compares. A folder needs its `manifest.json` (checksums and `argv`); a file its `-- Reproduce with:`
 * header line. Prints one line per file (`ok`, `drifted`, `modified`, `missing`, `extra`).
 * @param recompile runs a recorded argv and returns what it would write (the CLI parses it)
 * @throws UserError when anything drifted (exit 1), or the input is not a sqlscribe output.
 */
export function verify(cwd: string, target: string, recompile: (argv: readonly string[]) => SqlOutput, stdout: (text: string) => void): void {
  const path = resolve(cwd, target);
  if (!existsSync(path)) throw new UserError(`${target} does not exist — give a folder written by --split -o, or a script file`);
  const entries: VerifyEntry[] = [];
  if (statSync(path).isDirectory()) {
    const manifestFile = join(path, MANIFEST);
    if (!existsSync(manifestFile)) throw new UserError(`${target} has no ${MANIFEST} — verify takes a folder written by --split -o DIR, or one script file`);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
      if (!Array.isArray(manifest.argv) || !Array.isArray(manifest.files)) throw new Error('argv or files missing');
    } catch (err) {
      throw new UserError(`${join(target, MANIFEST)}: not a sqlscribe manifest (${(err as Error).message}) — compile the folder again with --split -o`);
    }
    const now = recompile(manifest.argv);
    const produced = new Map(now.kind === 'split' ? now.files.map((f) => [f.name, sha256Hex(f.text)] as const) : []);
    for (const f of manifest.files) {
      const onDisk = join(path, f.path);
      const fresh = produced.get(f.path);
      if (fresh === undefined) entries.push({ path: f.path, status: 'missing' });
      else if (!existsSync(onDisk) || sha256Hex(readFileSync(onDisk, 'utf8')) !== f.sha256) entries.push({ path: f.path, status: 'modified' });
      else entries.push({ path: f.path, status: fresh === f.sha256 ? 'ok' : 'drifted' });
    }
    for (const name of produced.keys()) if (!manifest.files.some((f) => f.path === name)) entries.push({ path: name, status: 'extra' });
    for (const name of readdirSync(path)) {
      if (name !== MANIFEST && !manifest.files.some((f) => f.path === name)) entries.push({ path: name, status: 'extra' });
    }
  } else {
    const text = readFileSync(path, 'utf8');
    const line = /^-- Reproduce with: sqlscribe (.*)$/m.exec(text);
    if (!line) throw new UserError(`${target} has no '-- Reproduce with:' header line — it was not written by this sqlscribe (or was edited); compile it again`);
    const now = recompile(shellSplit(line[1]!));
    const fresh = now.kind === 'file' ? now.text : now.files.find((f) => f.name === basename(path))?.text;
    entries.push({ path: target, status: fresh === undefined ? 'missing' : fresh === text ? 'ok' : 'drifted' });
  }
  const what: Record<VerifyEntry['status'], string> = {
    ok: 'ok',
    drifted: 'drifted: the current migrations compile to other SQL',
    modified: 'modified: the file no longer matches its manifest checksum',
    missing: 'missing: the current migrations no longer produce this file',
    extra: 'extra: not in the manifest',
  };
  for (const e of entries) stdout(`${e.status === 'ok' ? 'ok' : 'DRIFT'}  ${e.path}${e.status === 'ok' ? '' : `  (${what[e.status]})`}\n`);
  const bad = entries.filter((e) => e.status !== 'ok');
  if (bad.length > 0) {
    throw new UserError(`verify: ${bad.length} of ${entries.length} ${entries.length === 1 ? 'file differs' : 'files differ'} from what the repository produces now — compile the scripts again and attach the new ones to the ticket`);
  }
  stdout(`verified: ${entries.length} ${entries.length === 1 ? 'script matches' : 'scripts match'} the current migrations\n`);
}
