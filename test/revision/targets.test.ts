/** Every target form of upgrade / downgrade / stamp, and every target error, with exact plans and messages. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RevisionMap, planDowngrade, planStamp, planUpgrade, resolveRevision } from '../../src/revision/index.js';
import { lines, rev, throwsUser, RESEARCH_GRAPH } from './helpers.js';

const [A, B, C, D] = ['1975ea83b712', '27c6a30d7c24', 'ae1027a6acf0', '3cf34f2a1b9d'];
/** A chain A -> B -> C -> D. */
const linear = RevisionMap.build([rev(A), rev(B, [A]), rev(C, [B]), rev(D, [C])]);
const ALL = [
  `upgrade  -> ${A} create: +${A}`,
  `upgrade ${A} -> ${B}: ${A}>${B}`,
  `upgrade ${B} -> ${C}: ${B}>${C}`,
  `upgrade ${C} -> ${D}: ${C}>${D}`,
];

/** root -> fork -> lef1 ('left') -> lef2, fork -> rig1 ('right') -> rig2: two heads. */
const forks = RevisionMap.build([
  rev('root'),
  rev('fork', ['root']),
  rev('lef1', ['fork'], { labels: ['left'] }),
  rev('lef2', ['lef1']),
  rev('rig1', ['fork'], { labels: ['right'] }),
  rev('rig2', ['rig1']),
]);

/** root -> fork -> {lef1, rig1} -> merg -> topp. */
const merged = RevisionMap.build([
  rev('root'),
  rev('fork', ['root']),
  rev('lef1', ['fork']),
  rev('rig1', ['fork']),
  rev('merg', ['lef1', 'rig1']),
  rev('topp', ['merg']),
]);

const branches = RevisionMap.build(RESEARCH_GRAPH);

const LIST = "run 'sqlscribe history' to list revisions";

