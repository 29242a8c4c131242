/**
 * Version-table bookkeeping (Alembic HeadMaintainer.update_to_step): which INSERT / UPDATE / DELETE each step
 * emits, and when CREATE TABLE alembic_version comes first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RevisionMap, planDowngrade, planStamp, planUpgrade } from '../../src/revision/index.js';
import { lines, rev, RESEARCH_GRAPH } from './helpers.js';

const branches = RevisionMap.build(RESEARCH_GRAPH);

/** root -> {l001, r001} -> m001, and a second root o001. */
const withOtherRoot = RevisionMap.build([
  rev('root'),
  rev('l001', ['root']),
  rev('r001', ['root']),
  rev('m001', ['l001', 'r001']),
  rev('o001'),
]);

describe('upgrade bookkeeping', () => {
  it('a chain from base: CREATE TABLE and INSERT first, then UPDATEs (full step objects)', () => {
    const map = RevisionMap.build([rev('a001'), rev('a002', ['a001'])]);
    assert.deepEqual(planUpgrade(map, 'head'), {
      command: 'upgrade',
      range: 'base:head',
      start: [],
      end: ['a002'],
      steps: [
        {
          direction: 'upgrade',
          revision: 'a001',
          from: [],
          to: ['a001'],
          createVersionTable: true,
          versionOps: [{ op: 'insert', revision: 'a001' }],
        },
        {
          direction: 'upgrade',
          revision: 'a002',
          from: ['a001'],
          to: ['a002'],
          createVersionTable: false,
          versionOps: [{ op: 'update', from: 'a001', to: 'a002' }],
        },
      ],
    });
    assert.equal(planUpgrade(map, 'a001:head').steps[0]!.createVersionTable, false);
  });

  it('a branch point: the first child UPDATEs the parent row, the second INSERTs', () => {
    assert.deepEqual(lines(planUpgrade(branches, 'eee5')), [
      'upgrade  -> aaa1 create: +aaa1',
      'upgrade aaa1 -> bbb2: aaa1>bbb2',
      'upgrade bbb2 -> ddd4: bbb2>ddd4',
      'upgrade bbb2 -> ccc3: +ccc3',
      'upgrade ccc3,ddd4 -> eee5: -ccc3 ddd4>eee5',
    ]);
  });

  it('a merge DELETEs every parent row but the last, and UPDATEs the last (three-way here)', () => {
    const map = RevisionMap.build([
      rev('root'),
      rev('t001', ['root']),
      rev('t002', ['root']),
      rev('t003', ['root']),
      rev('t004', ['t001', 't002', 't003']),
    ]);
    assert.deepEqual(lines(planUpgrade(map, 'head')), [
      'upgrade  -> root create: +root',
      'upgrade root -> t003: root>t003',
      'upgrade root -> t002: +t002',
      'upgrade root -> t001: +t001',
      'upgrade t001,t002,t003 -> t004: -t001 -t002 t003>t004',
    ]);
  });

  it('a merge while another branch still has a row consumes only its own parents, in down order', () => {
    const map = withOtherRoot;
    const plan = planUpgrade(map, 'heads');
    assert.deepEqual(lines(plan), [
      'upgrade  -> root create: +root',
      'upgrade  -> o001: +o001',
      'upgrade root -> r001: root>r001',
      'upgrade root -> l001: +l001',
      'upgrade l001,r001 -> m001: -l001 r001>m001',
    ]);
    assert.deepEqual(plan.end, ['m001', 'o001']);
  });

  it("a dependency that is no longer a head is not in the comment and not touched: a plain UPDATE", () => {
    assert.deepEqual(lines(planUpgrade(branches, 'bbb2:xxx2')), ['upgrade  -> xxx1: +xxx1', 'upgrade xxx1 -> xxx2: xxx1>xxx2']);
  });

  it('a dependency that is still a head is consumed like a merge parent', () => {
    assert.deepEqual(lines(planUpgrade(branches, 'xxx2')), [
      'upgrade  -> aaa1 create: +aaa1',
      'upgrade  -> xxx1: +xxx1',
      'upgrade xxx1 -> xxx2: -xxx1 aaa1>xxx2',
    ]);
    const dephead = RevisionMap.build([
      rev('a001'),
      rev('a002', ['a001']),
      rev('b001'),
      rev('b002', ['b001'], { deps: ['a002'] }),
    ]);
    const plan = planUpgrade(dephead, 'a002:heads');
    assert.deepEqual(lines(plan), ['upgrade  -> b001: +b001', 'upgrade b001 -> b002: -b001 a002>b002']);
    assert.deepEqual([plan.start, plan.end], [['a002'], ['b002']]);
  });

  it('a sibling target inserts a row for the new branch', () => {
    const plan = planUpgrade(branches, 'ccc3:ddd4');
    assert.deepEqual(lines(plan), ['upgrade bbb2 -> ddd4: +ddd4']);
    assert.deepEqual(plan.end, ['ccc3', 'ddd4']);
  });
});

