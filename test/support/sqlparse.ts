/**
 * node-sql-parser as an independent reader of generated SQL: every statement of a script is parsed with
 * the grammar of its dialect (`database: 'Sqlite' | 'MySQL' | 'MariaDB' | 'PostgreSQL'`), apart from one
 * documented list of constructs the parser's grammars lack ({@link KNOWN_GAPS}), each with its reason and
 * what is done instead (parsed with another grammar, parsed after a rewrite, or not parsed — the engine
 * tests apply those). A statement that fails to parse and matches no gap is a test failure.
 *
 *   import { parseAll, assertParses } from '../support/sqlparse.js';
 *   assert.deepEqual(parseAll(script, 'mariadb').failures, []);
 *   assertParses(script, 'sqlite');          // throws naming the first statement the parser rejects
 *
 * The splitter knows `'...'`, `"..."`, `` `...` `` (quotes doubled, and backslash escapes in MySQL and
 * MariaDB strings), `-- ` and `/* *\/` comments, SQLite's `CREATE TRIGGER ... BEGIN ...; END` bodies,
 * sqlite3 dot-commands (`.bail on`) and the mysql/mariadb client's `DELIMITER` command (MariaDB's version
 * guard block).
 */
import nodeSqlParser from 'node-sql-parser';

const { Parser } = nodeSqlParser as unknown as { Parser: new () => { astify(sql: string, opt: { database: string }): unknown } };

/** A dialect, as sqlscribe names it. */
export type ParserDialect = 'mysql' | 'mariadb' | 'postgresql' | 'sqlite';

const PARSER_NAME: Record<ParserDialect, string> = { mysql: 'MySQL', mariadb: 'MariaDB', postgresql: 'PostgreSQL', sqlite: 'Sqlite' };

const TRIGGER = /^CREATE\s+(TEMP\s+|TEMPORARY\s+)?TRIGGER\b/i;

/**
 * The statements of a script, without their terminator and without comments between statements; a `;`
 * inside a string, a quoted identifier, a comment or a SQLite trigger body does not split. Backslash
 * escapes inside `'...'` and `"..."` count for `mysql`/`mariadb` (MySQL 8.0 Reference Manual, 11.1.1),
 * not for the others. For `mysql`/`mariadb`, a line `DELIMITER <d>` (the client command) sets the
 * terminator until the next such line and is not itself a statement.
 */
