/**
 * Golden files: each case of `cases.ts` compiles to exactly the text of `test/fixtures/postgresql/<name>.sql`.
 * `UPDATE_GOLDEN=1 node --test dist/test/postgresql-render/` rewrites the files instead (review the diff).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CASES } from './cases.js';
import { GOLDEN_DIR, goldenText } from './support.js';

const update = process.env.UPDATE_GOLDEN === '1';

describe('PostgreSQL golden SQL', () => {
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
    const stray = readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.sql') && !names.has(f));
    assert.deepEqual(stray, []);
  });

  test('golden SQL has no trailing white space on any line', () => {
    for (const c of CASES) {
      goldenText(c)
        .split('\n')
        .forEach((line, i) => assert.doesNotMatch(line, /[ \t]$/, `${c.name}.sql line ${i + 1}`));
    }
  });

  test('every op kind appears in some case', async () => {
    const { OP_KINDS } = await import('../../src/ops/types.js');
    const seen = new Set(CASES.flatMap((c) => c.ops.map((o) => o.kind)));
    assert.deepEqual(OP_KINDS.filter((k) => !seen.has(k)), []);
  });
});
