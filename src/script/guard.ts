/**
 * The version guard: the first thing a script does (after the dialect's preamble and session settings)
 * is to check that the version table holds exactly the revisions the script starts from, and otherwise
 * to stop — before any change — with a message naming what it expected and what it found. Alembic has
 * no such check: its offline `UPDATE alembic_version ... WHERE version_num = '<from>'` silently updates
 * no row on a database at another revision (research: peers.md row 11), after the DDL has run.
 *
 * What the guard accepts is a list of version states (each a set of version rows; compared as sets):
 * - a plain script: the one state before its first step (from base: no rows — the version table absent
 *   or empty);
 * - an `--idempotent` script: the state before it or after any of its steps, since re-running a script
 *   that stopped half-way (autocommit blocks, `--transaction-per-migration`) or that completed must be
 *   harmless.
 *
 * The syntax is the dialect's: template `guard.sql` of `templates/<dialect>/` lays out the view built
 * here ({@link GuardView}); a dialect without that template has no guard yet, and the compile stops
 * asking for `--no-guard` (see README "The version guard" for the PostgreSQL, SQLite and MySQL designs).
 */
import { UserError } from '../errors.js';
import type { Dialect } from '../dialects/types.js';
import type { Step, VersionOp } from '../revision/index.js';

/** A version state: the rows of the version table (revision ids), in a stable order. */
export type VersionState = readonly string[];

/** Applies one step's version-table ops to a state (Alembic's INSERT/UPDATE/DELETE semantics). */
export function applyVersionOps(state: VersionState, ops: readonly VersionOp[]): VersionState {
  const rows = [...state];
  for (const v of ops) {
    if (v.op === 'insert') rows.push(v.revision);
    else if (v.op === 'delete') {
      const i = rows.indexOf(v.revision);
      if (i >= 0) rows.splice(i, 1);
    } else {
      const i = rows.indexOf(v.from);
      if (i >= 0) rows[i] = v.to;
    }
  }
  return rows;
}

/**
 * The version states of a run: `[S0, S1, ..., Sn]`, `S0 = start` (the rows before the first step) and
 * `Si` the rows after step i.
 */
export function versionStates(start: VersionState, steps: readonly Pick<Step, 'versionOps'>[]): VersionState[] {
  const states: VersionState[] = [[...start]];
  for (const s of steps) states.push(applyVersionOps(states[states.length - 1]!, s.versionOps));
  return states;
}

/** True when two states hold the same rows. */
export function sameState(a: VersionState, b: VersionState): boolean {
  return a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0');
}

/** A state as a reader sees it: `a1, b2`, or `no revision` for base. */
export function describeState(state: VersionState): string {
  return state.length === 0 ? 'no revision (no version table, or an empty one)' : [...state].sort().join(', ');
}

/** What a state means for the table, in words: `alembic_version to hold exactly [a1]`, or no row for base. */
export function expectation(table: string, state: VersionState): string {
  return state.length === 0 ? `${table} absent or empty` : `${table} holding exactly [${[...state].sort().join(', ')}]`;
}

/** One accepted state in the guard's view. */
export interface GuardStateView {
  /** The revision ids as the dialect's string literals, sorted (`'a1'`, `'b2'`); empty for base. */
  readonly revisions: readonly string[];
  /** The number of rows. */
  readonly count: number;
  /** True for base: no version table, or an empty one. */
  readonly empty: boolean;
  /** The state for a reader, as a string literal (`'a1, b2'`). */
  readonly text: string;
}

/**
 * What `guard.sql` receives. Every value is final SQL: identifiers quoted, strings as literals of the
 * dialect, so a template lays them out and decides nothing.
 */
