/**
 * Naming conventions for constraints and indexes, with SQLAlchemy's tokens and rules
 * (`sqlalchemy/sql/naming.py`, `MetaData(naming_convention=...)`; spec "Names of constraints and indexes").
 * Dialect-neutral: a dialect passes its identifier length limit.
 *
 * The rule (SQLAlchemy's `_constraint_name_for_table`): when the convention has a template for the
 * constraint's kind, it names the constraint if the constraint has no name, or if the template contains
 * `%(constraint_name)s` (then the given name is put into the template: `ck_%(table_name)s_%(constraint_name)s`
 * turns a check named `positive` on `t` into `ck_t_positive`). Otherwise the given name stays, and an
 * unnamed constraint is left to the database.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import type { NamingConvention } from './types.js';

/** The keys of a {@link NamingConvention}: index, unique, check, foreign key, primary key. */
export type ConventionKey = keyof NamingConvention;

/** What a convention template can refer to, for one constraint or index. */
export interface ConventionSubject {
  /** Which template applies. */
  readonly key: ConventionKey;
  /** The table the constraint is on (without schema); undefined when not known (a drop by name). */
  readonly table?: string;
  /** The table's schema, used by `%(column_0_label)s` (`schema_table_column`, as SQLAlchemy's `_ddl_label`). */
  readonly schema?: string;
  /**
   * The constrained (local) columns, in order. `undefined` when they are not known (a drop by name): a
   * template that needs them is then an error rather than a wrong name.
   */
  readonly columns?: readonly string[];
  /** The name given by the migration, if any (`%(constraint_name)s`). */
  readonly name?: string;
  /** Foreign keys: the referred table (without schema) and columns. */
  readonly referredTable?: string;
  readonly referredColumns?: readonly string[];
}

/** Options of {@link conventionalName}. */
export interface ConventionOptions {
  /**
   * The dialect's longest identifier (PostgreSQL 63). A convention-made name longer than this is shortened
   * as SQLAlchemy does (`_truncate_and_render_maxlen_name`): its first `max - 8` characters, `_`, and the
   * last 4 hex digits of the MD5 of the full name. Names given by the migration are never shortened.
   */
  readonly maxIdentifierLength?: number;
  /** Text for error messages: which op asks (`op.createTable("users")`). */
  readonly where?: string;
}

const TOKEN = /%(?:\(([^)]*)\)s|%)/g;

/**
 * The name a constraint or index gets under `convention`, following SQLAlchemy's rules (module doc):
 * the given name, the convention's name, or `undefined` (left for the database to name).
 *
 * Tokens: `%(table_name)s`, `%(constraint_name)s`, `%(column_N_name)s`, `%(column_N_key)s` (the same as the
 * name here), `%(column_N_label)s` (`table_column`, or `schema_table_column`), the all-column forms
 * `%(column_0N_name)s` (names run together) and `%(column_0_N_name)s` (joined with `_`), likewise for
 * `_key`/`_label`, and for foreign keys `%(referred_table_name)s`, `%(referred_column_N_name)s`,
 * `%(referred_column_0N_name)s`, `%(referred_column_0_N_name)s`. A column index past the last column gives
 * the empty string (as SQLAlchemy). `%%` is a literal `%`.
 *
 * @throws UserError for an unknown token, `%(constraint_name)s` on an unnamed constraint (SQLAlchemy:
 *   "Naming convention including %(constraint_name)s token requires that constraint is explicitly named."),
 *   or a column token when the columns are not known.
 */
export function conventionalName(
  convention: NamingConvention | undefined,
  subject: ConventionSubject,
  options: ConventionOptions = {},
): string | undefined {
  const template = convention?.[subject.key];
  if (template === undefined) return subject.name;
  const usesName = /%\(constraint_name\)s/.test(template);
  if (subject.name !== undefined && !usesName) return subject.name;
  const where = options.where ? `${options.where}: ` : '';
  if (template.replace(TOKEN, '').includes('%')) {
    throw new UserError(`${where}naming convention ${subject.key} '${template}': a '%' must start a token like %(table_name)s (write %% for a literal %)`);
  }
  const rendered = template.replace(TOKEN, (_whole, token: string | undefined) => {
    if (token === undefined) return '%';
    return resolveToken(token, subject, `${where}naming convention ${subject.key} '${template}'`);
  });
  if (rendered.length === 0) throw new UserError(`${where}naming convention ${subject.key} '${template}' gives an empty name`);
  const max = options.maxIdentifierLength;
  if (max !== undefined && rendered.length > max) return truncateName(rendered, max);
  return rendered;
}

/** SQLAlchemy's shortening of a too-long convention name: `name[:max-8] + '_' + md5(name)[-4:]`. */
export function truncateName(name: string, max: number): string {
  const digest = createHash('md5').update(name, 'utf8').digest('hex');
  return `${name.slice(0, max - 8)}_${digest.slice(-4)}`;
}

/** True when the template of `key` exists and contains `%(constraint_name)s`. */
export function conventionUsesConstraintName(convention: NamingConvention | undefined, key: ConventionKey): boolean {
  const template = convention?.[key];
  return template !== undefined && /%\(constraint_name\)s/.test(template);
}

function resolveToken(token: string, s: ConventionSubject, where: string): string {
  if (token === 'table_name') {
    if (s.table === undefined) throw new UserError(`${where}: %(table_name)s needs the table, which this op does not give`);
    return s.table;
  }
  if (token === 'constraint_name') {
    if (s.name === undefined) {
      throw new UserError(`${where}: %(constraint_name)s needs the constraint to be named explicitly (give it a name, or drop the token)`);
    }
    return s.name;
  }
  if (token === 'referred_table_name') {
    if (s.key !== 'fk' || s.referredTable === undefined) throw new UserError(`${where}: %(referred_table_name)s applies only to foreign keys`);
    return s.referredTable;
  }
  const m = /^(referred_)?column_(\d+)(_?N)?_(name|key|label)$/.exec(token);
  if (!m) throw new UserError(`${where}: unknown token %(${token})s`);
  const [, referred, digits, multiple, attr] = m as unknown as [string, string | undefined, string, string | undefined, 'name' | 'key' | 'label'];
  let cols: readonly string[] | undefined;
  if (referred) {
    if (attr !== 'name') throw new UserError(`${where}: unknown token %(${token})s (referred columns have only _name)`);
    if (s.key !== 'fk') throw new UserError(`${where}: %(${token})s applies only to foreign keys`);
    cols = s.referredColumns;
  } else {
    cols = s.columns;
  }
  if (cols === undefined) {
    throw new UserError(`${where}: %(${token})s needs the constraint's columns, which this op does not give; write the full name instead`);
  }
  const render = (col: string): string => (attr === 'label' && !referred ? labelOf(s, col) : col);
  if (multiple !== undefined) {
    if (digits !== '0') throw new UserError(`${where}: unknown token %(${token})s (the all-columns form is column_0N_... or column_0_N_...)`);
    return cols.map(render).join(multiple.startsWith('_') ? '_' : '');
  }
  const col = cols[Number(digits)];
  return col === undefined ? '' : render(col);
}

function labelOf(s: ConventionSubject, col: string): string {
  if (s.table === undefined) throw new UserError(`%(column_N_label)s needs the table, which this op does not give`);
  return s.schema ? `${s.schema.replace(/\./g, '_')}_${s.table}_${col}` : `${s.table}_${col}`;
}
