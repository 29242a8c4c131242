/**
 * Golden files: each case of `cases.ts` compiles, for each of its dialects, to exactly the text of
 * `golden/<name>.<dialect>.sql`, and every statement parses with node-sql-parser's grammar of that
 * dialect (apart from `test/support/sqlparse.ts`'s documented gaps).
 * `UPDATE_GOLDEN=1 node --test dist/test/mysql-render/golden.test.js` rewrites the files (review the diff).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { OP_KINDS } from '../../src/ops/types.js';
import { parseAll } from '../support/sqlparse.js';
import { CASES } from './cases.js';
import { FLAVOURS, GOLDEN_DIR, casesFor, goldenText } from './support.js';

const update = process.env.UPDATE_GOLDEN === '1';

for (const flavour of FLAVOURS) {
  describe(`${flavour} golden SQL`, () => {
    for (const c of casesFor(CASES, flavour)) {
      test(c.name, () => {
        const file = join(GOLDEN_DIR, `${c.name}.${flavour}.sql`);
        const actual = goldenText(c, flavour);
        if (update) {
          mkdirSync(GOLDEN_DIR, { recursive: true });
          writeFileSync(file, actual);
        } else {
          assert.ok(existsSync(file), `missing golden file ${file} (run with UPDATE_GOLDEN=1 to create it)`);
          assert.equal(actual, readFileSync(file, 'utf8'));
        }
        const report = parseAll(actual, flavour);
        assert.deepEqual(report.failures, [], 'node-sql-parser rejects a statement');
        assert.ok(report.parsed > 0);
      });
    }

    test('every op kind appears in some case', () => {
      const seen = new Set(casesFor(CASES, flavour).flatMap((c) => c.ops.map((o) => o.kind)));
      assert.deepEqual(OP_KINDS.filter((k) => !seen.has(k)), []);
    });
  });
}

test('every golden file belongs to a case', () => {
  const names = new Set(FLAVOURS.flatMap((f) => casesFor(CASES, f).map((c) => `${c.name}.${f}.sql`)));
  const stray = readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.sql') && !names.has(f));
  assert.deepEqual(stray, []);
});

test('golden SQL has no trailing white space on any line', () => {
  for (const f of FLAVOURS) {
    for (const c of casesFor(CASES, f)) {
      goldenText(c, f)
        .split('\n')
        .forEach((line, i) => assert.doesNotMatch(line, /[ \t]$/, `${c.name}.${f}.sql line ${i + 1}`));
    }
  }
});
