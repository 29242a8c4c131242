/**
 * collectGarbage (src/load/modules.ts): after a load of thousands of files the loader collects their
 * transpiling's garbage once; here, garbage made on purpose is gone after one call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectGarbage } from '../../src/load/modules.js';

test('collectGarbage runs a full collection: 50 MB of unreachable strings are freed', () => {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  let garbage: string[] | undefined = Array.from({ length: 40_000 }, (_, i) => JSON.stringify({ text: 'x'.repeat(1000), i }));
  assert.ok(process.memoryUsage().heapUsed - before > 40 * 2 ** 20, 'the strings are on the heap');
  garbage = undefined;
  void garbage;
  collectGarbage();
  assert.ok(process.memoryUsage().heapUsed - before < 10 * 2 ** 20, `freed (${((process.memoryUsage().heapUsed - before) / 2 ** 20).toFixed(1)} MB left)`);
});
