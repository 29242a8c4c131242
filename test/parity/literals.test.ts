/**
 * String literals (test/fixtures/parity/literals): quotes, backslashes, newlines, tabs, non-ASCII text,
 * `%`, `--`, `/*`, `;`, `$$` in a server default, comments and bulk-inserted rows must be stored exactly
 * as written. Alembic 1.8 + SQLAlchemy 1.4 offline does not manage two of them on PostgreSQL: it
 * doubles backslashes in literals (so `C:\dir` is stored as `C:\\dir`) and turns tabs into four spaces.
 * Those two are checked against the authored text here, and everything else against Alembic.
 */
import assert from 'node:assert/strict';
import { parityTest, type DbState } from './harness.js';

const ROWS = [
  ['1', 'C:\\path\\to\\file', 'a\\nb'],
  ['2', 'line1\nline2\ttabbed', null],
  ['3', "emoji 😀, O'Brien, 100% -- not a comment /* nor this */; $$ dollars $$", null],
].map((r) => JSON.stringify(r));

function assertAsWritten(state: DbState, { pathDefault }: { pathDefault: boolean }): void {
  const notes = state.catalog.tables['public.notes'];
  assert.ok(notes, 'table notes exists');
  assert.equal(notes.comment, "tbl\\x; 100% 'quoted'\nsecond line");
  assert.equal(notes.columns.path?.comment, `back\\slash "double" 'single' — ünïcödé`);
  assert.equal(notes.columns.body?.default, "'C:\\dir'::text");
  assert.equal(notes.columns.path?.default, pathDefault ? "'D:\\x'::character varying" : null);
  assert.deepStrictEqual(state.data['public.notes']?.rows, ROWS);
}

parityTest('literals: sqlscribe stores every literal as written; all else equals Alembic', 'literals', async (_ctx, p) => {
  const first = await p.step('upgrade', 'c0ffee000001', { undoAlembicLiteralArtefacts: true });
  assertAsWritten(first.sqlscribe, { pathDefault: false });
  const head = await p.step('upgrade', 'c0ffee000001:head', { undoAlembicLiteralArtefacts: true });
  assertAsWritten(head.sqlscribe, { pathDefault: true });
  assert.match(head.sqlscribe.catalog.tables['public.notes']?.indexes.ix_notes_not_default?.definition ?? '', /WHERE \(body <> 'C:\\dir'::text\)$/);
  // Alembic's side really differs (if this starts failing, Alembic/SQLAlchemy fixed it: drop the mapping).
  assert.equal(head.alembic.catalog.tables['public.notes']?.columns.body?.default, "'C:\\\\dir'::text");
  p.assertBase(await p.step('downgrade', 'head:base'));
});
