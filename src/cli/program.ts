/**
 * The `sqlscribe` command line (spec "CLI"), built with commander. `runCli` runs one command in process
 * and returns its exit code: 0 ok, 1 user error (one line on stderr, no stack trace), 2 internal error.
 * SQL goes to stdout, or to `-o FILE` written atomically (a failed run leaves no file).
 */
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { UserError } from '../errors.js';
import { getDialect } from '../dialects/index.js';
import type { ConfigFlags } from '../load/config.js';
import { checkHistory, type CheckProblem } from '../plan/check.js';
import { formatFinding, lintRevision, type Finding } from '../lint/index.js';
import { dialectTemplates } from '../render/templates.js';
import { compileSql, scriptKey, sqlTemplates, verify, writeSql, type SqlOptions, type SqlOutput } from '../commands/sql.js';
import { ScriptCache } from '../cache/scripts.js';
import {
  planDowngrade,
  planStamp,
  planUpgrade,
  formatBranches,
  formatHeads,
  formatHistory,
  formatShow,
  historyJson,
  headsJson,
  branchesJson,
  showJson,
  type Plan,
} from '../revision/index.js';
import { openProject, VERSION, type Project } from './project.js';
import { initCommand, mergeCommand, revisionCommand } from './scaffold-commands.js';