describe('upgrade targets', () => {
  it("'head', 'heads' and 'base:head' upgrade the whole chain from base", () => {
    for (const target of ['head', 'heads', 'base:head', 'base:heads']) {
      const plan = planUpgrade(linear, target);
      assert.deepEqual(lines(plan), ALL, target);
      assert.deepEqual([plan.command, plan.start, plan.end], ['upgrade', [], [D]]);
    }
    assert.equal(planUpgrade(linear, 'head').range, 'base:head');
    assert.equal(planUpgrade(linear, 'base:heads').range, 'base:heads');
  });

  it('a full id, a unique prefix (any length, as Alembic matches it) and a range of them', () => {
    assert.deepEqual(lines(planUpgrade(linear, C)), ALL.slice(0, 3));
    assert.deepEqual(lines(planUpgrade(linear, 'ae10')), ALL.slice(0, 3));
    assert.deepEqual(lines(planUpgrade(linear, '27c')), ALL.slice(0, 2));
    const plan = planUpgrade(linear, '27c6:3cf3');
    assert.deepEqual(lines(plan), ALL.slice(2));
    assert.deepEqual([plan.range, plan.start, plan.end], ['27c6:3cf3', [B], [D]]);
  });

  it('prefixes match ids longer than three characters only (Alembic _revision_for_ident)', () => {
    assert.deepEqual(lines(planUpgrade(branches, 'aaa1:ccc')), [
      'upgrade aaa1 -> bbb2: aaa1>bbb2',
      'upgrade bbb2 -> ccc3: bbb2>ccc3',
    ]);
    assert.deepEqual(lines(planUpgrade(branches, 'othe')), ['upgrade  -> xxx1 create: +xxx1'], 'label prefixes too');
    const short = RevisionMap.build([rev('ab1'), rev('abcd', ['ab1'])]);
    assert.deepEqual(lines(planUpgrade(short, 'ab1')), ['upgrade  -> ab1 create: +ab1']);
    assert.deepEqual(lines(planUpgrade(short, 'ab')), ['upgrade  -> ab1 create: +ab1', 'upgrade ab1 -> abcd: ab1>abcd']);
  });

  it('a target at or below the start plans nothing', () => {
    assert.deepEqual(lines(planUpgrade(linear, `${D}:${A}`)), []);
    assert.deepEqual(lines(planUpgrade(linear, 'head:head')), []);
    assert.deepEqual(lines(planUpgrade(linear, 'base:base')), []);
    const plan = planUpgrade(linear, `${D}:${A}`);
    assert.deepEqual([plan.start, plan.end], [[D], [D]]);
  });

  it("relative '+N' counts from the start, or from base without one", () => {
    assert.deepEqual(lines(planUpgrade(linear, '+2')), ALL.slice(0, 2));
    assert.deepEqual(lines(planUpgrade(linear, `${B}:+1`)), ALL.slice(2, 3));
    assert.deepEqual(lines(planUpgrade(linear, 'base:+4')), ALL);
  });

  it("'base+1', 'REV+N', 'REV-N', 'head-1', 'heads-1'", () => {
    assert.deepEqual(lines(planUpgrade(linear, 'base+1')), ALL.slice(0, 1));
    assert.deepEqual(lines(planUpgrade(linear, `${A}:27c6+2`)), ALL.slice(1));
    assert.deepEqual(lines(planUpgrade(linear, `${C}-2`)), ALL.slice(0, 1));
    assert.deepEqual(lines(planUpgrade(linear, 'head-1')), ALL.slice(0, 3));
    assert.deepEqual(lines(planUpgrade(linear, 'heads-1')), ALL.slice(0, 3));
    assert.deepEqual(lines(planUpgrade(linear, `${A}-1`)), []);
  });

  it("'label@head', 'label@heads', 'rev@head', 'label@rev', 'label@base'", () => {
    const left = ['upgrade  -> root create: +root', 'upgrade root -> fork: root>fork', 'upgrade fork -> lef1: fork>lef1'];
    assert.deepEqual(lines(planUpgrade(forks, 'left@head')), [...left, 'upgrade lef1 -> lef2: lef1>lef2']);
    assert.deepEqual(lines(planUpgrade(forks, 'left@heads')), [...left, 'upgrade lef1 -> lef2: lef1>lef2']);
    assert.deepEqual(lines(planUpgrade(forks, 'lef1@head')), [...left, 'upgrade lef1 -> lef2: lef1>lef2']);
    assert.deepEqual(lines(planUpgrade(forks, 'left@lef1')), left);
    assert.deepEqual(lines(planUpgrade(forks, 'left')), left, 'a bare label is the labelled revision');
    assert.deepEqual(lines(planUpgrade(forks, 'right@base')), []);
    assert.deepEqual(lines(planUpgrade(forks, 'lef2:right@head')), [
      'upgrade fork -> rig1: +rig1',
      'upgrade rig1 -> rig2: rig1>rig2',
    ]);
  });

  it("'label@+N' and 'label@head-N' walk along one branch", () => {
    assert.deepEqual(lines(planUpgrade(forks, 'left@+1')), ['upgrade  -> root create: +root']);
    assert.deepEqual(lines(planUpgrade(forks, 'fork:left@+1')), ['upgrade fork -> lef1: fork>lef1']);
    assert.deepEqual(lines(planUpgrade(forks, 'fork:right@+2')), [
      'upgrade fork -> rig1: fork>rig1',
      'upgrade rig1 -> rig2: rig1>rig2',
    ]);
    assert.deepEqual(lines(planUpgrade(forks, 'left@head-1')), [
      'upgrade  -> root create: +root',
      'upgrade root -> fork: root>fork',
      'upgrade fork -> lef1: fork>lef1',
    ]);
    assert.deepEqual(lines(planUpgrade(forks, 'lef2:right@+1')), ['upgrade fork -> rig1: +rig1']);
  });

  it("'heads' upgrades every branch in Alembic's order (siblings follow input and down order)", () => {
    assert.deepEqual(lines(planUpgrade(forks, 'heads')), [
      'upgrade  -> root create: +root',
      'upgrade root -> fork: root>fork',
      'upgrade fork -> rig1: fork>rig1',
      'upgrade rig1 -> rig2: rig1>rig2',
      'upgrade fork -> lef1: +lef1',
      'upgrade lef1 -> lef2: lef1>lef2',
    ]);
    assert.deepEqual(planUpgrade(forks, 'heads').end, ['lef2', 'rig2']);
  });

  it("a range may start at 'heads', 'branch@heads', 'REV-N' or 'branch@base' (Alembic refuses these offline)", () => {
    assert.deepEqual(lines(planUpgrade(linear, 'head-1:head')), ALL.slice(3));
    assert.deepEqual(lines(planUpgrade(linear, `${C}-1:+1`)), ALL.slice(2, 3));
    assert.deepEqual(planUpgrade(forks, 'heads:heads').start, ['lef2', 'rig2']);
    assert.deepEqual(lines(planUpgrade(forks, 'heads:heads')), []);
    assert.deepEqual(planUpgrade(forks, 'right@heads:heads').start, ['rig2']);
    assert.deepEqual(lines(planUpgrade(forks, 'left@base:left@head')), [
      'upgrade  -> root create: +root',
      'upgrade root -> fork: root>fork',
      'upgrade fork -> lef1: fork>lef1',
      'upgrade lef1 -> lef2: lef1>lef2',
    ]);
  });
});

