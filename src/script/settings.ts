/**
 * Session settings of a PostgreSQL script (config keys / flags `lockTimeout`, `statementTimeout`,
 * `autocommitStatementTimeout`, `searchPath`, `role`), rendered through the dialect's `setting.sql`
 * template as `SET [LOCAL] <name> = <value>`:
 * - inside a transaction block, `SET LOCAL` right after each `BEGIN` (PostgreSQL 15 docs, SQL Commands:
 *   SET — "The effects of SET LOCAL last only till the end of the current transaction"), so nothing
 *   leaks into a pooled session;
 * - at the top of a script that opens no transaction there (`--transaction-per-migration`), `SET`;
 * - at the start of each autocommit block (`CREATE INDEX CONCURRENTLY`, `transactional: false`), `SET`
 *   with `statement_timeout` = `autocommitStatementTimeout` when given: a concurrent index build may need
 *   a longer one than the DDL in transactions.
 * Timeouts are PostgreSQL interval texts for the `lock_timeout` / `statement_timeout` GUCs (unit ms when
 * none: `500`, `5s`, `2min`, `1h`; `0` disables), checked here so a typo fails the compile, not the change.
 */
import { UserError } from '../errors.js';
import type { Dialect } from '../dialects/types.js';
import type { TemplateSet } from '../render/templates.js';

/** The settings as configured. Strings as written; `searchPath` a list of schema names. */
export interface SessionSettings {
  readonly lockTimeout?: string;
  readonly statementTimeout?: string;
  /** `statement_timeout` in autocommit blocks (default: `statementTimeout`). */
  readonly autocommitStatementTimeout?: string;
  readonly searchPath?: readonly string[];
  readonly role?: string;
}

/** One `SET` as the `setting.sql` template receives it: `SET {{scope}}{{name}} = {{value}}`. */
export interface SettingView {
  /** `LOCAL ` inside a transaction block, else the empty string. */
  readonly scope: string;
  /** The GUC name (`lock_timeout`, `statement_timeout`, `search_path`, `role`). */
  readonly name: string;
  /** The value, final SQL: a string literal, or a list of quoted identifiers for `search_path`. */
  readonly value: string;
}

const TIMEOUT = /^(0|[1-9][0-9]*)(\s*(ms|s|min|h|d))?$/;

/** True when no setting is given. */
export function noSettings(s: SessionSettings): boolean {
  return s.lockTimeout === undefined && s.statementTimeout === undefined && s.autocommitStatementTimeout === undefined && s.searchPath === undefined && s.role === undefined;
}

/**
 * Checks the settings against the dialect (it needs a `setting.sql` template) and the value formats.
 * @throws UserError naming the setting and the accepted form.
 */
export function checkSettings(s: SessionSettings, dialect: Dialect, templates: TemplateSet): void {
  if (noSettings(s)) return;
  if (!templates.has('setting.sql')) {
    throw new UserError(`session settings (lockTimeout, statementTimeout, autocommitStatementTimeout, searchPath, role) are PostgreSQL's; the ${dialect.name} dialect has none — remove them from the config or flags`);
  }
  for (const key of ['lockTimeout', 'statementTimeout', 'autocommitStatementTimeout'] as const) {
    const v = s[key];
    if (v !== undefined && !TIMEOUT.test(v.trim())) throw new UserError(`${key} must be a PostgreSQL duration such as 500ms, 5s, 2min, 1h or 0 (none); got ${JSON.stringify(v)}`);
  }
  if (s.searchPath !== undefined && (s.searchPath.length === 0 || s.searchPath.some((p) => p.trim() === ''))) throw new UserError(`searchPath must name one or more schemas; got ${JSON.stringify(s.searchPath)}`);
  if (s.role !== undefined && s.role.trim() === '') throw new UserError('role must be a role name');
}

/**
 * The `SET`s for one place in the script, in a fixed order: role, search_path, lock_timeout,
 * statement_timeout.
 * @param where `transaction` (SET LOCAL), `session` (SET), `autocommit` (SET, with the autocommit
 *   statement timeout)
 */
export function settingViews(s: SessionSettings, dialect: Dialect, where: 'transaction' | 'session' | 'autocommit'): SettingView[] {
  const scope = where === 'transaction' ? 'LOCAL ' : '';
  const out: SettingView[] = [];
  if (s.role !== undefined) out.push({ scope, name: 'role', value: dialect.quoteString(s.role.trim()) });
  if (s.searchPath !== undefined) out.push({ scope, name: 'search_path', value: s.searchPath.map((p) => dialect.quoteIdentifier(p.trim())).join(', ') });
  if (s.lockTimeout !== undefined) out.push({ scope, name: 'lock_timeout', value: dialect.quoteString(s.lockTimeout.trim()) });
  const statement = where === 'autocommit' ? (s.autocommitStatementTimeout ?? s.statementTimeout) : s.statementTimeout;
  if (statement !== undefined) out.push({ scope, name: 'statement_timeout', value: dialect.quoteString(statement.trim()) });
  return out;
}

/** The settings in one line for the header (`role migrator, search_path app, lock_timeout 5s, ...`). */
export function describeSettings(s: SessionSettings): string {
  const parts: string[] = [];
  if (s.role !== undefined) parts.push(`role ${s.role}`);
  if (s.searchPath !== undefined) parts.push(`search_path ${s.searchPath.join(', ')}`);
  if (s.lockTimeout !== undefined) parts.push(`lock_timeout ${s.lockTimeout}`);
  if (s.statementTimeout !== undefined) parts.push(`statement_timeout ${s.statementTimeout}`);
  if (s.autocommitStatementTimeout !== undefined) parts.push(`statement_timeout ${s.autocommitStatementTimeout} in autocommit blocks`);
  return parts.join('; ');
}
