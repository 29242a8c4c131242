/**
 * The parity fixtures themselves: for every history, the sqlscribe migrations and the Alembic project
 * must describe the same revision graph (ids, parents, depends_on, branch labels) with the same file
 * names (both tools order sibling branches by file name), and every case the acceptance criterion
 * names must be covered somewhere. Needs Alembic (to read its graph), not PostgreSQL.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { loadMigrations } from '../../src/load/migrations.js';
import { ModuleEvaluator } from '../../src/load/modules.js';
import { databaseRequired, run } from '../support/common.js';
import { FIXTURES, PYTHON, probeAlembic } from './harness.js';

export const CASES = ['linear', 'branches', 'depends', 'literals', 'issue3'] as const;

interface Node {
  revision: string;
  down: string[];
  dependsOn: string[];
  branchLabels: string[];
  file: string;
}

const GRAPH_PY = `
import json, os, sys
from alembic.config import Config
from alembic.script import ScriptDirectory
def lst(v):
    if v is None: return []
    if isinstance(v, str): return [v]
    return list(v)
sd = ScriptDirectory.from_config(Config(sys.argv[1]))
out = []
for s in sd.walk_revisions():
    out.append({"revision": s.revision, "down": lst(s.down_revision), "dependsOn": lst(s.dependencies),
                "branchLabels": sorted(s._orig_branch_labels), "file": os.path.splitext(os.path.basename(s.path))[0]})
print(json.dumps(out))
`;

async function alembicGraph(caseName: string): Promise<Node[]> {
  const r = await run(PYTHON, ['-c', GRAPH_PY, path.join(FIXTURES, caseName, 'alembic', 'alembic.ini')], {
    env: { ...process.env, PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1' },
  });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as Node[]).sort((a, b) => a.revision.localeCompare(b.revision));
}

function sqlscribeGraph(caseName: string): Node[] {
  const dir = path.join(FIXTURES, caseName, 'sqlscribe');
  return loadMigrations([dir], dir, new ModuleEvaluator())
    .map(({ migration: m, file }) => ({
      revision: m.revision,
      down: m.down === null ? [] : typeof m.down === 'string' ? [m.down] : [...m.down],
      dependsOn: [...(m.dependsOn ?? [])],
      branchLabels: [...(m.branchLabels ?? [])].sort(),
      file: path.basename(file).replace(/\.ts$/, ''),
    }))
    .sort((a, b) => a.revision.localeCompare(b.revision));
}

for (const caseName of CASES) {
  test(`fixtures/${caseName}: the sqlscribe and Alembic histories have the same graph and file names`, async (t) => {
    try {
      await probeAlembic();
    } catch (e) {
      if (databaseRequired()) throw e;
      t.skip(`Alembic not available: ${(e as Error).message}`);
      return;
    }
    const theirs = await alembicGraph(caseName);
    const ours = sqlscribeGraph(caseName);
    assert.ok(ours.length >= 2, `${caseName} has at least 2 revisions`);
    assert.deepStrictEqual(ours, theirs);
  });
}

test('fixtures: the cases cover what the acceptance criterion names', () => {
  const ts = (c: string) =>
    readdirSync(path.join(FIXTURES, c, 'sqlscribe'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(path.join(FIXTURES, c, 'sqlscribe', f), 'utf8'))
      .join('\n');
  const all = CASES.map(ts).join('\n');
  const needles: [string, RegExp][] = [
    ['merge point', /down: \[/],
    ['concurrent index', /concurrently: true/],
    ['reserved-word identifiers', /'(user|order|select|group)'/],
    ['mixed-case identifiers', /'Users'/],
    ['quoted literal', /O'Brien/],
    ['bulk insert', /op\.bulkInsert\(/],
    ['table comment', /comment: "People|createTableComment\(/],
    ['column comment', /comment: "/],
    ['partial index', /where: sql`/],
    ['unique index', /unique: true, where/],
    ['check constraint', /check\(sql`|createCheckConstraint\(/],
    ['column type change', /alterColumn\([^)]*type: t\./],
    ['enum type', /t\.enum\(/],
    ['ON DELETE CASCADE', /onDelete: 'CASCADE'/],
    ['depends_on', /dependsOn: \[/],
    ['branch label', /branchLabels: \[/],
    ['derived downgrade (a migration without downgrade)', /upgrade: \[[\s\S]*?\]\s*,?\s*\}\);/],
    ['hand-written downgrade', /downgrade: \[/],
  ];
  for (const [what, re] of needles) assert.match(all, re, `no parity fixture covers: ${what}`);
});