describe('downgrade targets', () => {
  const DOWN = [
    `downgrade ${D} -> ${C}: ${D}>${C}`,
    `downgrade ${C} -> ${B}: ${C}>${B}`,
    `downgrade ${B} -> ${A}: ${B}>${A}`,
    `downgrade ${A} -> : -${A}`,
  ];

  it("'-N', 'head-N', 'REV-N', 'REV+N', an id, a prefix, 'base'", () => {
    assert.deepEqual(lines(planDowngrade(linear, 'head:-1')), DOWN.slice(0, 1));
    assert.deepEqual(lines(planDowngrade(linear, 'head:head-2')), DOWN.slice(0, 2));
    assert.deepEqual(lines(planDowngrade(linear, `head:${C}-1`)), DOWN.slice(0, 2));
    assert.deepEqual(lines(planDowngrade(linear, `head:${A}+1`)), DOWN.slice(0, 2));
    assert.deepEqual(lines(planDowngrade(linear, '3cf3:27c6')), DOWN.slice(0, 2));
    assert.deepEqual(lines(planDowngrade(linear, `${D}:${B}`)), DOWN.slice(0, 2));
    assert.deepEqual(lines(planDowngrade(linear, 'head:-4')), DOWN);
    const plan = planDowngrade(linear, 'head:base');
    assert.deepEqual(lines(plan), DOWN);
    assert.deepEqual([plan.command, plan.range, plan.start, plan.end], ['downgrade', 'head:base', [D], []]);
  });

  it('a target equal to the start plans nothing', () => {
    assert.deepEqual(lines(planDowngrade(linear, 'head:head')), []);
    assert.deepEqual(lines(planDowngrade(linear, 'base:base')), []);
  });

  it("relative walks follow 'down' only, not dependsOn", () => {
    const step = ['downgrade xxx2 -> xxx1: +xxx1 xxx2>aaa1'];
    assert.deepEqual(lines(planDowngrade(branches, 'xxx2:-1')), step);
    assert.deepEqual(lines(planDowngrade(branches, 'xxx2:xxx2-1')), step);
    assert.deepEqual(lines(planUpgrade(branches, 'xxx2-1')), ['upgrade  -> xxx1 create: +xxx1']);
  });

  it("'branch@-N' walks down the current head of that branch", () => {
    assert.deepEqual(lines(planDowngrade(forks, 'lef2:left@-1')), ['downgrade lef2 -> lef1: lef2>lef1']);
    assert.deepEqual(lines(planDowngrade(forks, 'heads:right@-2')), [
      'downgrade rig2 -> rig1: rig2>rig1',
      'downgrade rig1 -> fork: -rig1',
    ]);
    assert.deepEqual(planDowngrade(forks, 'heads:right@-2').end, ['lef2']);
  });

  it("'branch@base' drops that branch (and only that branch where the roots differ)", () => {
    assert.deepEqual(lines(planDowngrade(forks, 'rig2:right@base')), [
      'downgrade rig2 -> rig1: rig2>rig1',
      'downgrade rig1 -> fork: rig1>fork',
      'downgrade fork -> root: fork>root',
      'downgrade root -> : -root',
    ]);
    const roots = RevisionMap.build([rev('a001'), rev('b001', [], { labels: ['bee'] }), rev('b002', ['b001'])]);
    assert.deepEqual(lines(planDowngrade(roots, 'heads:bee@base')), [
      'downgrade b002 -> b001: b002>b001',
      'downgrade b001 -> : -b001',
    ]);
    assert.deepEqual(planDowngrade(roots, 'heads:bee@base').end, ['a001']);
  });
});

