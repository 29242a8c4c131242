#!/usr/bin/env node
/**
 * The sqlscribe / Alembic benchmark (issue 6). Not a test: nothing here is run by CI.
 *
 * For each size N it writes the synthetic linear history of `generate.mjs` (under bench/histories/N, git-
 * ignored), then times, in one run and alternating between the measurements (round r runs each of them
 * once), the median of --runs rounds of:
 *   - sqlscribe `upgrade base:head`, cold: the cache folder deleted before each run;
 *   - sqlscribe `upgrade base:head`, warm: the cache filled by an earlier run (the script cache answers);
 *   - the same, "steps only": the script cache emptied first, so each step comes from the step cache and the
 *     script is assembled (what a run on changed inputs or another range costs at best);
 *   - sqlscribe `upgrade head-1:head`, warm, and steps only;
 *   - sqlscribe `history`, warm;
 *   - Alembic `python3 -m alembic upgrade base:head --sql` on the same history (--no-alembic skips it).
 * Every command runs as its own process under `/usr/bin/time -v` (wall time measured around it; peak RSS from
 * its "Maximum resident set size"), with stdout written to a file, as a user would redirect it. The warm,
 * steps-only and cold scripts must be byte-identical, or the run stops.
 *
 * Usage: node bench/run.mjs [--sizes 100,1000,5000,10000] [--runs 5] [--no-alembic]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// The package's bin, as `npx sqlscribe` runs it.
const cli = join(here, '..', 'dist', 'src', 'bundle', 'cli.cjs');
const python = process.env.SQLSCRIBE_PYTHON ?? '/usr/bin/python3';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizes = opt('--sizes', '100,1000,5000,10000').split(',').map(Number);
const runs = Number(opt('--runs', '5'));
const withAlembic = !args.includes('--no-alembic');

if (!existsSync(cli)) {
  console.error('bench: dist/src/bundle/cli.cjs is missing — run npm run build first (npm run bench does)');
  process.exit(1);
}

/** Runs one command under /usr/bin/time -v; returns wall ms, peak RSS in MB and the sha256 of its stdout. */
function measure(cmd, argv, { cwd, env, out }) {
  const fd = openSync(out, 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...argv], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', fd, 'pipe'], maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  closeSync(fd);
  const stderr = r.stderr.toString();
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} (in ${cwd}) failed:\n${stderr.slice(0, 2000)}`);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024;
  return { ms, rss, sha: createHash('sha256').update(readFileSync(out)).digest('hex') };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function machine() {
  const cpuModel = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? '?';
  const alembic = withAlembic ? spawnSync(python, ['-m', 'alembic', '--version']).stdout?.toString().trim() : 'not run';
  const nproc = spawnSync('nproc').stdout?.toString().trim();
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return `${nproc} CPUs (${cpuModel}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, ${alembic}, load average at start ${load}`;
}

const results = [];
console.log(`machine: ${machine()}`);
console.log(`runs: median of ${runs}, alternating\n`);
for (const n of sizes) {
  const dir = join(here, 'histories', String(n));
  mkdirSync(dir, { recursive: true });
  const h = generate(n, dir);
  // A real history is older than the data cache's racily-clean window (3 s, src/cache/migrations.ts): files
  // written less than 3 s before a run's index are not recorded and are read again by the next run. Wait it
  // out, so that "warm" means a settled cache rather than the first run after the files were written.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3500);
  const cache = join(dir, 'cache');
  const ss = (extra) => ({ cwd: h.sqlscribe, env: { SQLSCRIBE_CACHE_DIR: cache, ...extra }, out: join(dir, 'out.sql') });
  const cases = {
    cold: () => {
      rmSync(cache, { recursive: true, force: true });
      return measure(process.execPath, [cli, 'upgrade', 'base:head'], { ...ss(), out: join(dir, 'cold.sql') });
    },
    warm: () => measure(process.execPath, [cli, 'upgrade', 'base:head'], { ...ss(), out: join(dir, 'warm.sql') }),
    // The same without the script cache: every step comes from the step cache, then the script is assembled.
    warmSteps: () => {
      rmSync(join(cache, 'scripts'), { recursive: true, force: true });
      return measure(process.execPath, [cli, 'upgrade', 'base:head'], { ...ss(), out: join(dir, 'warm-steps.sql') });
    },
    lastSteps: () => {
      rmSync(join(cache, 'scripts'), { recursive: true, force: true });
      return measure(process.execPath, [cli, 'upgrade', 'head-1:head'], { ...ss(), out: join(dir, 'last-steps.sql') });
    },
    last: () => measure(process.execPath, [cli, 'upgrade', 'head-1:head'], { ...ss(), out: join(dir, 'last.sql') }),
    history: () => measure(process.execPath, [cli, 'history'], { ...ss(), out: join(dir, 'history.txt') }),
    ...(withAlembic ? { alembic: () => measure(python, ['-m', 'alembic', '-c', 'alembic.ini', 'upgrade', 'base:head', '--sql'], { cwd: h.alembic, env: {}, out: join(dir, 'alembic.sql') }) } : {}),
  };
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let r = 0; r < runs; r++) {
    for (const [name, fn] of Object.entries(cases)) {
      // The warm cases follow cold in each round, so their cache is the one cold just wrote.
      const s = fn();
      samples[name].push(s);
      process.stderr.write(`  N=${n} round ${r + 1}/${runs} ${name}: ${s.ms.toFixed(0)} ms, ${s.rss.toFixed(0)} MB\n`);
    }
    if (samples.cold[r].sha !== samples.warm[r].sha) throw new Error(`N=${n}: the warm script differs from the cold one`);
    if (samples.cold[r].sha !== samples.warmSteps[r].sha) throw new Error(`N=${n}: the warm script from the step cache differs from the cold one`);
    if (samples.last[r].sha !== samples.lastSteps[r].sha) throw new Error(`N=${n}: head-1:head from the step cache differs from the script cache's`);
  }
  const row = { n };
  for (const [name, xs] of Object.entries(samples)) row[name] = { ms: median(xs.map((x) => x.ms)), rss: Math.max(...xs.map((x) => x.rss)) };
  results.push(row);
}

