/** history / heads / branches / show, as Alembic's text and as JSON. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RevisionMap,
  branchesJson,
  formatBranches,
  formatHeads,
  formatHistory,
  formatShow,
  headsJson,
  historyJson,
  showJson,
} from '../../src/revision/index.js';
import { rev, throwsUser } from './helpers.js';

/** c6e2 -> 8f6e (branch point) -> {2a6d, 7b4f} -> 7c6a (merge) -> 0d8c; plus a labelled root with a dependency. */
const map = RevisionMap.build([
  rev('c6e23e92af16', [], { message: 'Create users table' }),
  rev('8f6e0f2be8d2', ['c6e23e92af16'], { message: 'Add roles' }),
  rev('2a6d94c6cc2b', ['8f6e0f2be8d2'], { message: 'Add audit log' }),
  rev('7b4f50a1e0e0', ['8f6e0f2be8d2'], { message: 'Add email verification and OTP fields to users' }),
  rev('7c6ac304c575', ['2a6d94c6cc2b', '7b4f50a1e0e0'], { message: 'Merge multiple heads' }),
  rev('0d8c359bb4f1', ['7c6ac304c575'], { message: 'Sync with current models state\n\nLonger text.\nSecond line.' }),
  rev('aud1', [], { labels: ['audit'], message: 'Create audit schema' }),
  rev('aud2', ['aud1'], { deps: ['c6e23e92af16'], message: 'Audit users' }),
]);

const dephead = RevisionMap.build([rev('a001'), rev('a002', ['a001']), rev('b001'), rev('b002', ['b001'], { deps: ['a002'] })]);

describe('history', () => {
  it("lists newest first in Alembic's format", () => {
    assert.equal(
      formatHistory(map),
      [
        '7c6ac304c575 -> 0d8c359bb4f1 (head), Sync with current models state',
        '2a6d94c6cc2b, 7b4f50a1e0e0 -> 7c6ac304c575 (mergepoint), Merge multiple heads',
        '8f6e0f2be8d2 -> 2a6d94c6cc2b, Add audit log',
        '8f6e0f2be8d2 -> 7b4f50a1e0e0, Add email verification and OTP fields to users',
        'aud1 (c6e23e92af16) -> aud2 (audit) (head), Audit users',
        '<base> -> aud1 (audit), Create audit schema',
        'c6e23e92af16 -> 8f6e0f2be8d2 (branchpoint), Add roles',
        '<base> -> c6e23e92af16, Create users table',
        '',
      ].join('\n'),
    );
  });

  it('--verbose prints the whole entry, the message indented', () => {
    const text = formatHistory(map, { verbose: true, range: '7c6a:0d8c' });
    assert.equal(
      text,
      [
        'Rev: 0d8c359bb4f1 (head)',
        'Parent: 7c6ac304c575',
        'Path: migrations/0d8c359bb4f1.ts',
        '',
        '    Sync with current models state',
        '    ',
        '    Longer text.',
        '    Second line.',
        '',
        'Rev: 7c6ac304c575 (mergepoint)',
        'Merges: 2a6d94c6cc2b, 7b4f50a1e0e0',
        'Path: migrations/7c6ac304c575.ts',
        '',
        '    Merge multiple heads',
        '',
        '',
      ].join('\n'),
    );
    assert.equal(
      formatHistory(map, { verbose: true, range: 'aud1:aud2' }).split('\n\n')[0],
      [
        'Rev: aud2 (head)',
        'Parent: aud1',
        'Also depends on: c6e23e92af16',
        'Branch names: audit',
        'Path: migrations/aud2.ts',
      ].join('\n'),
    );
    assert.match(
      formatHistory(map, { verbose: true }),
      /Rev: 8f6e0f2be8d2 \(branchpoint\)\nParent: c6e23e92af16\nBranches into: 2a6d94c6cc2b, 7b4f50a1e0e0\n/,
    );
  });

  it('takes [start]:[end], [start]: and :[end] ranges', () => {
    const revisions = (range: string) => historyJson(map, { range }).map((r) => r.revision);
    assert.deepEqual(revisions('8f6e:7c6a'), ['7c6ac304c575', '2a6d94c6cc2b', '7b4f50a1e0e0', '8f6e0f2be8d2']);
    assert.deepEqual(revisions('7c6a:'), ['0d8c359bb4f1', '7c6ac304c575']);
    assert.deepEqual(revisions(':8f6e'), ['8f6e0f2be8d2', 'c6e23e92af16']);
    assert.deepEqual(revisions('audit@base:audit@head'), ['aud2', 'aud1', 'c6e23e92af16']);
  });

  it('marks an effective head', () => {
    assert.equal(
      formatHistory(dephead),
      [
        'b001 (a002) -> b002 (head), Revision b002',
        '<base> -> b001, Revision b001',
        'a001 -> a002 (effective head), Revision a002',
        '<base> -> a001, Revision a001',
        '',
      ].join('\n'),
    );
  });

  it('refuses bad ranges, saying what to type', () => {
    throwsUser(
      () => formatHistory(map, { range: '8f6e' }),
      "History range requires [start]:[end], [start]:, or :[end] — e.g. 'sqlscribe history -r base:head', not '8f6e'",
    );
    throwsUser(
      () => formatHistory(map, { range: 'current:' }),
      "history cannot use 'current' — sqlscribe has no database to read; name the revision the database is at",
    );
    throwsUser(
      () => formatHistory(map, { range: '2a6d:7b4f' }),
      "Requested range 2a6d:7b4f does not refer to ancestor/descendant revisions along the same branch — " +
        "put an ancestor first, e.g. 'base:7b4f'",
    );
    throwsUser(
      () => formatHistory(map, { range: ':head' }),
      "Multiple head revisions are present for given argument 'head': 0d8c359bb4f1, aud2 — name one of them, " +
        "use '<branch>@head' for the head of one branch, or 'heads' for all heads",
    );
  });

  it('as JSON', () => {
    assert.deepEqual(historyJson(map, { range: 'aud1:aud2' }), [
      {
        revision: 'aud2',
        down: ['aud1'],
        dependsOn: ['c6e23e92af16'],
        branchLabels: ['audit'],
        message: 'Audit users',
        file: 'migrations/aud2.ts',
        children: [],
        head: true,
        effectiveHead: false,
        branchPoint: false,
        mergePoint: false,
      },
      {
        revision: 'aud1',
        down: [],
        dependsOn: [],
        branchLabels: ['audit'],
        message: 'Create audit schema',
        file: 'migrations/aud1.ts',
        children: ['aud2'],
        head: false,
        effectiveHead: false,
        branchPoint: false,
        mergePoint: false,
      },
    ]);
  });
});

