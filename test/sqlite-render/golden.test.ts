/**
 * Golden files: each case of `cases.ts` compiles to exactly the text of `test/fixtures/sqlite/<name>.sql`,
 * and setup + golden SQL apply to a real SQLite with `sqlite3 -bail` (inside `PRAGMA foreign_keys=OFF`,
 * `BEGIN` ... `COMMIT`, as a script has them).
 * `UPDATE_GOLDEN=1 node --test dist/test/sqlite-render/` rewrites the files instead (review the diff).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { OP_KINDS } from '../../src/ops/types.js';
import { sqliteTest } from '../support/sqlite.js';
import { CASES } from './cases.js';
import { ERROR_OP_KINDS } from './error-cases.js';
import { GOLDEN_DIR, compileCase, goldenText, scriptOf } from './support.js';

const update = process.env.UPDATE_GOLDEN === '1';

describe('SQLite golden SQL', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const file = join(GOLDEN_DIR, `${c.name}.sql`);
      const actual = goldenText(c);
      if (update) {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(file, actual);
        return;
      }
      assert.ok(existsSync(file), `missing golden file ${file} (run with UPDATE_GOLDEN=1 to create it)`);
      assert.equal(actual, readFileSync(file, 'utf8'));
    });
  }

  test('every golden file belongs to a case', () => {
    const names = new Set(CASES.map((c) => `${c.name}.sql`));
    assert.equal(names.size, CASES.length, 'case names are unique');
    assert.deepEqual(readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.sql') && !names.has(f)), []);
  });

  test('golden SQL has no trailing white space on any line', () => {
    for (const c of CASES) goldenText(c).split('\n').forEach((line, i) => assert.doesNotMatch(line, /[ \t]$/, `${c.name}.sql line ${i + 1}`));
  });

  test('every op kind is in a golden case or is an error case', () => {
    const seen = new Set([...CASES.flatMap((c) => c.ops.map((o) => o.kind)), ...ERROR_OP_KINDS]);
    assert.deepEqual(OP_KINDS.filter((k) => !seen.has(k)), []);
  });
});

describe('SQLite golden SQL on a real SQLite', () => {
  for (const c of CASES) {
    sqliteTest(`${c.name} applies with sqlite3 -bail`, async (_t, db) => {
      const { setup, ops } = compileCase(c);
      const script = `PRAGMA foreign_keys=OFF;\nBEGIN;\n${scriptOf(setup)}${scriptOf(ops)}COMMIT;\n`;
      const r = await db.applyScript(script);
      assert.equal(r.code, 0, `${r.stderr}\n${script}`);
      assert.equal(r.stderr, '');
    });
  }
});