const f = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const x = (a, b) => `${(a / b).toFixed(1)}x`;
const lines = [
  '| revisions | Alembic `upgrade base:head --sql` | sqlscribe `upgrade base:head` cold | warm | warm, steps only | Alembic ÷ warm | Alembic ÷ warm, steps only | Alembic ÷ cold | `upgrade head-1:head` warm / steps only | `history` warm | peak RSS warm / steps only / cold / Alembic |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const r of results) {
  const a = r.alembic;
  lines.push(
    `| ${r.n.toLocaleString('en-US')} | ${a ? f(a.ms) : '—'} | ${f(r.cold.ms)} | ${f(r.warm.ms)} | ${f(r.warmSteps.ms)} | ${a ? x(a.ms, r.warm.ms) : '—'} | ${a ? x(a.ms, r.warmSteps.ms) : '—'} | ${a ? x(a.ms, r.cold.ms) : '—'} | ${f(r.last.ms)} / ${f(r.lastSteps.ms)} | ${f(r.history.ms)} | ${r.warm.rss.toFixed(0)} / ${r.warmSteps.rss.toFixed(0)} / ${r.cold.rss.toFixed(0)} / ${a ? a.rss.toFixed(0) : '—'} MB |`,
  );
}
console.log(lines.join('\n'));
const byN = new Map(results.map((r) => [r.n, r]));
if (byN.has(1000) && byN.has(5000)) {
  console.log(`\ngrowth 1,000 → 5,000 revisions (warm base:head): ${x(byN.get(5000).warm.ms, byN.get(1000).warm.ms)}; cold: ${x(byN.get(5000).cold.ms, byN.get(1000).cold.ms)}`);
}