export interface GuardView {
  /** The version table, quoted and qualified (`alembic_version`, `"Ops".alembic_version`). */
  readonly table: string;
  /** The version column, quoted (`version_num`). */
  readonly column: string;
  /** The version column's name as a string literal (`'version_num'`), for dynamic SQL. */
  readonly columnLiteral: string;
  /** The qualified, quoted table name as a string literal (`'alembic_version'`), e.g. for `to_regclass`. */
  readonly tableLiteral: string;
  /** The bare table name as a string literal, for catalog lookups (`information_schema.tables`). */
  readonly tableNameLiteral: string;
  /** The schema as a string literal, or null for the default schema. */
  readonly schemaLiteral: string | null;
  /** The states the table may hold, at least one. */
  readonly states: readonly GuardStateView[];
  /** The whole "what was expected" sentence as a string literal; the template appends what it found. */
  readonly message: string;
  /** What to do, as a string literal. */
  readonly hint: string;
  /** A dollar-quote tag (`$guard$`) that occurs in none of the values (PostgreSQL `DO` bodies). */
  readonly tag: string;
  /** A short name for a temporary object the guard may need (`sqlscribe_guard`), unquoted and safe. */
  readonly scratch: string;
  /** {@link scratch} quoted as an identifier, for the guard's temporary table. */
  readonly scratchTable: string;
  /**
   * The guard's temporary copy of the version rows, quoted (`sqlscribe_guard_rows`): one column, named
   * {@link column}. SQLite and MySQL read the version table into it (an absent table leaves it empty) and
   * test {@link scratchMatch} on it, so no statement but one refers to the version table itself.
   */
  readonly scratchRows: string;
  /** `INSERT INTO <scratchRows> (<column>) SELECT <column> FROM <table>`: final SQL. */
  readonly copyRows: string;
  /** {@link copyRows} as a string literal, for dynamic SQL (MySQL `PREPARE`). */
  readonly copyRowsLiteral: string;
  /**
   * A boolean SQL expression, true when the version table holds exactly one of the accepted states:
   * per state `(SELECT COUNT(*) FROM t) = n AND (SELECT COUNT(*) FROM t WHERE col IN (...)) = n` (the
   * column is the table's primary key, so the rows are distinct and this is set equality), joined with OR.
   */
  readonly match: string;
  /** {@link match} over {@link scratchRows} instead of the version table. */
  readonly scratchMatch: string;
  /** True when one accepted state is base: an absent version table then passes. */
  readonly acceptsBase: boolean;
  /**
   * The message for an engine whose error text cannot carry what was found (SQLite's `RAISE` takes a
   * literal): {@link message}'s sentence ending `the database has other rows (printed above).`, then the
   * hint; a string literal.
   */
  readonly staticMessage: string;
  /**
   * For an error text the engine truncates (MySQL's and MariaDB's 128-character echo of a value in
   * "Incorrect integer value: '%-.128s'"): a short form, what was found first —
   * `foundPrefix || <found> || expectedSuffix` — as two string literals:
   * `'sqlscribe version guard: found '` and `'; expected [a2] (upgrade a2:head)'` (base: `none`; several
   * accepted states joined with ` or `).
   */
  readonly foundPrefix: string;
  readonly expectedSuffix: string;
  /**
   * The dialect's `CREATE TABLE IF NOT EXISTS` of the version table (`versionTable.sql`), final SQL, or
   * null when the caller gave none. SQLite's guard runs it inside its savepoint, so that the table can be
   * read whether or not it existed (see the SQLite template).
   */
  readonly createVersionTable: string | null;
}

/** A dollar-quote tag `$<base>$` (or `$<base>_<n>$`) that occurs in none of `texts`. */
export function dollarTag(base: string, texts: readonly string[]): string {
  for (let n = 0; ; n++) {
    const tag = n === 0 ? `$${base}$` : `$${base}_${n}$`;
    if (!texts.some((t) => t.includes(tag))) return tag;
  }
}

/**
 * The guard's view model.
 * @param what the script for the message: `upgrade 8f6e0f2be8d2:head`
 * @param states the accepted states (see the module comment), at least one
 */
