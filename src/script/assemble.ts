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
 */
import type { Dialect, Statement } from '../dialects/types.js';
import type { TemplateSet } from '../render/templates.js';
import type { Step, VersionOp } from '../revision/index.js';

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
}

/** What the header template receives (`templates/_default/header.sql.hbs`). */
export interface HeaderView {
  readonly tool: string;
  readonly version: string;
  readonly dialect: string;
  readonly command: string;
  readonly range: string;
  readonly lines: readonly string[];
}

/**
 * Lays out the whole script.
 * @param transactionPerMigration Alembic's `transaction_per_migration`
 */
export function assembleScript(args: {
  dialect: Dialect;
  templates: TemplateSet;
  header: HeaderView;
  steps: readonly CompiledStep[];
  versionTable: VersionTable;
  transactionPerMigration: boolean;
  /**
   * Statements written after the header, before the first `BEGIN`, and after the last `COMMIT` (a
   * dialect's `rebuild.outside`: SQLite's `PRAGMA foreign_keys`, a no-op inside a transaction).
   */
  outside?: { readonly before: readonly string[]; readonly after: readonly string[] };
}): string {
  const { dialect, templates, steps } = args;
  const out: string[] = [];
  const transactional = dialect.transactionalDdl;
  let open = false;
  const statement = (sql: string) => out.push(`${sql.trim()};\n\n`);
  const begin = () => {
    if (transactional && !open) {
      statement(templates.render('begin.sql', {}));
      open = true;
    }
  };
  const commit = () => {
    if (open) {
      statement(templates.render('commit.sql', {}));
      open = false;
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

  out.push(templates.render('header.sql', args.header).trimEnd() + '\n\n');
  for (const sql of args.outside?.before ?? []) statement(sql);
  // Alembic opens the transaction before the first step, so an empty range still reads BEGIN/COMMIT.
  if (!args.transactionPerMigration) begin();
  for (const compiled of steps) {
    const { step } = compiled;
    begin();
    if (step.createVersionTable) statement(templates.render('versionTable.sql', versionView));
    const running = `-- Running ${step.direction === 'stamp' ? 'stamp_revision' : step.direction} ${step.from.join(', ')} -> ${step.to.join(', ')}`;
    const messageLines = compiled.message.trim() ? compiled.message.trim().split(/\r?\n|\r/).map((l) => `-- ${l}`.trimEnd()) : [];
    const warningLines = (compiled.warnings ?? []).map((w) => `-- WARNING: ${w}`.trimEnd());
    out.push([running, ...messageLines, ...warningLines].join('\n') + '\n\n');
    for (const s of compiled.statements) {
      if ('comment' in s) {
        out.push(`-- ${s.comment}`.trimEnd() + '\n\n');
        continue;
      }
      if (s.autocommit || compiled.nonTransactional) commit();
      else begin();
      statement(s.sql);
    }
    begin();
    for (const v of step.versionOps) statement(bookkeeping(v));
    if (args.transactionPerMigration) commit();
  }
  commit();
  for (const sql of args.outside?.after ?? []) statement(sql);
  return out.join('').replace(/\n+$/, '\n');
}