describe('stamp targets', () => {
  it("'heads', 'head', an id, 'base', ranges up and down", () => {
    assert.deepEqual(lines(planStamp(linear, 'heads')), [`stamp  -> ${D} create: +${D}`]);
    assert.deepEqual(lines(planStamp(linear, 'head')), [`stamp  -> ${D} create: +${D}`]);
    assert.deepEqual(lines(planStamp(linear, '27c6')), [`stamp  -> ${B} create: +${B}`]);
    assert.deepEqual(lines(planStamp(linear, 'head:base')), [`stamp ${D} -> : -${D}`]);
    assert.deepEqual(lines(planStamp(linear, '27c6:head')), [`stamp ${B} -> ${D}: ${B}>${D}`]);
    assert.deepEqual(lines(planStamp(linear, 'head:27c6')), [`stamp ${D} -> ${B}: ${D}>${B}`]);
    assert.deepEqual(lines(planStamp(linear, 'base')), []);
    assert.deepEqual(lines(planStamp(linear, '27c6:27c6')), []);
    const plan = planStamp(linear, 'head:27c6');
    assert.deepEqual([plan.command, plan.start, plan.end], ['stamp', [D], [B]]);
  });

  it("'heads' with several heads inserts one row each; another branch gets its own row", () => {
    assert.deepEqual(lines(planStamp(forks, 'heads')), ['stamp  -> lef2 create: +lef2', 'stamp  -> rig2: +rig2']);
    assert.deepEqual(lines(planStamp(forks, 'lef2:right@head')), ['stamp  -> rig2: +rig2']);
    assert.deepEqual(lines(planStamp(forks, 'lef2:fork')), ['stamp lef2 -> fork: lef2>fork']);
    assert.deepEqual(lines(planStamp(forks, 'heads:base')), ['stamp lef2 -> : -lef2', 'stamp rig2 -> : -rig2']);
  });
});

describe('comma-separated lists of revisions (the rows of a version table; Alembic takes one revision)', () => {
  it('a start of several rows, e.g. the two parents of a merge', () => {
    const plan = planUpgrade(merged, 'lef1,rig1:head');
    assert.deepEqual(lines(plan), ['upgrade lef1,rig1 -> merg: -lef1 rig1>merg', 'upgrade merg -> topp: merg>topp']);
    assert.deepEqual([plan.range, plan.start, plan.end], ['lef1,rig1:head', ['lef1', 'rig1'], ['topp']]);
    assert.deepEqual(lines(planDowngrade(merged, 'lef1,rig1:fork')), [
      'downgrade lef1 -> fork: -lef1',
      'downgrade rig1 -> fork: rig1>fork',
    ]);
  });

  it('several targets: upgrade to each, downgrade to keep each, stamp each', () => {
    assert.deepEqual(lines(planUpgrade(merged, 'lef1,rig1')), [
      'upgrade  -> root create: +root',
      'upgrade root -> fork: root>fork',
      'upgrade fork -> rig1: fork>rig1',
      'upgrade fork -> lef1: +lef1',
    ]);
    const down = planDowngrade(merged, 'topp:lef1,rig1');
    assert.deepEqual(lines(down), ['downgrade topp -> merg: topp>merg', 'downgrade merg -> lef1,rig1: +lef1 merg>rig1']);
    assert.deepEqual(down.end, ['lef1', 'rig1']);
    assert.deepEqual(lines(planStamp(merged, 'lef1,rig1')), ['stamp  -> lef1 create: +lef1', 'stamp  -> rig1: +rig1']);
  });

  it('refuses an empty item, overlapping targets, and names the item with several heads', () => {
    throwsUser(
      () => planUpgrade(merged, 'lef1,,rig1:head'),
      "'lef1,,rig1' has an empty item — separate revisions with single commas, e.g. 'a1b2,c3d4'",
    );
    throwsUser(
      () => planUpgrade(merged, 'rig1:lef1,topp'),
      'Requested revision topp overlaps with other requested revisions lef1 — lef1 is below it; name topp alone',
    );
    throwsUser(
      () => planUpgrade(forks, 'root:lef1,head'),
      "Multiple head revisions are present for given argument 'head': lef2, rig2 — name one of them, " +
        "use '<branch>@head' for the head of one branch, or 'heads' for all heads",
    );
  });
});

