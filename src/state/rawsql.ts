/**
 * What raw SQL (`op.execute`) may do to the schema, told from its statements' first keywords — without
 * parsing it. Statements that only read or write rows (or privileges, or statistics) leave the schema
 * model exact; anything else (CREATE, ALTER, DROP, COMMENT, DO blocks, CALL, ...) may change it in ways
 * the model cannot follow, so it is "opaque" unless the op declares its `effects`.
 *
 * Limits, said in README: a function called by `SELECT` can run DDL, which this cannot see; declare
 * what such SQL does with `effects`.
 */

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

/** One statement of raw SQL: its keywords (lower case, outside strings, comments and quoted names), in order. */
export function statementWords(text: string): string[][] {
  const statements: string[][] = [];
  let words: string[] = [];
  const s = text;
  let i = 0;
  const end = (): void => {
    if (words.length > 0) statements.push(words);
    words = [];
  };
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === ';') {
      end();
      i++;
    } else if (ch === '-' && s[i + 1] === '-') {
      while (i < s.length && s[i] !== '\n') i++;
    } else if (ch === '/' && s[i + 1] === '*') {
      // PostgreSQL block comments nest.
      let depth = 0;
      while (i < s.length) {
        if (s[i] === '/' && s[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (s[i] === '*' && s[i + 1] === '/') {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
    } else if (ch === "'" || ((ch === 'E' || ch === 'e') && s[i + 1] === "'")) {
      const escapes = ch !== "'";
      i += escapes ? 2 : 1;
      while (i < s.length) {
        if (escapes && s[i] === '\\') i += 2;
        else if (s[i] === "'" && s[i + 1] === "'") i += 2;
        else if (s[i] === "'") {
          i++;
          break;
        } else i++;
      }
      words.push("'");
    } else if (ch === '"') {
      i++;
      while (i < s.length) {
        if (s[i] === '"' && s[i + 1] === '"') i += 2;
        else if (s[i] === '"') {
          i++;
          break;
        } else i++;
      }
      words.push('"');
    } else if (ch === '$' && /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(s.slice(i, i + 64))) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(s.slice(i, i + 64))![0];
      const close = s.indexOf(tag, i + tag.length);
      i = close < 0 ? s.length : close + tag.length;
      words.push('$');
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i;
      while (j < s.length && /[A-Za-z0-9_$]/.test(s[j]!)) j++;
      words.push(s.slice(i, j).toLowerCase());
      i = j;
    } else i++;
  }
  end();
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