describe('downgrade bookkeeping', () => {
  it('unmerge INSERTs every parent but the last and UPDATEs to the last; a branch with another row left is DELETEd', () => {
    const plan = planDowngrade(branches, 'eee5:base');
    assert.deepEqual(lines(plan), [
      'downgrade eee5 -> ccc3,ddd4: +ccc3 eee5>ddd4',
      'downgrade ccc3 -> bbb2: -ccc3',
      'downgrade ddd4 -> bbb2: ddd4>bbb2',
      'downgrade bbb2 -> aaa1: bbb2>aaa1',
      'downgrade aaa1 -> : -aaa1',
    ]);
    assert.deepEqual([plan.start, plan.end], [['eee5'], []]);
    assert.ok(plan.steps.every((s) => !s.createVersionTable), 'downgrades never create the version table');
  });

  it('a dependency is re-INSERTed when the revision that consumed it goes', () => {
    assert.deepEqual(lines(planDowngrade(branches, 'xxx2:other@base')), [
      'downgrade xxx2 -> xxx1: +xxx1 xxx2>aaa1',
      'downgrade xxx1 -> : -xxx1',
    ]);
    assert.deepEqual(planDowngrade(branches, 'xxx2:other@base').end, ['aaa1']);
    assert.deepEqual(lines(planDowngrade(branches, 'xxx2:base')), [
      'downgrade xxx2 -> xxx1: +xxx1 xxx2>aaa1',
      'downgrade xxx1 -> : -xxx1',
      'downgrade aaa1 -> : -aaa1',
    ]);
  });

  it('an unmerge while another branch has a row re-INSERTs only the parents that branch does not cover', () => {
    const map = withOtherRoot;
    const plan = planDowngrade(map, 'heads:root');
    assert.deepEqual(lines(plan), [
      'downgrade m001 -> l001,r001: +l001 m001>r001',
      'downgrade l001 -> root: -l001',
      'downgrade r001 -> root: r001>root',
    ]);
    assert.deepEqual([plan.start, plan.end], [['m001', 'o001'], ['root', 'o001']]);
    // A parent still below another row is not re-inserted: downgrading only the merge of the research graph.
    assert.deepEqual(lines(planDowngrade(branches, 'eee5:ccc3')), ['downgrade eee5 -> ccc3,ddd4: +ccc3 eee5>ddd4']);
  });

  it('a merge of a revision and its own ancestor unmerges to the upper parent only (Alembic 1.19)', () => {
    const map = RevisionMap.build([rev('t004'), rev('x001', ['t004']), rev('x002', ['x001']), rev('x003', ['x001', 'x002'])]);
    assert.deepEqual(lines(planUpgrade(map, 'head')), [
      'upgrade  -> t004 create: +t004',
      'upgrade t004 -> x001: t004>x001',
      'upgrade x001 -> x002: x001>x002',
      'upgrade x001,x002 -> x003: x002>x003',
    ]);
    assert.deepEqual(lines(planDowngrade(map, 'head:t004')), [
      'downgrade x003 -> x001,x002: x003>x002',
      'downgrade x002 -> x001: x002>x001',
      'downgrade x001 -> t004: x001>t004',
    ]);
  });

  it('downgrading to base DELETEs the last row and leaves the table (Alembic >= 1.19: no DROP TABLE)', () => {
    const map = RevisionMap.build([rev('a001'), rev('a002', ['a001'])]);
    const plan = planDowngrade(map, 'head:base');
    assert.deepEqual(plan.steps[1]!.versionOps, [{ op: 'delete', revision: 'a001' }]);
    assert.deepEqual(plan.end, []);
  });
});

