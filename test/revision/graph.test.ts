/** RevisionMap.build: derived graph facts (Alembic's Revision attributes) and every build error. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RevisionMap, type RevisionInput } from '../../src/revision/index.js';
import { rev, throwsUser, RESEARCH_GRAPH } from './helpers.js';

const BRANCHES = RESEARCH_GRAPH;

describe('RevisionMap.build: graph facts', () => {
  const map = RevisionMap.build(BRANCHES);

  it('lists heads, real heads and bases in input order', () => {
    assert.deepEqual(map.heads, ['eee5', 'xxx2']);
    assert.deepEqual(map.realHeads, ['eee5', 'xxx2']);
    assert.deepEqual(map.bases, ['aaa1', 'xxx1']);
    assert.deepEqual(map.topological, ['aaa1', 'xxx1', 'bbb2', 'xxx2', 'ccc3', 'ddd4', 'eee5']);
    assert.equal(map.size, 7);
    assert.deepEqual(
      map.revisions.map((r) => r.revision),
      BRANCHES.map((r) => r.revision),
    );
  });

  it('describes a branch point, a merge point and a dependency', () => {
    const { revision, down, children, dependents, order, isBranchPoint, isRealBranchPoint } = map.get('aaa1');
    assert.deepEqual(
      { revision, down, children, dependents, order, isBranchPoint, isRealBranchPoint },
      {
        revision: 'aaa1',
        down: [],
        children: ['bbb2'],
        dependents: ['xxx2'],
        order: 0,
        isBranchPoint: false,
        isRealBranchPoint: true,
      },
    );
    assert.deepEqual(map.get('bbb2').children, ['ccc3', 'ddd4']);
    assert.equal(map.get('bbb2').isBranchPoint, true);
    const eee5 = map.get('eee5');
    assert.deepEqual([eee5.isMergePoint, eee5.isHead, eee5.isRealHead], [true, true, true]);
    assert.deepEqual(eee5.normalizedDown, ['ccc3', 'ddd4']);
    const xxx2 = map.get('xxx2');
    assert.deepEqual(xxx2.resolvedDependsOn, ['aaa1']);
    assert.deepEqual(xxx2.normalizedDown, ['xxx1', 'aaa1']);
    assert.deepEqual(xxx2.labels, ['other']);
    assert.deepEqual(map.get('xxx1').labels, ['other']);
    assert.deepEqual(map.get('eee5').labels, []);
    assert.deepEqual([map.get('xxx1').isBase, map.get('xxx1').isRealBase], [true, true]);
    assert.equal(map.get('xxx2').file, 'migrations/xxx2.ts');
    assert.equal(map.get('xxx2').message, 'Revision xxx2');
  });

  it('tells an effective head (still depended on) from a real head', () => {
    const dep = RevisionMap.build([
      rev('a001'),
      rev('a002', ['a001']),
      rev('b001', [], { labels: ['bee'] }),
      rev('b002', ['b001'], { deps: ['a002'] }),
    ]);
    assert.deepEqual(dep.heads, ['a002', 'b002']);
    assert.deepEqual(dep.realHeads, ['b002']);
    assert.deepEqual([dep.get('a002').isHead, dep.get('a002').isRealHead], [true, false]);
    assert.deepEqual([dep.get('b002').isBase, dep.get('b002').isRealBase], [false, false]);
  });

  it('resolves dependsOn given as a branch label or a unique prefix', () => {
    const m = RevisionMap.build([
      rev('aaa1'),
      rev('xxx1', [], { labels: ['other'] }),
      rev('yyy1', [], { deps: ['other', 'aaa'] }),
    ]);
    assert.deepEqual(m.get('yyy1').resolvedDependsOn, ['xxx1', 'aaa1']);
    assert.deepEqual(m.get('yyy1').dependsOn, ['other', 'aaa']);
    assert.deepEqual(m.get('xxx1').dependents, ['yyy1']);
    assert.deepEqual(m.get('aaa1').dependents, ['yyy1']);
  });

  it("normalises dependencies that a down-ancestor already has (Alembic _normalize_depends_on)", () => {
    const m = RevisionMap.build([
      rev('dep1'),
      rev('dep2'),
      rev('a001'),
      rev('a002', ['a001'], { deps: ['dep1'] }),
      rev('a003', ['a002'], { deps: ['dep1', 'dep2'] }),
      rev('a004', ['a003'], { deps: ['a001'] }),
      rev('b001', [], { deps: ['dep2'] }),
      rev('m001', ['a004', 'b001'], { deps: ['dep1', 'dep2'] }),
    ]);
    assert.deepEqual(m.get('a003').normalizedDown, ['a002', 'dep2']);
    // A dependency on a down-ancestor is kept when no ancestor depends on it (as Alembic does).
    assert.deepEqual(m.get('a004').normalizedDown, ['a003', 'a001']);
    // Both parents of a merge pass their dependencies on.
    assert.deepEqual(m.get('m001').normalizedDown, ['a004', 'b001']);
  });

  it('gives descendants the labels of their branch, and lends them down an unbranched line', () => {
    const m = RevisionMap.build([
      rev('p001'),
      rev('p002', ['p001'], { labels: ['feat'] }),
      rev('p003', ['p002']),
    ]);
    assert.deepEqual(
      m.revisions.map((r) => r.labels),
      [['feat'], ['feat'], ['feat']],
    );
    // The lending stops at a branch point (q001 has two children) ...
    const q = RevisionMap.build([
      rev('q001'),
      rev('q002', ['q001'], { labels: ['feat'] }),
      rev('q003', ['q002']),
      rev('q004', ['q001']),
    ]);
    assert.deepEqual(
      q.revisions.map((r) => r.labels),
      [[], ['feat'], ['feat'], []],
    );
    // ... and does not happen when the labelled revision's descendants branch.
    const r = RevisionMap.build([
      rev('r001'),
      rev('r002', ['r001'], { labels: ['feat'] }),
      rev('r003', ['r002']),
      rev('r004', ['r002'], { labels: ['sub'] }),
    ]);
    assert.deepEqual(
      r.revisions.map((x) => x.labels),
      [[], ['feat'], ['feat'], ['sub', 'feat']],
    );
  });

  it('builds an empty history', () => {
    const m = RevisionMap.build([]);
    assert.deepEqual([m.heads, m.bases, m.size], [[], [], 0]);
  });

  it('looks up exact ids only with get/has', () => {
    assert.equal(map.has('aaa1'), true);
    assert.equal(map.has('aaa'), false);
    assert.equal(map.has('other'), false);
    throwsUser(() => map.get('aaa'), "Can't locate revision identified by 'aaa' — run 'sqlscribe history' to list revisions");
  });
});

describe('RevisionMap.build: errors say what to fix', () => {
  const at = (r: RevisionInput, file: string): RevisionInput => ({ ...r, file });

  it('refuses a duplicate id, naming both files', () => {
    throwsUser(
      () => RevisionMap.build([rev('a001'), at(rev('a001'), 'migrations/copy.ts')]),
      "Revision a001 is present more than once: migrations/a001.ts and migrations/copy.ts — give one of them a new 'revision' id",
    );
  });

  it('refuses a missing down revision, naming the file and the id', () => {
    throwsUser(
      () => RevisionMap.build([rev('a001'), rev('a002', ['zzz9'])]),
      "migrations/a002.ts: down revision 'zzz9' of revision a002 is not present — fix 'down' in migrations/a002.ts, " +
        "or restore the migration that defines 'zzz9'",
    );
    // A branch label is not a revision.
    throwsUser(
      () => RevisionMap.build([rev('a001', [], { labels: ['lab'] }), rev('a002', ['lab'])]),
      "migrations/a002.ts: down revision 'lab' of revision a002 is not present — fix 'down' in migrations/a002.ts, " +
        "or restore the migration that defines 'lab'",
    );
  });

  it('refuses cycles, listing the revisions on or above them', () => {
    throwsUser(
      () => RevisionMap.build([rev('c001'), rev('c003', ['c002']), rev('c002', ['c003']), rev('c004', ['c003'])]),
      "Cycle is detected in revisions (c002, c003, c004) — a revision cannot come after itself; " +
        "fix 'down' in migrations/c002.ts, migrations/c003.ts, migrations/c004.ts",
    );
    // A cycle through a merge point, with a base and a head (Alembic's heads/bases test misses this one).
    throwsUser(
      () => RevisionMap.build([rev('b001'), rev('c001', ['b001', 'd001']), rev('d001', ['c001']), rev('e001', ['d001'])]),
      "Cycle is detected in revisions (c001, d001, e001) — a revision cannot come after itself; " +
        "fix 'down' in migrations/c001.ts, migrations/d001.ts, migrations/e001.ts",
    );
    throwsUser(
      () => RevisionMap.build([rev('s001', ['s001'])]),
      "Self-loop is detected in revisions (s001) — a revision cannot come after itself; fix 'down' in migrations/s001.ts",
    );
  });

  it('refuses dependency cycles', () => {
    throwsUser(
      () => RevisionMap.build([rev('b001'), rev('c001', ['b001'], { deps: ['d001'] }), rev('d001', ['c001'])]),
      "Dependency cycle is detected in revisions (c001, d001) — a revision cannot come after itself; " +
        "fix 'dependsOn' in migrations/c001.ts, migrations/d001.ts",
    );
    throwsUser(
      () => RevisionMap.build([rev('s001', [], { deps: ['s001'] })]),
      "Dependency self-loop is detected in revisions (s001) — a revision cannot come after itself; " +
        "fix 'dependsOn' in migrations/s001.ts",
    );
  });

  it('refuses a branch label used twice, or equal to a revision id', () => {
    throwsUser(
      () => RevisionMap.build([rev('a001', [], { labels: ['lab'] }), rev('b001', [], { labels: ['lab'] })]),
      "migrations/b001.ts: Branch name 'lab' in revision b001 already used by revision a001 (migrations/a001.ts) — " +
        'choose another branch label',
    );
    throwsUser(
      () => RevisionMap.build([rev('a001'), rev('b001', [], { labels: ['a001'] })]),
      "migrations/b001.ts: Branch name 'a001' in revision b001 already used by revision a001 (migrations/a001.ts) — " +
        'choose another branch label',
    );
  });

  it('refuses an unknown or ambiguous dependsOn', () => {
    throwsUser(
      () => RevisionMap.build([rev('a001'), rev('b001', [], { deps: ['nope'] })]),
      "migrations/b001.ts: dependsOn 'nope' of revision b001 is not a known revision or branch label — " +
        "name a revision id or branch label in 'dependsOn' (run 'sqlscribe history' to list revisions)",
    );
    throwsUser(
      () => RevisionMap.build([rev('a001'), rev('a002', ['a001']), rev('b001', [], { deps: ['a00'] })]),
      "migrations/b001.ts: dependsOn 'a00' of revision b001 is ambiguous: a001, a002 — " +
        "name a revision id or branch label in 'dependsOn' (run 'sqlscribe history' to list revisions)",
    );
  });

  it('refuses ids that the target grammar cannot spell', () => {
    throwsUser(
      () => RevisionMap.build([rev('a-1:b')]),
      "migrations/a-1:b.ts: Character(s) '-, :' not allowed in revision identifier 'a-1:b' — use letters, digits " +
        "and '_' in 'revision'",
    );
    throwsUser(
      () => RevisionMap.build([rev('a,b')]),
      "migrations/a,b.ts: Character(s) ',' not allowed in revision identifier 'a,b' — use letters, digits " +
        "and '_' in 'revision'",
    );
    throwsUser(() => RevisionMap.build([rev('')]), "migrations/.ts: the revision id is empty — set 'revision' to an id");
  });
});