/** Where a command writes. */
export interface CliIO {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

interface CommonOptions extends ConfigFlags {
  output?: string;
  json?: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds the flags every command shares: config keys and output. */
function common(cmd: Command, { output = false, json = false } = {}): Command {
  cmd
    .option('--config <file>', 'config file (default: sqlscribe.config.ts or .json in the working directory)')
    .addOption(new Option('--dialect <name>', 'SQL dialect').choices(['postgresql', 'sqlite', 'mysql', 'mariadb']))
    .option('--migrations <dir>', 'migrations folder (repeatable; default from config, else migrations/)', collect)
    .option('--templates <dir>', 'folder whose files override the built-in templates');
  if (output) {
    cmd
      .option('-o, --output <file>', 'write the SQL to this file (a folder with --split) instead of stdout, atomically')
      .option('--version-table <name>', 'version table name (default alembic_version)')
      .option('--version-table-schema <schema>', 'schema of the version table')
      .option('--transaction-per-migration', 'one BEGIN/COMMIT per revision instead of one for the run')
      .option('--no-guard', 'omit the version guard (the check, before any change, that the version table holds the revisions the script starts from)')
      .option('--idempotent', 'DDL and version bookkeeping that are harmless to run again (IF [NOT] EXISTS, catalog checks); the guard accepts every state of the run')
      .option('--history-table [name]', 'also record each applied step in an audit table (default name sqlscribe_history)')
      .option('--lock-timeout <duration>', 'PostgreSQL lock_timeout for the script (e.g. 5s)')
      .option('--statement-timeout <duration>', 'PostgreSQL statement_timeout for the script (e.g. 15min)')
      .option('--autocommit-statement-timeout <duration>', 'statement_timeout in autocommit blocks (CREATE INDEX CONCURRENTLY), default --statement-timeout')
      .option('--search-path <schemas>', 'PostgreSQL search_path for the script (comma-separated)')
      .option('--role <role>', 'PostgreSQL role to SET for the script')
      .option('--date [when]', 'print this date (default: now) in the header; without it the output has no timestamp')
      .option('--split', 'one script per revision step into the folder -o DIR, with DIR/manifest.json');
  }
  if (json) cmd.option('--json', 'print JSON');
  return cmd;
}

/** One error of `check --json`: a {@link CheckProblem}, or a file or graph that does not load (`kind: 'load'`). */
type CheckJsonError = Omit<CheckProblem, 'kind'> & { kind: CheckProblem['kind'] | 'load' };

/**
 * `sqlscribe check`: loads the project, then {@link checkHistory}. Text: each error as one
 * `sqlscribe: error: ...` line on stderr, then the count (exit 1); or, with no error, one line per lint
 * finding (`warning: <file> (revision r, upgrade op n kind): <rule>: <message>`) and `ok: N revisions,
 * head: X[, K lint findings]` on stdout (exit 1 with `--strict` when there are findings).
 * `--json`: `{ ok, revisions, heads, errors: [{ file, revision, list, op, kind, message }], findings }` on
 * stdout, also when the project does not load (one error of kind `load`); exit 1 on errors.
 */
function checkCommand(io: CliIO, opts: CommonOptions & { strict?: boolean }): void {
  const print = (result: { ok: boolean; revisions: number; heads: readonly string[]; errors: readonly CheckJsonError[]; findings: readonly unknown[] }) =>
    io.stdout(JSON.stringify(result, null, 2) + '\n');
  let project: Project;
  try {
    project = openProject(io.cwd, opts);
    // The revision map is built on first use: build it here, so that a bad graph is a load error too.
    void project.map;
  } catch (err) {
    if (opts.json && err instanceof UserError) {
      print({ ok: false, revisions: 0, heads: [], errors: [{ file: null, revision: null, list: null, op: null, kind: 'load', message: err.message }], findings: [] });
    }
    throw err;
  }
  const { config } = project;
  const dialect = getDialect(config.dialect);
  const report = checkHistory({
    dialect,
    templates: dialectTemplates(dialect.name, config.templates),
    map: project.map,
    migrations: project.byRevision,
    ...(config.namingConvention ? { namingConvention: config.namingConvention } : {}),
    lint: (lm, before) =>
      lintRevision({
        upgrade: lm.migration.upgrade,
        ...(lm.migration.downgrade ? { downgrade: lm.migration.downgrade } : {}),
        before,
        dialect: dialect.name,
        site: { file: lm.file, revision: lm.migration.revision },
      }),
  });
  const heads = [...project.map.heads];
  const revisions = project.migrations.length;
  const { errors } = report;
  const findings = report.findings as Finding[];
  const failed = errors.length > 0 || (opts.strict === true && findings.length > 0);
  if (opts.json) print({ ok: !failed, revisions, heads, errors, findings });
  else if (errors.length > 0) {
    // Lint past an error reads a model the error has already put off; --json carries both.
    for (const e of errors) io.stderr(`sqlscribe: error: ${e.message}\n`);
  } else {
    for (const f of findings) io.stdout(`${f.severity}: ${formatFinding(f)}\n`);
    const lint = findings.length ? `, ${findings.length} lint ${findings.length === 1 ? 'finding' : 'findings'}` : '';
    io.stdout(`ok: ${revisions} revisions, ${heads.length === 1 ? 'head' : 'heads'}: ${heads.join(', ') || '(none)'}${lint}\n`);
  }
  if (errors.length > 0) {
    const failing = new Set(errors.map((e) => e.revision)).size;
    throw new UserError(`check found ${errors.length} ${errors.length === 1 ? 'error' : 'errors'} in ${failing} of ${revisions} revisions`);
  }
  if (failed) throw new UserError(`check found ${findings.length} lint ${findings.length === 1 ? 'finding' : 'findings'} and --strict is set`);
}

/** A SQL command as parsed, for `verify`: the program then records it instead of running it. */
export type SqlCapture = (command: 'upgrade' | 'downgrade' | 'stamp', target: string, opts: SqlOptions) => void;

/**
 * Builds the commander program; actions write through `io`. With `capture`, the SQL commands only hand
 * their parsed arguments to it (how `verify` re-reads a recorded command line).
 */
export function buildProgram(io: CliIO, capture?: SqlCapture): Command {
  const program = new Command('sqlscribe')
    .description('Compile TypeScript migrations into reviewable SQL scripts, offline, with Alembic\'s revision graph and version table.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();

  const sqlCommand = (name: 'upgrade' | 'downgrade' | 'stamp', args: string, description: string, plan: (p: Project, target: string) => Plan) =>
    common(program.command(name).argument(args).description(description), { output: true }).action((target: string, opts: SqlOptions) => {
      if (capture) return capture(name, target, opts);
      const project = openProject(io.cwd, opts);
      // The same inputs compiled before: their output, without planning or compiling (../cache/scripts.ts).
      const scripts = new ScriptCache(project.config.cacheDir);
      const templates = sqlTemplates(project);
      const key = scriptKey(project, name, target, opts, templates);
      let out = scripts.get(key);
      if (!out) {
        out = compileSql(project, name, target, plan(project, target), opts, templates);
        scripts.put(key, out);
      }
      writeSql(io.cwd, out, opts.output, (t) => io.stdout(t));
    });
  const planners = { upgrade: planUpgrade, downgrade: planDowngrade, stamp: planStamp } as const;

  sqlCommand('upgrade', '<[from:]to>', "SQL that upgrades from FROM (default: base) to TO, like 'alembic upgrade --sql'", (p, t) => planUpgrade(p.map, t));
  sqlCommand('downgrade', '<from:to>', "SQL that downgrades from FROM to TO (a range is required offline, as in Alembic's --sql mode)", (p, t) => planDowngrade(p.map, t));
  sqlCommand('stamp', '<[from:]to>', 'version-table SQL only: marks the database as being at TO without running migrations', (p, t) => planStamp(p.map, t));

  common(program.command('history').description('list revisions, newest first'), { json: true })
    .option('-r, --rev-range <range>', 'only revisions in [start]:[end]')
    .option('-v, --verbose', 'show full details')
    .action((opts: CommonOptions & { revRange?: string; verbose?: boolean }) => {
      const { map } = openProject(io.cwd, opts);
      const o = { ...(opts.revRange ? { range: opts.revRange } : {}), verbose: !!opts.verbose };
      io.stdout(opts.json ? JSON.stringify(historyJson(map, o), null, 2) + '\n' : formatHistory(map, o));
    });
  common(program.command('heads').description('show the current heads'), { json: true })
    .option('-v, --verbose', 'show full details')
    .option('--resolve-dependencies', 'treat dependency revisions as down revisions (as Alembic)')
    .action((opts: CommonOptions & { verbose?: boolean; resolveDependencies?: boolean }) => {
      const { map } = openProject(io.cwd, opts);
      const o = { verbose: !!opts.verbose, resolveDependencies: !!opts.resolveDependencies };
      io.stdout(opts.json ? JSON.stringify(headsJson(map, o), null, 2) + '\n' : formatHeads(map, o));
    });
  common(program.command('branches').description('show branch points'), { json: true })
    .option('-v, --verbose', 'show full details')
    .action((opts: CommonOptions & { verbose?: boolean }) => {
      const { map } = openProject(io.cwd, opts);
      io.stdout(opts.json ? JSON.stringify(branchesJson(map), null, 2) + '\n' : formatBranches(map, { verbose: !!opts.verbose }));
    });
  common(program.command('show').argument('<rev>').description('show one revision'), { json: true }).action((rev: string, opts: CommonOptions) => {
    const { map } = openProject(io.cwd, opts);
    io.stdout(opts.json ? JSON.stringify(showJson(map, rev), null, 2) + '\n' : formatShow(map, rev));
  });
  common(program.command('check').description('load every migration, check the revision graph, and replay every path of it on the schema model (every op validated, every downgrade derived, every migration linted)'), { json: true })
    .option('--strict', 'exit 1 on lint findings too')
    .action((opts: CommonOptions & { strict?: boolean }) => checkCommand(io, opts));

  program
    .command('verify')
    .argument('<dir|file>', 'a folder written by --split -o DIR, or one script file')
    .description('compile the recorded command again from the current migrations and report the scripts that no longer match (exit 1 on drift)')
    .action((target: string) => {
      const recompile = (argv: readonly string[]): SqlOutput => {
        let parsed: Parameters<SqlCapture> | undefined;
        const quiet: CliIO = { cwd: io.cwd, stdout: () => undefined, stderr: () => undefined };
        try {
          buildProgram(quiet, (...a) => (parsed = a)).parse([...argv], { from: 'user' });
        } catch {
          parsed = undefined;
        }
        if (!parsed) throw new UserError(`verify: cannot read the recorded command line 'sqlscribe ${argv.join(' ')}' — compile the scripts again`);
        const [command, t, opts] = parsed;
        const project = openProject(io.cwd, opts);
        return compileSql(project, command, t, planners[command](project.map, t), opts);
      };
      verify(io.cwd, target, recompile, (t) => io.stdout(t));
    });

  common(program.command('init').argument('[dir]', 'project folder', '.').description('scaffold a config, migrations/ and the revision template'))
    .action((dir: string, opts: CommonOptions) => initCommand(io, dir, opts));
  common(program.command('revision').description('write a new migration file'))
    .requiredOption('-m, --message <msg>', 'the revision message')
    .option('--head <rev>', 'the parent revision (default: the single head)')
    .option('--branch-label <label>', 'a branch label for the new revision', collect)
    .option('--depends-on <rev>', 'a revision the new one depends on', collect)
    .option('--rev-id <id>', 'use this id instead of a fresh one')
    .option('--splice', 'allow a parent that is not a head (starts a new branch)')
    .action((opts) => revisionCommand(io, opts));
  common(program.command('merge').argument('<revs...>').description('write a merge revision of the given heads'))
    .requiredOption('-m, --message <msg>', 'the revision message')
    .option('--branch-label <label>', 'a branch label for the merge revision', collect)
    .option('--rev-id <id>', 'use this id instead of a fresh one')
    .action((revs: string[], opts) => mergeCommand(io, revs, opts));

  return program;
}

/**
 * Runs `sqlscribe` with `argv` (without the node and script paths) and returns the exit code.
 * Never throws: user errors print one line to stderr (exit 1); anything else is an internal error
 * (exit 2), with the stack only when `SQLSCRIBE_DEBUG` is set.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its message; help and version exit 0.
      return err.exitCode === 0 ? 0 : 1;
    }
    if (err instanceof UserError) {
      io.stderr(`sqlscribe: error: ${err.message}\n`);
      return 1;
    }
    io.stderr(`sqlscribe: internal error: ${(err as Error)?.message ?? String(err)} — please report it${process.env.SQLSCRIBE_DEBUG ? `\n${(err as Error)?.stack}` : ' (set SQLSCRIBE_DEBUG=1 for details)'}\n`);
    return 2;
  }
}

/** The precompiled built-in templates (filled in the bundle only; `test/cli/bin.test.ts` checks it holds every one). */
export { PRECOMPILED } from '../render/precompiled.js';
