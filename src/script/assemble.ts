/**
 * Script assembly in the layout of `alembic upgrade --sql` (research: alembic-offline.md §0, §2, §4):
 * every statement is `<sql>;` followed by a blank line; `BEGIN;` ... `COMMIT;` around the run when the
 * dialect has transactional DDL (one pair per revision with `transactionPerMigration`); the version
 * table's `CREATE TABLE` inside the first step when the range starts at base; per step the comment
 * `-- Running upgrade <from> -> <to>` and then — unlike Alembic, for reviewers — the revision's message
 * as a comment, then any warnings of the step (`-- WARNING: ...`, e.g. what a derived downgrade restores
 * empty); the step's statements, with comment lines where the compiler put them (after raw SQL the schema
 * model cannot follow); the version-table bookkeeping. Statements that cannot run in a
 * transaction block (`CREATE INDEX CONCURRENTLY`, a migration with `transactional: false`) go between
 * `COMMIT;` and `BEGIN;`, as Alembic's `autocommit_block()` writes them.
 *
 * Around that layout, for the DBA who runs the script by hand (issue 5; README "The generated script"):
 * 1. the header (`header.sql`): tool, version, dialect, direction, range, the version rows before and
 *    after, each revision applied with its message, source file and the file's SHA-256, the guard, the
 *    settings, the lint findings, how to apply it — no timestamp unless `date` is given;
 * 2. the dialect's preamble (`preamble.sql`, PostgreSQL: `\set ON_ERROR_STOP on`), when it has one;
 * 3. `BEGIN;` (when the run is one transaction) and the session settings (`setting.sql`, see
 *    `./settings.ts`);
 * 4. the version guard (`guard.sql`, see `./guard.ts`), unless `guard: false`: one statement the
 *    assembler ends with `;`, or several statements (SQLite, MySQL, MariaDB) whose last `;` the template
 *    writes but for the very last, as for any statement — unless the rendered text already ends with `;`;
 * 5. per step a progress line (`progress.sql`, PostgreSQL: psql `\echo`), when the dialect has one;
 * 6. with `historyTable`, the audit table (`historyTable.sql`, created if missing) and one row per step
 *    (`historyInsert.sql`) after the step's bookkeeping.
 * With `idempotent` (only for a dialect with `stepGate.sql`; otherwise a UserError), each step is skipped when the version table shows it applied (`stepGate.sql` /
 * `stepGateEnd.sql`, PostgreSQL: psql `\gset` + `\if`), and the bookkeeping is state-based instead of Alembic's UPDATE (each step deletes the
 * rows it leaves and inserts, when missing, the rows it adds: `versionInsertIfMissing.sql`), so that a
 * re-run from any state the guard accepts ends at the same rows.
 */
import { createHash } from 'node:crypto';
import type { Dialect, Statement } from '../dialects/types.js';
import type { TemplateSet } from '../render/templates.js';
import type { Step, VersionOp } from '../revision/index.js';
import { UserError } from '../errors.js';
import { describeState, expectation, guardView, noGuardError, versionStates, type VersionState } from './guard.js';
import { checkSettings, describeSettings, noSettings, settingViews, type SessionSettings } from './settings.js';

/** The version table, as Alembic's `version_table` / `version_table_schema` configure it. */
export interface VersionTable {
  readonly name: string;
  readonly schema?: string;
}

/** A comment line among a step's statements (`-- <text>`, then a blank line), e.g. after raw SQL. */
export interface ScriptComment {
  readonly comment: string;
}

