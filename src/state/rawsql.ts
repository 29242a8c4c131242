/**
 * What raw SQL (`op.execute`) may do to the schema, told from its statements' first keywords — without
 * parsing it. Statements that only read or write rows (or privileges, or statistics) leave the schema
 * model exact; anything else (CREATE, ALTER, DROP, COMMENT, DO blocks, CALL, ...) may change it in ways
 * the model cannot follow, so it is "opaque" unless the op declares its `effects`.
 *
 * Limits, said in README: a function called by `SELECT` can run DDL, which this cannot see; declare
 * what such SQL does with `effects`.
 */
import { lexSql } from '../sql/lexer.js';

/**
 * First keywords of statements that do not change tables, columns, constraints, indexes, types or
 * schemas (PostgreSQL 15 docs, Part VI "SQL Commands"). `SELECT ... INTO` (and `WITH ... SELECT INTO`)
 * creates a table and is excluded separately.
 */
const DATA_ONLY = new Set([
  'select', 'insert', 'update', 'delete', 'merge', 'with', 'values', 'table', 'truncate', 'copy',
  'grant', 'revoke', 'analyze', 'analyse', 'vacuum', 'cluster', 'reindex', 'refresh', 'notify', 'listen',
  'unlisten', 'set', 'reset', 'lock', 'discard', 'checkpoint', 'show', 'explain',
]);

/**
 * The statements of raw SQL, each as its tokens' words in order (see `src/sql/lexer.ts`): unquoted words in
 * lower case, `'` for a string constant, `"` for a quoted identifier; other punctuation left out. `;` ends a
 * statement; empty statements are dropped.
 */
export function statementWords(text: string): string[][] {
  const statements: string[][] = [];
  let words: string[] = [];
  for (const t of lexSql(text)) {
    if (t.kind === 'punct') {
      if (t.text === ';' && words.length > 0) {
        statements.push(words);
        words = [];
      }
    } else words.push(t.kind === 'word' ? t.text : t.kind === 'string' ? "'" : '"');
  }
  if (words.length > 0) statements.push(words);
  return statements;
}

/**
 * True when raw SQL may change the schema: some statement does not start with a data-only keyword
 * (see {@link DATA_ONLY}), or is a `SELECT`/`WITH` with an `INTO` that is not `INSERT INTO` (`SELECT ... INTO t` creates a table). Empty text
 * changes nothing.
 */
export function mayChangeSchema(text: string): boolean {
  return statementWords(text).some((words) => {
    const first = words[0]!;
    if (!DATA_ONLY.has(first)) return true;
    return (first === 'select' || first === 'with') && words.some((w, k) => w === 'into' && words[k - 1] !== 'insert');
  });
}
