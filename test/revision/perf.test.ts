/**
 * Size sanity (not timed): 10,000-revision histories build and plan without recursion limits, with exact
 * results at the ends. The algorithms are iterative and linear; a quadratic one shows up here as minutes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RevisionMap, formatHistory, planDowngrade, planStamp, planUpgrade } from '../../src/revision/index.js';
import { lines, rev } from './helpers.js';

const N = 10_000;
const id = (i: number) => `r${String(i).padStart(5, '0')}`;

describe('a 10,000-revision linear history', () => {
  const chain = Array.from({ length: N }, (_, i) =>
    i === 0 ? rev(id(0), [], { labels: ['main'] }) : rev(id(i), [id(i - 1)]),
  );
  const map = RevisionMap.build(chain);

  it('builds, with the label inherited by every revision', () => {
    assert.deepEqual([map.heads, map.bases, map.size], [[id(N - 1)], [id(0)], N]);
    assert.deepEqual(map.get(id(N - 1)).labels, ['main']);
  });

  it('plans base:head', () => {
    const plan = planUpgrade(map, 'base:head');
    assert.equal(plan.steps.length, N);
    assert.deepEqual(lines(plan).slice(0, 2), [
      `upgrade  -> ${id(0)} create: +${id(0)}`,
      `upgrade ${id(0)} -> ${id(1)}: ${id(0)}>${id(1)}`,
    ]);
    assert.equal(lines(plan)[N - 1], `upgrade ${id(N - 2)} -> ${id(N - 1)}: ${id(N - 2)}>${id(N - 1)}`);
  });

  it('plans <head-1>:head, by id and by symbol', () => {
    const last = [`upgrade ${id(N - 2)} -> ${id(N - 1)}: ${id(N - 2)}>${id(N - 1)}`];
    assert.deepEqual(lines(planUpgrade(map, `${id(N - 2)}:head`)), last);
    assert.deepEqual(lines(planUpgrade(map, 'head-1:head')), last);
  });

  it('plans head:base, main@+5000, stamp, history', () => {
    const down = planDowngrade(map, 'head:base');
    assert.equal(down.steps.length, N);
    assert.equal(lines(down)[N - 1], `downgrade ${id(0)} -> : -${id(0)}`);
    assert.equal(planUpgrade(map, 'main@+5000').steps.length, 5000);
    assert.deepEqual(lines(planStamp(map, `${id(3)}:head`)), [`stamp ${id(3)} -> ${id(N - 1)}: ${id(3)}>${id(N - 1)}`]);
    assert.equal(formatHistory(map).split('\n').length, N + 1);
  });
});

describe('10,000 revisions in wide shapes', () => {
  it('a branch point with 5,000 branches (heads)', () => {
    const star = RevisionMap.build([rev('root'), ...Array.from({ length: 5000 }, (_, i) => rev(`c${i}`, ['root']))]);
    const up = planUpgrade(star, 'heads');
    assert.equal(up.steps.length, 5001);
    assert.deepEqual(lines(up).slice(0, 3), [
      'upgrade  -> root create: +root',
      'upgrade root -> c4999: root>c4999',
      'upgrade root -> c4998: +c4998',
    ]);
    assert.equal(up.end.length, 5000);
    const down = planDowngrade(star, 'heads:base');
    assert.deepEqual(lines(down).slice(0, 2), ['downgrade c0 -> root: -c0', 'downgrade c1 -> root: -c1']);
    assert.equal(lines(down)[5000], 'downgrade root -> : -root');
  });

  it('a trunk with 500 two-branch features merged back, some depending on the trunk', () => {
    const revs = [];
    let prev: string | undefined;
    for (let i = 0; i < 500; i++) {
      revs.push(rev(`m${i}`, prev ? [prev] : []));
      let [x, y] = [`m${i}`, `m${i}`];
      for (let j = 0; j < 9; j++) {
        revs.push(rev(`x${i}_${j}`, [x]), rev(`y${i}_${j}`, [y], { deps: j === 4 && i > 0 ? [`m${i - 1}`] : [] }));
        [x, y] = [`x${i}_${j}`, `y${i}_${j}`];
      }
      revs.push(rev(`g${i}`, [x, y]));
      prev = `g${i}`;
    }
    const map = RevisionMap.build(revs);
    assert.equal(map.size, 10_000);
    const up = planUpgrade(map, 'heads');
    assert.equal(up.steps.length, 10_000);
    assert.deepEqual(up.end, ['g499']);
    assert.equal(lines(up)[19], 'upgrade x0_8,y0_8 -> g0: -x0_8 y0_8>g0');
    const down = planDowngrade(map, 'head:base');
    assert.equal(down.steps.length, 10_000);
    assert.deepEqual(down.end, []);
  });
});
