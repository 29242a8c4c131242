/**
 * The one tokenizer of raw SQL text (PostgreSQL 15 docs, 4.1 "Lexical Structure"), shared by everything
 * that reads raw SQL without parsing it: the raw-SQL classifier (`src/state/rawsql.ts`), the schema model's
 * column references that follow a renamed column, and the prediction of PostgreSQL's name for an unnamed
 * check constraint (`src/dialects/postgresql/defaultNames.ts`).
 *
 * It knows: whitespace; `--` line comments and `/* *\/` block comments (which nest, 4.1.5); string
 * constants `'...'` with `''` (4.1.2.1), `E'...'` with backslash escapes (4.1.2.2) and dollar-quoted
 * `$tag$...$tag$` (4.1.2.4); quoted identifiers `"..."` with `""` (4.1.1); unquoted words (letters, `_`,
 * non-ASCII, then also digits and `$`); the `::` cast; every other character is a one-character token.
 * Unterminated strings, identifiers and comments run to the end of the text (the database reports them;
 * a reader of raw SQL does not).
 */

/** A token of raw SQL. Comments and whitespace are not tokens. */
export interface SqlToken {
  /**
   * `word`: an unquoted word, `text` folded to lower case (PostgreSQL folds unquoted names, 4.1.1);
   * `quoted`: a quoted identifier, `text` the name with `""` undone; `string`: a string constant of any
   * kind, `text` as written; `punct`: `::` or any other single character.
   */
  readonly kind: 'word' | 'quoted' | 'string' | 'punct';
  readonly text: string;
  /** Offsets in the source text, `end` exclusive (quotes included). */
  readonly start: number;
  readonly end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/** The tokens of `text`, in order (see the module comment for what is a token). */
export function lexSql(text: string): SqlToken[] {
  const s = text;
  const out: SqlToken[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    const start = i;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '-' && s[i + 1] === '-') {
      while (i < s.length && s[i] !== '\n') i++;
    } else if (ch === '/' && s[i + 1] === '*') {
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
      i = Math.min(i, s.length);
      out.push({ kind: 'string', text: s.slice(start, i), start, end: i });
    } else if (ch === '$' && DOLLAR_TAG.test(s.slice(i, i + 64))) {
      const tag = DOLLAR_TAG.exec(s.slice(i, i + 64))![0];
      const close = s.indexOf(tag, i + tag.length);
      i = close < 0 ? s.length : close + tag.length;
      out.push({ kind: 'string', text: s.slice(start, i), start, end: i });
    } else if (ch === '"') {
      let j = i + 1;
      let name = '';
      while (j < s.length) {
        if (s[j] === '"' && s[j + 1] === '"') {
          name += '"';
          j += 2;
        } else if (s[j] === '"') {
          j++;
          break;
        } else name += s[j++];
      }
      i = j;
      out.push({ kind: 'quoted', text: name, start, end: i });
    } else if (WORD_START.test(ch)) {
      let j = i;
      while (j < s.length && WORD_PART.test(s[j]!)) j++;
      i = j;
      out.push({ kind: 'word', text: s.slice(start, i).toLowerCase(), start, end: i });
    } else if (ch === ':' && s[i + 1] === ':') {
      i += 2;
      out.push({ kind: 'punct', text: '::', start, end: i });
    } else {
      i++;
      out.push({ kind: 'punct', text: ch, start, end: i });
    }
  }
  return out;
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
 * column's expression) that may name columns of its table: quoted identifiers, and unquoted words that are
 * not key words of `options`; not followed by `(` (a function) or `.` (a qualifier), and not after `::` (a
 * type). PostgreSQL keeps such expressions parsed, bound to the columns themselves (PostgreSQL 15 docs,
 * ALTER TABLE, RENAME: the expressions follow a renamed column), which this lets the schema model mirror;
 * PostgreSQL names an unnamed check after the one column it mentions (defaultNames.ts).
 */
export function columnReferences(text: string, options: ColumnScanOptions = {}): ColumnReference[] {
  const reserved = options.reservedWords;
  const tokens = lexSql(text);
  const out: ColumnReference[] = [];
  tokens.forEach((t, k) => {
    if (t.kind !== 'word' && t.kind !== 'quoted') return;
    if (t.kind === 'word' && reserved?.has(t.text) === true) return;
    const next = tokens[k + 1];
    const prev = tokens[k - 1];
    if (next?.kind === 'punct' && (next.text === '(' || next.text === '.')) return;
    if (prev?.kind === 'punct' && prev.text === '::') return;
    out.push({ start: t.start, end: t.end, name: t.text });
  });
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
