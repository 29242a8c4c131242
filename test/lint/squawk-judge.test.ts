/**
 * squawk as an external judge of the lint rules (squawk-cli from the npm registry: `.ci/run` installs it and
 * sets SQLSCRIBE_SQUAWK). Each case of judge.ts is compiled to a script,
 * linted by sqlscribe and by squawk (`--pg-version 15`); for the rules both have, where squawk reports a
 * rule on an op, sqlscribe reports the same rule on that op — except the divergences each case lists,
 * with their reasons — and the other way round.
 *
 * When squawk cannot run here (squawk-cli not installed, or no binary for this platform), the comparing
 * test is skipped with the reason — locally and in CI alike: squawk is a tool, not a database. The golden
 * scripts are checked either way. `UPDATE_GOLDEN=1` rewrites them (review the diff).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { COVERED_BY, JUDGE_CASES, SHARED_RULES, renderCase, type Divergence } from './judge.js';

/** `test/fixtures/lint/` in the source tree (the tests run from `dist/`). */
const GOLDEN_DIR = fileURLToPath(new URL('../../../test/fixtures/lint/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

/**
 * The squawk binary: `SQLSCRIBE_SQUAWK` (set by `.ci/run`, which installs squawk-cli from the npm registry
 * outside this package: its lock cannot list the platform packages this registry lacks), else an
 * installed squawk-cli; or why there is none.
 */
function squawkBinary(): { path: string } | { missing: string } {
  if (process.env.SQLSCRIBE_SQUAWK) return { path: process.env.SQLSCRIBE_SQUAWK };
  const require = createRequire(import.meta.url);
  let cli: { getBinaryPath(): string };
  try {
    // squawk-cli's package has no `main`: its launcher is js/index.js, which finds the platform package.
    cli = require('squawk-cli/js/index.js') as { getBinaryPath(): string };
  } catch (e) {
    return { missing: `squawk-cli is not installed (set SQLSCRIBE_SQUAWK to a squawk binary, or npm install --no-save squawk-cli): ${(e as Error).message.split('\n')[0]}` };
  }
  try {
    return { path: cli.getBinaryPath() };
  } catch (e) {
    return { missing: `squawk-cli has no binary here: ${(e as Error).message.split('\n')[0]}` };
  }
}

interface SquawkViolation {
  readonly file: string;
  readonly line: number;
  readonly rule_name: string;
}

const key = (op: number, rule: string) => `${op} ${rule}`;
const sorted = (xs: Iterable<string>) => [...xs].sort((a, b) => Number(a.split(' ')[0]) - Number(b.split(' ')[0]) || a.localeCompare(b));
const keysOf = (ds: readonly Divergence[] | undefined) => sorted((ds ?? []).map((d) => key(d.op, d.rule)));

describe('squawk judge', () => {
  test('golden scripts: test/fixtures/lint/<case>.sql', () => {
    for (const c of JUDGE_CASES) {
      const file = join(GOLDEN_DIR, `${c.name}.sql`);
      const { text } = renderCase(c);
      if (update) {
        writeFileSync(file, text);
        continue;
      }
      assert.ok(existsSync(file), `missing golden file ${file} (run with UPDATE_GOLDEN=1 to create it)`);
      assert.equal(text, readFileSync(file, 'utf8'), c.name);
    }
    const stray = readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.sql') && !JUDGE_CASES.some((c) => `${c.name}.sql` === f));
    assert.deepEqual(stray, []);
  });

  test('where squawk reports one of our rules, sqlscribe reports the same rule on the same op', (t) => {
    const bin = squawkBinary();
    if ('missing' in bin) {
      t.skip(`squawk judge skipped: ${bin.missing}`);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'sqlscribe-squawk-'));
    try {
      const rendered = JUDGE_CASES.map((c) => ({ c, r: renderCase(c), file: join(dir, `${c.name}.sql`) }));
      for (const { r, file } of rendered) writeFileSync(file, r.text);
      const run = spawnSync(bin.path, ['--pg-version', '15', '--reporter', 'json', ...rendered.map((x) => x.file)], { encoding: 'utf8', timeout: 60_000 });
      assert.ok(run.status === 0 || run.status === 1, `squawk exited ${run.status}: ${run.stderr}`);
      const violations = JSON.parse(run.stdout) as SquawkViolation[];
      const version = spawnSync(bin.path, ['--version'], { encoding: 'utf8' }).stdout.trim();
      t.diagnostic(`judge: ${version}`);

      const seenBySquawk = new Set<string>();
      let agreed = 0;
      for (const { c, r, file } of rendered) {
        const ours = new Set(r.findings.filter((f) => SHARED_RULES.has(f.rule)).map((f) => key(f.op, f.rule)));
        const theirs = new Set<string>();
        for (const v of violations.filter((x) => x.file === file && SHARED_RULES.has(x.rule_name))) {
          const opIndex = r.opOfLine[v.line];
          assert.ok(opIndex !== undefined, `${c.name}: squawk's ${v.rule_name} on line ${v.line + 1}, outside any op`);
          theirs.add(key(opIndex, v.rule_name));
          seenBySquawk.add(v.rule_name);
        }
        const covered = (k: string) => {
          const [opIndex, rule] = k.split(' ') as [string, string];
          return (COVERED_BY[rule] ?? []).some((alt) => ours.has(key(Number(opIndex), alt)));
        };
        const squawkOnly = sorted([...theirs].filter((k) => !ours.has(k) && !covered(k)));
        const oursOnly = sorted([...ours].filter((k) => !theirs.has(k)));
        assert.deepEqual(squawkOnly, keysOf(c.squawkOnly), `${c.name}: reported by squawk only`);
        assert.deepEqual(oursOnly, keysOf(c.oursOnly), `${c.name}: reported by sqlscribe only`);
        const both = [...ours].filter((k) => theirs.has(k));
        agreed += both.length;
        t.diagnostic(`${c.name}: ${both.length} agreed [${sorted(both).join(', ')}]; squawk only [${squawkOnly.join(', ')}]; sqlscribe only [${oursOnly.join(', ')}]`);
      }
      // Every rule we name after squawk is one squawk reports: the names are squawk's own.
      assert.deepEqual(sorted([...SHARED_RULES].filter((r) => !seenBySquawk.has(r))), [], 'rules named after squawk that squawk never reported');
      t.diagnostic(`judge: ${agreed} findings agreed`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
