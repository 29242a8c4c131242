/**
 * The shared raw-SQL tokenizer (src/sql/lexer.ts): exact tokens for PostgreSQL's lexical corner cases, and
 * the column references built on it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnReferences, lexSql, renameColumnIn } from '../../src/sql/lexer.js';

const kinds = (text: string) => lexSql(text).map((t) => `${t.kind}:${t.text}`);

test('comments (nested block comments), strings of every kind and quoted identifiers are single tokens or nothing', () => {
  assert.deepEqual(kinds(`a /* x /* nested */ still comment */ b -- line\nc`), ['word:a', 'word:b', 'word:c']);
  assert.deepEqual(kinds(`'it''s' E'a\\'b' $q$ ; 'x' $q$ $$y$$`), ["string:'it''s'", "string:E'a\\'b'", "string:$q$ ; 'x' $q$", 'string:$$y$$']);
  assert.deepEqual(kinds(`"Mixed ""Case""" ÉTÉ x::int;`), ['quoted:Mixed "Case"', 'word:été', 'word:x', 'punct:::', 'word:int', 'punct:;']);
  assert.deepEqual(kinds(`'unterminated`), ["string:'unterminated"]);
});

test('offsets cover the token as written', () => {
  const text = `  "a b" || x`;
  assert.deepEqual(lexSql(text).map((t) => text.slice(t.start, t.end)), ['"a b"', '|', '|', 'x']);
});

test('column references: not a function, a qualifier or a type; reserved words only when told', () => {
  const text = `lower(name) <> t.other AND "Email"::text IS NOT NULL AND price > 0 -- price2`;
  assert.deepEqual(columnReferences(text).map((r) => r.name), ['name', 'other', 'and', 'Email', 'is', 'not', 'null', 'and', 'price']);
  assert.deepEqual(
    columnReferences(text, { reservedWords: new Set(['and', 'is', 'not', 'null']) }).map((r) => r.name),
    ['name', 'other', 'Email', 'price'],
  );
  assert.equal(renameColumnIn(`"price" > 0 AND price_x > 'price'`, 'price', 'cost', (n) => `"${n}"`), `"cost" > 0 AND price_x > 'price'`);
});
