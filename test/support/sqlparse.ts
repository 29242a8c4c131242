/**
 * node-sql-parser as an independent check of generated SQL: every statement of a script is parsed with
 * the grammar of its dialect (`database: 'mysql' | 'mariadb' | ...`), apart from a short, documented list
 * of constructs the parser's grammar lacks ({@link KNOWN_GAPS}), each with its reason.
 *
 *   import { splitStatements, parseAll } from '../support/sqlparse.js';
 *   assert.deepEqual(parseAll(script, 'mariadb').failures, []);
 *
 * Dialect-neutral on purpose (the SQLite helper can be merged into it): the splitter knows `'...'`,
 * `"..."`, `` `...` `` (quotes doubled, and backslash escapes where the dialect has them), `-- ` and
 * `/* *\/` comments.
 */
import nodeSqlParser from 'node-sql-parser';

const { Parser } = nodeSqlParser as unknown as { Parser: new () => { astify(sql: string, opt: { database: string }): unknown } };

/** A database name as node-sql-parser spells it. */
export type ParserDialect = 'mysql' | 'mariadb' | 'postgresql' | 'sqlite';

const PARSER_NAME: Record<ParserDialect, string> = { mysql: 'MySQL', mariadb: 'MariaDB', postgresql: 'PostgreSQL', sqlite: 'Sqlite' };

/**
 * The statements of a script, without their `;` and without comments between statements; a `;` inside
 * a string, a quoted identifier or a comment does not split. Backslash escapes inside `'...'` and `"..."`
 * count for `mysql`/`mariadb` (MySQL 8.0 Reference Manual, 11.1.1), not for the others.
 */
export function splitStatements(script: string, dialect: ParserDialect): string[] {
  const backslash = dialect === 'mysql' || dialect === 'mariadb';
  const out: string[] = [];
  let current = '';
  let i = 0;
  const n = script.length;
  while (i < n) {
    const ch = script[i]!;
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
        if (backslash && ch !== '`' && c === '\\') {
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
    if (ch === ';') {
      if (current.trim()) out.push(current.trim());
      current = '';
      i++;
      continue;
    }
    current += ch;
    i++;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/**
 * A construct node-sql-parser 5.4 cannot parse in a dialect's grammar, though the engine accepts it:
 * either parsed with another grammar that has the same syntax (`parseAs`), or not parsed (`parseAs`
 * undefined; the engine tests apply it).
 */
export interface KnownGap {
  readonly dialects: readonly ParserDialect[];
  readonly pattern: RegExp;
  readonly parseAs?: ParserDialect;
  readonly reason: string;
}

/** What node-sql-parser 5.4's grammars lack, each valid on the engine (checked by the engine tests). */
export const KNOWN_GAPS: readonly KnownGap[] = [
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
];

/** The outcome of {@link parseAll}. */
export interface ParseReport {
  readonly parsed: number;
  /** Statements matching a {@link KNOWN_GAPS} entry without `parseAs`, with its reason. */
  readonly skipped: { sql: string; reason: string }[];
  /** Statements the parser rejected, with its message. */
  readonly failures: { sql: string; error: string }[];
}

/** Parses every statement of `script` with the grammar of `dialect`. */
export function parseAll(script: string, dialect: ParserDialect): ParseReport {
  const parser = new Parser();
  const report: ParseReport = { parsed: 0, skipped: [], failures: [] };
  for (const sql of splitStatements(script, dialect)) {
    const gap = KNOWN_GAPS.find((g) => g.dialects.includes(dialect) && g.pattern.test(sql));
    if (gap && gap.parseAs === undefined) {
      report.skipped.push({ sql, reason: gap.reason });
      continue;
    }
    try {
      parser.astify(sql, { database: PARSER_NAME[gap?.parseAs ?? dialect] });
      (report as { parsed: number }).parsed += 1;
    } catch (err) {
      report.failures.push({ sql, error: String((err as Error).message).split('\n')[0] ?? '' });
    }
  }
  return report;
}