export function splitStatements(script: string, dialect: ParserDialect): string[] {
  const mysqlish = dialect === 'mysql' || dialect === 'mariadb';
  const out: string[] = [];
  let delimiter = ';';
  let current = '';
  let i = 0;
  const n = script.length;
  const push = () => {
    if (current.trim()) out.push(current.trim());
    current = '';
  };
  while (i < n) {
    const ch = script[i]!;
    const atLineStart = i === 0 || script[i - 1] === '\n';
    if (dialect === 'sqlite' && atLineStart && ch === '.' && !current.trim()) {
      // A sqlite3 shell dot-command (`.bail on`, the script's first line): not SQL, not a statement.
      const end = script.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
      continue;
    }
    if (mysqlish && atLineStart && /^DELIMITER\s/i.test(script.slice(i, i + 10))) {
      const end = script.indexOf('\n', i);
      const line = script.slice(i, end === -1 ? n : end).trim();
      push();
      delimiter = line.slice('DELIMITER'.length).trim();
      i = end === -1 ? n : end + 1;
      continue;
    }
    if (ch === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
      current += ' ';
      continue;
    }
    if (ch === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      current += ' ';
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < n) {
        const c = script[j]!;
        if (mysqlish && ch !== '`' && c === '\\') {
          j += 2;
          continue;
        }
        if (c === ch) {
          if (script[j + 1] === ch) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      current += script.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (script.startsWith(delimiter, i)) {
      // A SQLite trigger's body holds `;`-terminated statements up to `END`.
      if (delimiter === ';' && TRIGGER.test(current.trim()) && !/\bEND\s*$/i.test(current)) {
        current += ch;
        i++;
        continue;
      }
      push();
      i += delimiter.length;
      continue;
    }
    current += ch;
    i++;
  }
  push();
  return out;
}

/**
 * A construct node-sql-parser 5.4 cannot parse in a dialect's grammar, though the engine accepts it.
 * What is done instead: `parseAs` another grammar with the same syntax; or `rewrite` the statement into
 * an equivalent the grammar knows, then parse; or neither: not parsed (the engine tests apply it).
 */
export interface KnownGap {
  readonly dialects: readonly ParserDialect[];
  readonly pattern: RegExp;
  readonly parseAs?: ParserDialect;
  readonly rewrite?: (sql: string) => string;
  readonly reason: string;
}

const SQLITE_IDENT = String.raw`(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")`;

/** Rewrites `""` inside double-quoted identifiers to `_`, leaving string literals and comments as they are. */
function withoutEscapedQuotes(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'") {
      let j = sql.indexOf("'", i + 1);
      while (j !== -1 && sql[j + 1] === "'") j = sql.indexOf("'", j + 2);
      const stop = j === -1 ? sql.length : j + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const stop = sql.indexOf('*/', i + 2);
      const end = stop === -1 ? sql.length : stop + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      let ident = '';
      while (j < sql.length) {
        if (sql[j] === '"') {
          if (sql[j + 1] === '"') {
            ident += '_';
            j += 2;
            continue;
          }
          break;
        }
        ident += sql[j];
        j += 1;
      }
      out += `"${ident}"`;
      i = j + 1;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/**
 * What node-sql-parser 5.4's grammars lack, per dialect, each valid on the engine (checked by the engine
 * tests). The first matching entry applies.
 */
export const KNOWN_GAPS: readonly KnownGap[] = [
  // SQLite
  {
    dialects: ['sqlite'],
    pattern: /^(PRAGMA foreign_keys=(ON|OFF)|BEGIN|COMMIT)$/,
    reason: 'the sqlite grammar has no PRAGMA and no transaction statements (BEGIN, COMMIT)',
  },
  {
    dialects: ['sqlite'],
    pattern: new RegExp(`^(SAVEPOINT|RELEASE) ${SQLITE_IDENT}$`),
    reason: 'the sqlite grammar has no SAVEPOINT / RELEASE (the version guard runs inside a savepoint)',
  },
  {
    dialects: ['sqlite'],
    pattern: new RegExp(`^DROP INDEX (IF EXISTS )?${SQLITE_IDENT}$`),
    reason: "the sqlite grammar wants MySQL's DROP INDEX name ON table",
  },
  {
    dialects: ['sqlite'],
    pattern: /( (NOT )?DEFERRABLE( INITIALLY (DEFERRED|IMMEDIATE))?|"(?:[^"]|"")*""(?:[^"]|"")*")/,
    rewrite: (sql) => withoutEscapedQuotes(sql).replace(/ (NOT )?DEFERRABLE( INITIALLY (DEFERRED|IMMEDIATE))?/g, ''),
    reason: 'the sqlite grammar has no [NOT] DEFERRABLE after a foreign key and no "" inside a quoted identifier; parsed without them',
  },
  // MySQL and MariaDB
  {
    dialects: ['mariadb'],
    pattern: /^ALTER TABLE \S+ ADD (CONSTRAINT \S+ )?(PRIMARY KEY|UNIQUE|FOREIGN KEY|CHECK)\b/,
    parseAs: 'mysql',
    reason: 'the mariadb grammar has no ALTER TABLE ... ADD <table constraint>; MySQL has the same syntax, and its grammar parses it',
  },
  {
    dialects: ['mysql', 'mariadb'],
    pattern: /^ALTER TABLE \S+ ALTER COLUMN \S+ (SET DEFAULT|DROP DEFAULT)\b/,
    reason: 'neither grammar has ALTER TABLE ... ALTER COLUMN ... SET/DROP DEFAULT (MySQL 8.0 Reference Manual 15.1.9)',
  },
  {
    dialects: ['mysql', 'mariadb'],
    pattern: /^ALTER TABLE \S+ DROP (CHECK|CONSTRAINT) `/,
    reason: 'the grammars take only an unquoted name after DROP CHECK / DROP CONSTRAINT, and sqlscribe quotes every name',
  },
  {
    dialects: ['mysql', 'mariadb'],
    pattern: /^DROP SCHEMA (IF EXISTS )?`/,
    reason: 'the grammars take only an unquoted name after DROP SCHEMA',
  },
  {
    dialects: ['mariadb'],
    pattern: /^(CREATE (UNIQUE )?INDEX IF NOT EXISTS |DROP INDEX IF EXISTS |ALTER TABLE \S+ DROP COLUMN IF EXISTS )/,
    reason: 'the mariadb grammar has no IF [NOT] EXISTS on CREATE INDEX, DROP INDEX and DROP COLUMN (MariaDB docs, CREATE INDEX, DROP INDEX, ALTER TABLE)',
  },
  {
    dialects: ['mysql', 'mariadb'],
    pattern: /^(PREPARE sqlscribe_guard FROM @sqlscribe_guard_copy|EXECUTE sqlscribe_guard|DEALLOCATE PREPARE sqlscribe_guard)$/,
    reason: "the grammars have no PREPARE / EXECUTE / DEALLOCATE PREPARE (the MySQL version guard's read of a version table that may be absent)",
  },
  {
    dialects: ['mysql', 'mariadb'],
    pattern: /^DROP TEMPORARY TABLE /,
    rewrite: (sql) => sql.replace(/^DROP TEMPORARY TABLE /, 'DROP TABLE '),
    reason: 'the grammars have no DROP TEMPORARY TABLE (the MySQL version guard drops its scratch tables); parsed as DROP TABLE',
  },
  {
    dialects: ['mariadb'],
    pattern: /^BEGIN NOT ATOMIC\b[\s\S]*\bSIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = msg;\s+END IF;\s+END$/,
    reason: "the mariadb grammar has no compound statements (BEGIN NOT ATOMIC ... END, DECLARE, IF, SIGNAL): MariaDB's version guard block",
  },
];

/** The outcome of {@link parseAll}. */
export interface ParseReport {
  readonly parsed: number;
  /** Statements matching a {@link KNOWN_GAPS} entry that is not parsed, with its reason. */
  readonly skipped: { sql: string; reason: string }[];
  /** Statements the parser rejected, with its message. */
  readonly failures: { sql: string; error: string }[];
}

/** What {@link parseStatement} did with a statement. */
export type ParseOutcome = 'parsed' | 'known-unparseable';

/**
 * Parses one statement (without its terminator) with the grammar of `dialect`, after the matching
 * {@link KNOWN_GAPS} entry's `parseAs` / `rewrite`.
 * @throws Error naming the statement and the parser's message when it is rejected.
 */
export function parseStatement(statement: string, dialect: ParserDialect): ParseOutcome {
  const sql = statement.trim();
  const gap = KNOWN_GAPS.find((g) => g.dialects.includes(dialect) && g.pattern.test(sql));
  if (gap && gap.parseAs === undefined && gap.rewrite === undefined) return 'known-unparseable';
  const text = gap?.rewrite ? gap.rewrite(sql) : sql;
  try {
    new Parser().astify(text, { database: PARSER_NAME[gap?.parseAs ?? dialect] });
  } catch (err) {
    throw new Error(`node-sql-parser (${gap?.parseAs ?? dialect}) cannot parse:\n${sql}\n${String((err as Error).message).split('\n')[0] ?? ''}`);
  }
  return 'parsed';
}

/** Parses every statement of `script` with the grammar of `dialect`. */
export function parseAll(script: string, dialect: ParserDialect): ParseReport {
  const report: ParseReport = { parsed: 0, skipped: [], failures: [] };
  for (const sql of splitStatements(script, dialect)) {
    try {
      if (parseStatement(sql, dialect) === 'parsed') (report as { parsed: number }).parsed += 1;
      else report.skipped.push({ sql, reason: KNOWN_GAPS.find((g) => g.dialects.includes(dialect) && g.pattern.test(sql))!.reason });
    } catch (err) {
      report.failures.push({ sql, error: (err as Error).message.split('\n').slice(-1)[0] ?? '' });
    }
  }
  return report;
}

/**
 * Parses every statement of `script`; throws naming the first one node-sql-parser rejects.
 * @returns the number of statements parsed
 */
export function assertParses(script: string, dialect: ParserDialect): number {
  const report = parseAll(script, dialect);
  const first = report.failures[0];
  if (first) throw new Error(`node-sql-parser (${dialect}) cannot parse:\n${first.sql}\n${first.error}`);
  return report.parsed;
}