/** One compiled step: its plan step, the message to show, and the statements of its ops. */
export interface CompiledStep {
  readonly step: Step;
  /** The revision's message (empty for stamp steps). */
  readonly message: string;
  /** The statements of the step's ops, in order, with comment lines where the compiler put them. */
  readonly statements: readonly (Statement | ScriptComment)[];
  /** The migration was declared `transactional: false`: all its statements run outside a transaction. */
  readonly nonTransactional: boolean;
  /**
   * Lines printed as `-- WARNING: <text>` right after the step's `-- Running` and message comment lines
   * (e.g. a column a derived downgrade restores empty). None: the output is as without this field.
   */
  readonly warnings?: readonly string[];
  /**
   * A table was rebuilt in this step (`Dialect.rebuild`): the script then opens and ends with the
   * dialect's `rebuild.outside` statements (SQLite: `PRAGMA foreign_keys`, a no-op inside a transaction).
   */
  readonly rebuilt?: boolean;
  /** The migration file (relative to the working directory) and the SHA-256 (hex) of its bytes; none for stamps. */
  readonly source?: { readonly file: string; readonly sha256: string };
}

/** What the caller says about the run, for the header. */
export interface HeaderView {
  readonly tool: string;
  readonly version: string;
  readonly dialect: string;
  readonly command: string;
  readonly range: string;
  /** Extra header lines (e.g. lint findings), each printed as `-- <line>`. */
  readonly lines: readonly string[];
}

/** How a script is wrapped for the DBA (see the module comment). */
export interface ScriptOptions {
  /** The version guard (default on; `--no-guard` turns it off). */
  readonly guard: boolean;
  /** Re-runnable DDL and bookkeeping (`--idempotent`); the guard then accepts every state of the run. */
  readonly idempotent: boolean;
  /** PostgreSQL session settings. */
  readonly settings: SessionSettings;
  /** The audit table (`--history-table`), or none. */
  readonly historyTable?: VersionTable;
  /** A date or time for the header (`--date`); none: no timestamp anywhere, same input → same bytes. */
  readonly date?: string;
  /** The file name the header's "Apply with" line names (`<file>` for stdout). */
  readonly file: string;
  /** The command line that compiles this script again (`verify` reads it back), or none. */
  readonly reproduce?: string;
}

/** Options of a plain run: guard on, nothing else. */
export const DEFAULT_SCRIPT_OPTIONS: ScriptOptions = { guard: true, idempotent: false, settings: {}, file: '<file>' };

/** One revision of the header's list, as `header.sql` receives it. */
export interface HeaderRevisionView {
  /** 1-based position in the script. */
  readonly n: number;
  readonly direction: string;
  /** The `-- Running` sides (`8f6e0f2be8d2`, `a1, b2`; empty for base). */
  readonly from: string;
  readonly to: string;
  /** The revision id; empty for a stamp step. */
  readonly revision: string;
  /** The message's first line. */
  readonly message: string;
  /** The migration file, relative to the working directory; empty for a stamp step. */
  readonly file: string;
  /** SHA-256 (hex) of the migration file; empty for a stamp step. */
  readonly sha256: string;
}

/** What `header.sql` receives. Plain text: every line is printed after `-- `. */
export interface HeaderTemplateView {
  readonly tool: string;
  readonly version: string;
  readonly dialect: string;
  readonly command: string;
  readonly range: string;
  /** The version rows before the script (`a1, b2`, or `no revision (...)`). */
  readonly before: string;
  /** The version rows after it. */
  readonly after: string;
  readonly revisions: readonly HeaderRevisionView[];
  /** The guard, the settings, the audit table, idempotence, lint findings: one line each. */
  readonly lines: readonly string[];
  /** How to apply it (`psql -X -f upgrade.sql`). */
  readonly apply: string;
  /** `--date`, or null. */
  readonly date: string | null;
  /** The command that compiles this script again, or null. */
  readonly reproduce: string | null;
}

/** The SHA-256 (hex) of a step's statements as the script lays them out: `script_sha256` of the audit table. */
export function stepSha256(compiled: CompiledStep): string {
  const text = compiled.statements.map((s) => ('comment' in s ? `-- ${s.comment}\n` : `${s.sql.trim()};\n`)).join('');
  return createHash('sha256').update(text).digest('hex');
}

/** The first line of a message. */
function firstLine(message: string): string {
  return message.trim().split(/\r?\n|\r/)[0] ?? '';
}

/**
 * Lays out the whole script.
 * @param start the version rows before the script (`Plan.start`; for a split file, the rows before its step)
 * @param transactionPerMigration Alembic's `transaction_per_migration`
 * @throws UserError when the options ask for what the dialect's templates lack (a guard, settings), or a
 *   template fails.
 */