describe('heads', () => {
  it('lists heads with labels; effective heads unless resolving dependencies', () => {
    assert.equal(formatHeads(map), '0d8c359bb4f1 (head)\naud2 (audit) (head)\n');
    assert.equal(formatHeads(dephead), 'a002 (effective head)\nb002 (head)\n');
    assert.equal(formatHeads(dephead, { resolveDependencies: true }), 'b002 (head)\n');
    assert.deepEqual(
      headsJson(dephead).map((h) => [h.revision, h.head, h.effectiveHead]),
      [
        ['a002', false, true],
        ['b002', true, false],
      ],
    );
  });

  it('--verbose', () => {
    assert.equal(
      formatHeads(dephead, { verbose: true }),
      'Rev: a002 (head)\nParent: a001\nPath: migrations/a002.ts\n\n    Revision a002\n\n' +
        'Rev: b002 (head)\nParent: b001\nAlso depends on: a002\nPath: migrations/b002.ts\n\n    Revision b002\n\n',
    );
  });
});

describe('branches', () => {
  it('lists each branch point and its children', () => {
    assert.equal(
      formatBranches(map),
      '8f6e0f2be8d2 (branchpoint)\n             -> 2a6d94c6cc2b\n             -> 7b4f50a1e0e0\n\n',
    );
    assert.equal(formatBranches(dephead), '');
  });

  it('--verbose', () => {
    assert.equal(
      formatBranches(map, { verbose: true }),
      [
        'Rev: 8f6e0f2be8d2 (branchpoint)',
        'Parent: c6e23e92af16',
        'Branches into: 2a6d94c6cc2b, 7b4f50a1e0e0',
        'Path: migrations/8f6e0f2be8d2.ts',
        '',
        '    Add roles',
        '',
        '             -> 2a6d94c6cc2b, Add audit log',
        '             -> 7b4f50a1e0e0, Add email verification and OTP fields to users',
        '',
        '',
      ].join('\n'),
    );
  });

  it('as JSON', () => {
    assert.deepEqual(
      branchesJson(map).map((b) => [b.revision, b.children, b.branchPoint]),
      [['8f6e0f2be8d2', ['2a6d94c6cc2b', '7b4f50a1e0e0'], true]],
    );
  });
});

describe('show', () => {
  it('prints the verbose entry of what a symbol stands for', () => {
    assert.equal(
      formatShow(map, 'audit@head'),
      'Rev: aud2 (head)\nParent: aud1\nAlso depends on: c6e23e92af16\nBranch names: audit\n' +
        'Path: migrations/aud2.ts\n\n    Audit users\n\n',
    );
    assert.equal(formatShow(map, '7c6a'), formatHistory(map, { verbose: true, range: '7c6a:7c6a' }));
    assert.equal(formatShow(map, 'base'), '');
    assert.deepEqual(
      showJson(map, 'heads').map((r) => r.revision),
      ['0d8c359bb4f1', 'aud2'],
    );
  });

  it('refuses unknown revisions and current', () => {
    throwsUser(
      () => formatShow(map, 'zzzz'),
      "Can't locate revision identified by 'zzzz' — run 'sqlscribe history' to list revisions",
    );
    throwsUser(() => showJson(map, 'current'), "show cannot use 'current' — sqlscribe has no database to read; name a revision");
  });
});