describe('resolveRevision', () => {
  it('resolves one symbol to a revision id, or null for base', () => {
    assert.equal(resolveRevision(linear, 'head'), D);
    assert.equal(resolveRevision(linear, 'heads'), D);
    assert.equal(resolveRevision(linear, 'ae10'), C);
    assert.equal(resolveRevision(linear, 'head-1'), C);
    assert.equal(resolveRevision(linear, 'base'), null);
    assert.equal(resolveRevision(forks, 'left@head'), 'lef2');
    assert.equal(resolveRevision(forks, 'right'), 'rig1');
    throwsUser(
      () => resolveRevision(linear, '-1'),
      "'-1' is relative to nothing here — name a revision, e.g. 'head-1'",
    );
    throwsUser(
      () => resolveRevision(forks, 'head'),
      "Multiple head revisions are present for given argument 'head': lef2, rig2 — name one of them, " +
        "use '<branch>@head' for the head of one branch, or 'heads' for all heads",
    );
  });
});

describe('target errors say what to type instead', () => {
  it('unknown revision, and current', () => {
    throwsUser(() => planUpgrade(linear, 'zzzz'), `Can't locate revision identified by 'zzzz' — ${LIST}`);
    throwsUser(() => planUpgrade(forks, 'nolabel@head'), `Can't locate revision identified by 'nolabel' — ${LIST}`);
    throwsUser(() => planUpgrade(forks, 'left@zzz9'), `Can't locate revision identified by 'zzz9' — ${LIST}`);
    const current =
      "Can't locate revision identified by 'current' — offline there is no database to read: give the revision " +
      "the database is at, e.g. 'sqlscribe upgrade <rev>:head'";
    throwsUser(() => planUpgrade(linear, 'current'), current);
    throwsUser(() => planUpgrade(linear, 'current:head'), current);
    throwsUser(() => planDowngrade(linear, 'current:-1'), current);
  });

  it('ambiguous prefix lists the candidates', () => {
    const twins = RevisionMap.build([rev('abcd1111'), rev('abcd2222', ['abcd1111'])]);
    throwsUser(
      () => planUpgrade(twins, 'abcd'),
      "Multiple revisions start with 'abcd': abcd1111, abcd2222 — type more characters of the revision id",
    );
  });

  it('multiple heads', () => {
    const message = (arg: string) =>
      `Multiple head revisions are present for given argument '${arg}': lef2, rig2 — name one of them, ` +
      `use '<branch>@${arg}' for the head of one branch, or 'heads' for all heads`;
    throwsUser(() => planUpgrade(forks, 'head'), message('head'));
    throwsUser(() => planUpgrade(forks, 'heads-1'), message('heads-1'));
    throwsUser(() => planDowngrade(forks, 'head:base'), message('head'));
    throwsUser(() => planStamp(forks, 'head'), message('head'));
  });

  it('a revision outside the named branch', () => {
    throwsUser(
      () => planUpgrade(forks, 'left@rig1'),
      `Revision rig1 is not a member of branch 'left' — use 'left@head', or a revision on that branch (${LIST})`,
    );
  });

  it('relative overshoot', () => {
    throwsUser(
      () => planUpgrade(linear, 'head:+5'),
      "Relative revision +5 didn't produce 5 migrations — use a smaller number, or 'heads'",
    );
    throwsUser(
      () => planUpgrade(linear, 'head-9'),
      "Relative revision -9 didn't produce 9 migrations — 'head-9' goes past base; use a smaller number, or 'base'",
    );
    throwsUser(
      () => planUpgrade(linear, `${C}+5`),
      `Relative revision +5 didn't produce 5 migrations — '${C}+5' goes past the heads; use a smaller number, or 'heads'`,
    );
    throwsUser(
      () => planUpgrade(linear, '-1'),
      "Relative revision -1 didn't produce 1 migrations — an upgrade cannot go down; to go back 1, use " +
        "'sqlscribe downgrade <from>:-1'",
    );
    throwsUser(
      () => planDowngrade(linear, 'head:-5'),
      "Relative revision -5 didn't produce 5 migrations — use a smaller number, or 'base'",
    );
    throwsUser(
      () => planDowngrade(linear, 'head:+1'),
      "Relative revision +1 didn't produce 1 migrations — a downgrade cannot go up; use '-1', 'base' or a revision " +
        'below the start',
    );
    throwsUser(
      () => planDowngrade(linear, 'base:-1'),
      "Relative revision -1 didn't produce 1 migrations — the range starts at base, there is nothing below it",
    );
    throwsUser(
      () => planDowngrade(linear, `head:${C}+9`),
      `Walked too far: '${C}+9' goes past the heads; use a smaller number, or 'heads'`,
    );
  });

  it('ambiguous walks across a branch point or a merge point', () => {
    throwsUser(
      () => planUpgrade(forks, 'fork:+1'),
      "Ambiguous walk: '+1' reaches fork, which branches into lef1, rig1 — name the revision you want, " +
        "or follow one branch with '<branch>@+N' (see 'sqlscribe history')",
    );
    throwsUser(
      () => planDowngrade(merged, 'topp:-2'),
      "Ambiguous walk: '-2' reaches merg, a merge point of lef1, rig1 — name the revision you want " +
        "(see 'sqlscribe history')",
    );
    throwsUser(
      () => planUpgrade(forks, 'heads:+1'),
      "Ambiguous upgrade from multiple current revisions (lef2, rig2) — walk one branch with '<branch>@+1', " +
        'or name the target revision',
    );
    throwsUser(
      () => planDowngrade(forks, 'heads:-1'),
      "'-1' from multiple heads (lef2, rig2) is ambiguous — name the branch, e.g. '<branch>@-1', or the target revision",
    );
    throwsUser(
      () => planDowngrade(forks, 'lef2:right@-1'),
      `No current revision is on branch 'right' — check the start of the range (${LIST})`,
    );
  });

  it('a downgrade target that is not below the start', () => {
    throwsUser(
      () => planDowngrade(linear, '27c6:3cf3'),
      `Destination 3cf3 is not a valid downgrade target from current head(s) — it is not below ${B}; ` +
        "name a revision below the start, or 'base' (see 'sqlscribe history')",
    );
    throwsUser(
      () => planDowngrade(forks, 'lef2:rig1'),
      "Destination rig1 is not a valid downgrade target from current head(s) — it is not below lef2; " +
        "name a revision below the start, or 'base' (see 'sqlscribe history')",
    );
  });

  it('a downgrade without a range', () => {
    throwsUser(
      () => planDowngrade(linear, '-1'),
      "downgrade needs a range FROM:TO when compiling offline, e.g. 'downgrade head:-1' or 'downgrade <rev>:base'",
    );
  });

  it('malformed ranges and starts', () => {
    throwsUser(
      () => planUpgrade(linear, 'a:b:c'),
      "'a:b:c' has more than one ':' — a range is FROM:TO, e.g. 'upgrade base:head'",
    );
    throwsUser(() => planUpgrade(linear, ':head'), "':head' is missing a revision on one side of ':' — e.g. 'upgrade base:head'");
    throwsUser(() => planStamp(linear, 'head:'), "'head:' is missing a revision on one side of ':' — e.g. 'stamp base:head'");
    throwsUser(
      () => planUpgrade(linear, '-1:head'),
      "'-1' as the start of a range has nothing to be relative to — name the revision the database is at, " +
        "e.g. 'head-1:head' or '<rev>:-1'",
    );
  });

  it('requested revisions that overlap', () => {
    // 'a001@heads' names both heads above a001, and the effective head a002 is below b002 through dependsOn.
    const dep = RevisionMap.build([
      rev('a001'),
      rev('a002', ['a001']),
      rev('b001', ['a001']),
      rev('b002', ['b001'], { deps: ['a002'] }),
    ]);
    throwsUser(
      () => planUpgrade(dep, 'a001@heads'),
      'Requested revision b002 overlaps with other requested revisions a002 — a002 is below it; name b002 alone',
    );
  });
});