export function assembleScript(args: {
  dialect: Dialect;
  templates: TemplateSet;
  header: HeaderView;
  steps: readonly CompiledStep[];
  versionTable: VersionTable;
  transactionPerMigration: boolean;
  start?: VersionState;
  options?: ScriptOptions;
}): string {
  const { dialect, templates, steps } = args;
  const o = args.options ?? DEFAULT_SCRIPT_OPTIONS;
  const start = args.start ?? [];
  const states = versionStates(start, steps.map((c) => c.step));
  checkSettings(o.settings, dialect, templates);
  if (o.guard && !templates.has('guard.sql')) throw noGuardError(dialect.name);
  // --idempotent needs each step skipped whole when the version table shows it applied (a later step's
  // rename or drop must not be undone by re-running an earlier one): the client must execute a step
  // conditionally. psql can (`\if`); the sqlite3 shell and the mysql/mariadb clients cannot, so no
  // re-runnable script is written rather than one that is not.
  if (o.idempotent && !templates.has('stepGate.sql')) {
    throw new UserError(
      `--idempotent is not available for the ${dialect.name} dialect: its client (${dialect.applyWith('<file>').split(' ')[0]}) cannot skip a step the version table shows applied (no template ${dialect.name}/stepGate.sql.hbs), so a re-run could undo a later step — compile without --idempotent; a script stopped half-way is resumed from the revision the version table names`,
    );
  }

  const out: string[] = [];
  const transactional = dialect.transactionalDdl;
  let open = false;
  /** Which session-level settings are in force: none, the standard ones, or the autocommit block's. */
  let session: 'none' | 'standard' | 'autocommit' = 'none';
  const hasSettings = !noSettings(o.settings);
  const statement = (sql: string) => out.push(`${sql.trim()};\n\n`);
  // Templates rendered with an empty view (`begin.sql`, `commit.sql`, `stepGateEnd.sql`) give the same
  // text every time: rendered once per script.
  const fixed = new Map<string, string>();
  const renderFixed = (name: string): string => {
    let text = fixed.get(name);
    if (text === undefined) fixed.set(name, (text = templates.render(name, {})));
    return text;
  };
  const meta = (text: string) => {
    const t = text.trim();
    if (t) out.push(`${t}\n\n`);
  };
  const settings = (where: 'transaction' | 'session' | 'autocommit') => {
    for (const view of settingViews(o.settings, dialect, where)) statement(templates.render('setting.sql', view));
  };
  const begin = () => {
    if (transactional && !open) {
      statement(renderFixed('begin.sql'));
      open = true;
      if (hasSettings && session !== 'standard') settings('transaction');
    }
  };
  const commit = () => {
    if (open) {
      statement(renderFixed('commit.sql'));
      open = false;
    }
  };
  const autocommit = () => {
    commit();
    const differs = o.settings.autocommitStatementTimeout !== undefined;
    const want = differs ? 'autocommit' : 'standard';
    if (hasSettings && session !== want) {
      settings(differs ? 'autocommit' : 'session');
      session = want;
    }
  };

  const table = dialect.qualify(args.versionTable.name, args.versionTable.schema);
  const versionView = {
    table,
    column: dialect.quoteIdentifier('version_num'),
    qualifiedColumn: `${table}.${dialect.quoteIdentifier('version_num')}`,
    constraint: dialect.quoteIdentifier(`${args.versionTable.name}_pkc`),
  };
  const bookkeeping = (v: VersionOp): string => {
    switch (v.op) {
      case 'insert':
        return templates.render('versionInsert.sql', { ...versionView, revision: dialect.quoteString(v.revision) });
      case 'update':
        return templates.render('versionUpdate.sql', { ...versionView, from: dialect.quoteString(v.from), to: dialect.quoteString(v.to) });
      case 'delete':
        return templates.render('versionDelete.sql', { ...versionView, revision: dialect.quoteString(v.revision) });
    }
  };
  /** Idempotent bookkeeping: from state `before` to `after` whatever the table holds among the run's states. */
  const idempotentBookkeeping = (before: VersionState, after: VersionState): string[] => [
    ...before.filter((r) => !after.includes(r)).map((r) => templates.render('versionDelete.sql', { ...versionView, revision: dialect.quoteString(r) })),
    ...after.filter((r) => !before.includes(r)).map((r) => templates.render('versionInsertIfMissing.sql', { ...versionView, revision: dialect.quoteString(r) })),
  ];
  const history = o.historyTable
    ? {
        table: dialect.qualify(o.historyTable.name, o.historyTable.schema),
        constraint: dialect.quoteIdentifier(`${o.historyTable.name}_pkc`),
      }
    : undefined;

  // 1. The header.
  const what = `${args.header.command} ${args.header.range}`;
  const accepted = o.idempotent ? states : [states[0]!];
  const tableText = args.versionTable.schema ? `${args.versionTable.schema}.${args.versionTable.name}` : args.versionTable.name;
  const lines: string[] = [];
  if (o.guard) {
    lines.push(
      o.idempotent
        ? `Version guard: stops before any change unless ${tableText} holds the rows before this script or after one of its steps (re-runnable)`
        : `Version guard: stops before any change unless it finds ${expectation(tableText, states[0]!)}`,
    );
  } else lines.push('Version guard: none (--no-guard): nothing checks which revision the database is at');
  if (o.idempotent) {
    lines.push('Idempotent: DDL guarded with IF [NOT] EXISTS or catalog checks, version bookkeeping that tolerates a re-run; applying it twice leaves the database as once');
  }
  if (hasSettings) lines.push(`Session settings: ${describeSettings(o.settings)}`);
  if (o.historyTable) {
    const h = o.historyTable.schema ? `${o.historyTable.schema}.${o.historyTable.name}` : o.historyTable.name;
    lines.push(`Audit trail: one row per step in ${h} (revision, direction, script SHA-256, sqlscribe version, applied at)`);
  }
  const headerView: HeaderTemplateView = {
    tool: args.header.tool,
    version: args.header.version,
    dialect: args.header.dialect,
    command: args.header.command,
    range: args.header.range,
    before: describeState(states[0]!),
    after: describeState(states[states.length - 1]!),
    revisions: steps.map((c, i) => ({
      n: i + 1,
      direction: c.step.direction,
      from: c.step.from.join(', '),
      to: c.step.to.join(', '),
      revision: c.step.revision ?? '',
      message: firstLine(c.message),
      file: c.source?.file ?? '',
      sha256: c.source?.sha256 ?? '',
    })),
    lines: [...lines, ...(dialect.headerNotes ?? []), ...args.header.lines],
    apply: dialect.applyWith(o.file),
    date: o.date ?? null,
    reproduce: o.reproduce ?? null,
  };
  out.push(templates.render('header.sql', headerView).trimEnd() + '\n\n');

  // 2-4. Preamble, opening, settings, guard.
  if (templates.has('preamble.sql')) meta(templates.render('preamble.sql', {}));
  // A rebuild's statements outside any transaction: before the first BEGIN, after the last COMMIT.
  const outside = dialect.rebuild && steps.some((c) => c.rebuilt) ? dialect.rebuild.outside : undefined;
  for (const sql of outside?.before ?? []) statement(sql);
  // Alembic opens the transaction before the first step, so an empty range still reads BEGIN/COMMIT.
  if (!args.transactionPerMigration) begin();
  if (hasSettings && !open) {
    settings('session');
    session = 'standard';
  }
  if (o.guard) {
    const createVersionTable = templates.render('versionTable.sql', versionView).trim();
    const guard = templates.render('guard.sql', guardView({ dialect, versionTable: args.versionTable, what, states: accepted, idempotent: o.idempotent, createVersionTable }));
    // A guard that ends its own last statement (MariaDB's ends with the client command `DELIMITER ;`)
    // gets no second `;`.
    if (guard.trimEnd().endsWith(';')) meta(guard);
    else statement(guard);
  }
  if (history && steps.length > 0) {
    begin();
    statement(templates.render('historyTable.sql', history));
  }

  // 5-6. The steps.
  steps.forEach((compiled, i) => {
    const { step } = compiled;
    begin();
    if (step.createVersionTable) statement(templates.render('versionTable.sql', versionView));
    // --idempotent: a step the version table shows as applied is skipped whole (psql `\if`), so that a
    // later step's rename or drop is not undone by re-running an earlier one; the per-op guards cover a
    // step that stopped half-way (autocommit blocks).
    const gated = o.idempotent && templates.has('stepGate.sql');
    if (gated) {
      const rows = [...states[i]!].sort().map((r) => dialect.quoteString(r));
      meta(templates.render('stepGate.sql', { ...versionView, revisions: rows }));
    }
    if (templates.has('progress.sql')) {
      const text = `sqlscribe: ${step.direction} ${step.from.join(', ')} -> ${step.to.join(', ')} (${i + 1}/${steps.length})${compiled.message.trim() ? `: ${firstLine(compiled.message)}` : ''}`;
      meta(templates.render('progress.sql', { text, quoted: quotePsql(text) }));
    }
    const running = `-- Running ${step.direction === 'stamp' ? 'stamp_revision' : step.direction} ${step.from.join(', ')} -> ${step.to.join(', ')}`;
    const messageLines = compiled.message.trim() ? compiled.message.trim().split(/\r?\n|\r/).map((l) => `-- ${l}`.trimEnd()) : [];
    const warningLines = (compiled.warnings ?? []).map((w) => `-- WARNING: ${w}`.trimEnd());
    out.push([running, ...messageLines, ...warningLines].join('\n') + '\n\n');
    for (const s of compiled.statements) {
      if ('comment' in s) {
        out.push(`-- ${s.comment}`.trimEnd() + '\n\n');
        continue;
      }
      if (s.autocommit || compiled.nonTransactional) autocommit();
      else begin();
      statement(s.sql);
    }
    begin();
    if (o.idempotent) for (const sql of idempotentBookkeeping(states[i]!, states[i + 1]!)) statement(sql);
    else for (const v of step.versionOps) statement(bookkeeping(v));
    if (history) {
      const revision = step.revision ?? step.to.join(',');
      statement(
        templates.render('historyInsert.sql', {
          ...history,
          revision: dialect.quoteString(revision),
          direction: dialect.quoteString(step.direction),
          sha256: dialect.quoteString(stepSha256(compiled)),
          version: dialect.quoteString(args.header.version),
          onlyIfChanged: o.idempotent,
        }),
      );
    }
    if (gated) meta(renderFixed('stepGateEnd.sql'));
    if (args.transactionPerMigration) commit();
  });
  commit();
  for (const sql of outside?.after ?? []) statement(sql);
  return joinTrimmed(out);
}

/**
 * `pieces.join('')` with its trailing newlines cut to one (none when it has none), as
 * `pieces.join('').replace(/\n+$/, '\n')` gives, without scanning the whole script: only the last pieces
 * are looked at. Empties `pieces`' tail in place.
 */
function joinTrimmed(pieces: string[]): string {
  let newline = false;
  let k = pieces.length;
  while (k > 0) {
    const p = pieces[k - 1]!;
    let e = p.length;
    while (e > 0 && p.charCodeAt(e - 1) === 10) e--;
    if (e < p.length) newline = true;
    if (e > 0) {
      pieces[k - 1] = p.slice(0, e);
      break;
    }
    k--;
  }
  pieces.length = k;
  return pieces.join('') + (newline ? '\n' : '');
}

/**
 * A psql meta-command argument in single quotes (psql docs, "Meta-Commands": two single quotes stand
 * for one, and backslash escapes apply inside quotes, so a backslash is doubled). Newlines become spaces.
 */
export function quotePsql(text: string): string {
  // Most progress lines need no escaping: one scan instead of three replaces.
  if (!/[\r\n\\']/.test(text)) return `'${text}'`;
  return `'${text.replace(/[\r\n]+/g, ' ').replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