export function guardView(args: {
  dialect: Dialect;
  versionTable: { readonly name: string; readonly schema?: string };
  what: string;
  states: readonly VersionState[];
  idempotent: boolean;
  /** The version table's `CREATE TABLE IF NOT EXISTS` (rendered `versionTable.sql`), for {@link GuardView.createVersionTable}. */
  createVersionTable?: string;
}): GuardView {
  const { dialect, versionTable } = args;
  if (args.states.length === 0) throw new Error('internal: a guard needs at least one state');
  const unique: VersionState[] = [];
  for (const s of args.states) if (!unique.some((u) => sameState(u, s))) unique.push([...s].sort());
  const tableText = versionTable.schema ? `${versionTable.schema}.${versionTable.name}` : versionTable.name;
  const expected = unique.map(describeState);
  const sentence = args.idempotent
    ? `sqlscribe version guard: this re-runnable script (${args.what}) expects ${tableText} to hold exactly one of: ${expected.map((e) => `[${e}]`).join(' or ')}; the database has `
    : `sqlscribe version guard: this script (${args.what}) expects ${expectation(tableText, unique[0]!)}; the database has `;
  const hint =
    'Nothing was changed. Check that the client is connected to the intended database; if it is, compile the script for the revisions it is at (sqlscribe upgrade <those revisions>:<target>).';
  const table = dialect.qualify(versionTable.name, versionTable.schema);
  const column = dialect.quoteIdentifier('version_num');
  const states = unique.map((s) => ({
    revisions: s.map((r) => dialect.quoteString(r)),
    count: s.length,
    empty: s.length === 0,
    text: dialect.quoteString(describeState(s)),
  }));
  const scratchRows = dialect.quoteIdentifier('sqlscribe_guard_rows');
  const copyRows = `INSERT INTO ${scratchRows} (${column}) SELECT ${column} FROM ${table}`;
  const matchOver = (rel: string) =>
    states
      .map((s) =>
        s.empty
          ? `(SELECT COUNT(*) FROM ${rel}) = 0`
          : `((SELECT COUNT(*) FROM ${rel}) = ${s.count} AND (SELECT COUNT(*) FROM ${rel} WHERE ${column} IN (${s.revisions.join(', ')})) = ${s.count})`,
      )
      .join(' OR ');
  const expectedShort = unique.map((u) => (u.length === 0 ? 'none' : `[${[...u].sort().join(', ')}]`)).join(' or ');
  const values = [table, column, sentence, hint, ...states.flatMap((s) => [...s.revisions, s.text])];
  const view: GuardView = {
    table,
    column,
    columnLiteral: dialect.quoteString('version_num'),
    tableLiteral: dialect.quoteString(table),
    tableNameLiteral: dialect.quoteString(versionTable.name),
    schemaLiteral: versionTable.schema ? dialect.quoteString(versionTable.schema) : null,
    states,
    message: dialect.quoteString(sentence),
    hint: dialect.quoteString(hint),
    tag: dollarTag('guard', values),
    scratch: 'sqlscribe_guard',
    scratchTable: dialect.quoteIdentifier('sqlscribe_guard'),
    scratchRows,
    copyRows,
    copyRowsLiteral: dialect.quoteString(copyRows),
    match: `(${matchOver(table)})`,
    scratchMatch: `(${matchOver(scratchRows)})`,
    acceptsBase: states.some((s) => s.empty),
    staticMessage: dialect.quoteString(`${sentence}other rows (printed above). ${hint}`),
    foundPrefix: dialect.quoteString('sqlscribe version guard: found '),
    expectedSuffix: dialect.quoteString(`; expected ${expectedShort} (${args.what})`),
    createVersionTable: args.createVersionTable ?? null,
  };
  return view;
}

/** The error for a dialect whose templates have no `guard.sql`. */
export function noGuardError(dialect: string): UserError {
  return new UserError(
    `the ${dialect} dialect has no version guard yet (no template ${dialect}/guard.sql.hbs) — pass --no-guard to compile without it, or add that template with --templates`,
  );
}