describe('stamp bookkeeping (Alembic _stamp_revs / StampStep)', () => {
  it('from nothing: CREATE TABLE, then one INSERT per head', () => {
    const plan = planStamp(branches, 'heads');
    const stamp = (to: string, createVersionTable: boolean) => ({
      direction: 'stamp',
      revision: null,
      from: [],
      to: [to],
      createVersionTable,
      versionOps: [{ op: 'insert', revision: to }],
    });
    assert.deepEqual(plan.steps, [stamp('eee5', true), stamp('xxx2', false)]);
    assert.deepEqual(plan.end, ['eee5', 'xxx2']);
  });

  it("to base: DELETE; 'base' with no start: no steps", () => {
    assert.deepEqual(lines(planStamp(branches, 'eee5:base')), ['stamp eee5 -> : -eee5']);
    assert.deepEqual(lines(planStamp(branches, 'xxx2:other@base')), ['stamp xxx2 -> : -xxx2']);
    const plan = planStamp(branches, 'base');
    assert.deepEqual([plan.steps, plan.start, plan.end], [[], [], []]);
  });

  it('down or up along the branch: one UPDATE; onto another branch: INSERT', () => {
    assert.deepEqual(lines(planStamp(branches, 'eee5:bbb2')), ['stamp eee5 -> bbb2: eee5>bbb2']);
    assert.deepEqual(lines(planStamp(branches, 'bbb2:eee5')), ['stamp bbb2 -> eee5: bbb2>eee5']);
    assert.deepEqual(lines(planStamp(branches, 'eee5:xxx2')), ['stamp  -> xxx2: +xxx2']);
    assert.deepEqual(lines(planStamp(branches, 'ccc3:ddd4')), ['stamp  -> ddd4: +ddd4']);
    assert.deepEqual(lines(planStamp(branches, 'eee5:eee5')), []);
  });

  it('several related rows move as one merge step: DELETE all but the last, UPDATE the last', () => {
    assert.deepEqual(lines(planStamp(branches, 'heads:aaa1')), ['stamp eee5,xxx2 -> aaa1: -eee5 xxx2>aaa1']);
  });
});

describe('a graph whose version table rows cannot be kept', () => {
  // r3 merges r1 and r2 and depends on r0, already an ancestor of both: Alembic 1.8's offline upgrade
  // base:r3 fails on it too (KeyError: 'r0' in HeadMaintainer._update_version).
  const map = RevisionMap.build([rev('r0'), rev('r1', ['r0']), rev('r2', ['r0']), rev('r3', ['r1', 'r2'], { deps: ['r0'] }), rev('r4', ['r0']), rev('r5', ['r3', 'r2'])]);

  it('is a user error naming the file, revision and step, and what to change', () => {
    assert.throws(() => planUpgrade(map, 'base:r3'), {
      name: 'UserError',
      message:
        "migrations/r3.ts (revision r3): upgrade r1, r2 -> r3: the version table's rows cannot be kept through this step (update r0; rows: none) — usually a dependsOn or down revision that is already an ancestor of the revision's other down revisions; remove it (Alembic 1.8 fails on this graph too, with a KeyError in its HeadMaintainer)",
    });
  });
});
