/**
 * The generator of the round-trip property (`arbitraries.ts`), without a database: the migration source it
 * prints builds exactly the ops it generated (so what PostgreSQL runs is what the model planned), and the
 * draws it makes are not mostly empty.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import * as api from '../../src/index.js';
import { drawArbitrary, interpret, source } from './arbitraries.js';

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

test('the printed source of every generated op builds that op again', () => {
  const names = Object.keys(api);
  const values = Object.values(api);
  fc.assert(
    fc.property(drawArbitrary(), (draw) => {
      const c = interpret(draw);
      for (const o of [...c.rev1, ...c.rev2]) {
        const text = source(o);
        const rebuilt = new Function(...names, `return ${text};`)(...values) as unknown;
        assert.deepEqual(plain(rebuilt), plain(o), text);
      }
    }),
    { numRuns: 300 },
  );
});

test('cases are not trivial: tables in revision 1, changes in revision 2', () => {
  const cases = fc.sample(drawArbitrary(), { numRuns: 500, seed: 1 }).map(interpret);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const tables = mean(cases.map((c) => c.rev1.filter((o) => o.kind === 'createTable').length));
  const changes = mean(cases.map((c) => c.rev2.length));
  assert.ok(tables >= 1.5, `mean tables in revision 1: ${tables}`);
  assert.ok(changes >= 2, `mean ops in revision 2: ${changes}`);
  assert.ok(cases.filter((c) => c.rev2.length === 0).length < cases.length / 10, 'at most 10% of revision 2s empty');
});
