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

/** A column named in raw SQL: where its identifier is in the text, and the name it means. */
export interface ColumnReference {
  /** Offsets of the identifier in the text, `end` exclusive (the quotes included for a quoted one). */
  readonly start: number;
  readonly end: number;
  /** The name as the database reads it: a quoted identifier as written, an unquoted one folded to lower case. */
  readonly name: string;
}

/** How raw SQL is read for column names (PostgreSQL's rules unless a dialect says otherwise). */
export interface ColumnScanOptions {
  /** Unquoted words that are key words, never names (`null`, `and`, `user`...). */
  readonly reservedWords?: ReadonlySet<string>;
}

/**
 * The identifiers of a raw SQL expression (a check condition, an index expression or `WHERE`, a generated
 * column's expression) that name columns of its table: outside string constants (also `E''` and
 * dollar-quoted), comments (block comments nest) and, for unquoted words, key words; not followed by `(` (a
 * function) or `.` (a qualifier), and not after `::` (a type) — the scan of
 * `src/dialects/postgresql/defaultNames.ts` `checkConstraintColumn`, with positions, so that a name can be
 * rewritten where it stands. PostgreSQL keeps such expressions parsed, bound to the columns themselves
 * (PostgreSQL 15 docs, ALTER TABLE, RENAME: the expressions follow a renamed column), which this lets the
 * schema model mirror.
 */
export function columnReferences(text: string, options: ColumnScanOptions = {}): ColumnReference[] {
  const reserved = options.reservedWords;
  const s = text;
  const out: ColumnReference[] = [];
  let i = 0;
  let prev = '';
  const peekAfter = (j: number): string => {
    while (j < s.length && /\s/.test(s[j]!)) j++;
    return s[j] ?? '';
  };
  while (i < s.length) {
    const ch = s[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '-' && s[i + 1] === '-') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && s[i + 1] === '*') {
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
      continue;
    }
    if (ch === "'" || ((ch === 'E' || ch === 'e') && s[i + 1] === "'")) {
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
      prev = "'";
      continue;
    }
    if (ch === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(s.slice(i, i + 64));
      if (m) {
        const close = s.indexOf(m[0], i + m[0].length);
        i = close < 0 ? s.length : close + m[0].length;
        prev = "'";
        continue;
      }
    }
    let name: string | undefined;
    let keyword = false;
    const start = i;
    if (ch === '"') {
      let j = i + 1;
      let n = '';
      while (j < s.length) {
        if (s[j] === '"' && s[j + 1] === '"') {
          n += '"';
          j += 2;
        } else if (s[j] === '"') {
          j++;
          break;
        } else n += s[j++];
      }
      name = n;
      i = j;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      let j = i;
      while (j < s.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(s[j]!)) j++;
      name = s.slice(i, j).toLowerCase();
      keyword = reserved?.has(name) === true;
      i = j;
    }
    if (name !== undefined) {
      const next = peekAfter(i);
      if (!keyword && next !== '(' && next !== '.' && prev !== '::') out.push({ start, end: i, name });
      prev = 'ident';
      continue;
    }
    if (ch === ':' && s[i + 1] === ':') {
      prev = '::';
      i += 2;
      continue;
    }
    prev = ch;
    i++;
  }
  return out;
}

/**
 * `text` with every reference to column `from` (see {@link columnReferences}) written as `to`, quoted by
 * `quote` (the dialect's identifier quoting); the rest of the text as it was. Returns `text` itself when
 * it does not name `from`.
 */
export function renameColumnIn(text: string, from: string, to: string, quote: (name: string) => string, options: ColumnScanOptions = {}): string {
  const refs = columnReferences(text, options).filter((r) => r.name === from);
  if (refs.length === 0) return text;
  let out = '';
  let at = 0;
  for (const r of refs) {
    out += text.slice(at, r.start) + quote(to);
    at = r.end;
  }
  return out + text.slice(at);
}
