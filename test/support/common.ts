/**
 * Shared plumbing of the real-database test harness: running a client, temp dirs, cleanup at exit,
 * and the one policy for tests that need an engine (`requireEngine`: fail in CI, skip locally).
 *
 * Nothing here is a test; files in test/support are never named `*.test.ts`.
 */
import { spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, closeSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

/** What a client run gives back. A non-zero `code` is returned, never thrown. */
export interface RunResult {
  /** Exit status; a process killed by a signal gives 128 + signal number (as a shell would). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Text for the child's stdin. */
  readonly input?: string;
  /** A file to connect to the child's stdin (`cmd < file`). */
  readonly stdinFile?: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the child after this many ms (default 120 000); the result then has code 124. */
  readonly timeoutMs?: number;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

/**
 * Runs `cmd args` without a shell and collects its output. Never rejects for a non-zero exit; rejects
 * only when the program cannot be started at all (e.g. not installed), with a message naming it.
 */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    let stdinFd: number | undefined;
    let stdio: StdioOptions = ['pipe', 'pipe', 'pipe'];
    if (opts.stdinFile !== undefined) {
      try {
        stdinFd = openSync(opts.stdinFile, 'r');
      } catch (e) {
        // as the shell would for `cmd < missing`: exit 1 and a message, the command never runs
        resolve({ code: 1, stdout: '', stderr: `${opts.stdinFile}: ${(e as Error).message}\n` });
        return;
      }
      stdio = [stdinFd, 'pipe', 'pipe'];
    } else if (opts.input === undefined) {
      stdio = ['ignore', 'pipe', 'pipe'];
    }
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio });
    if (stdinFd !== undefined) closeSync(stdinFd);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      let stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) stderr += `\n[harness] ${cmd} killed after ${opts.timeoutMs ?? 120_000} ms`;
      resolve({
        code: timedOut ? 124 : code ?? 128 + (signal ? SIGNALS[signal] ?? 0 : 0),
        stdout,
        stderr,
      });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** Like `run`, but rejects with the command line and its stderr when the exit status is not 0. */
export async function runOk(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(
      `${[cmd, ...args].join(' ')} exited with ${r.code}\n${r.stderr.trim() || r.stdout.trim()}`,
    );
  }
  return r;
}

/** Sleeps without the event loop (for `process.on('exit')` handlers, which must be synchronous). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** True when process `pid` is alive (signal 0), not counting a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust the signal
  }
}

/** Sends `signal` to `pid` and waits (synchronously) up to `ms` for it to go; then SIGKILL. */
export function killAndWaitSync(pid: number, signal: NodeJS.Signals, ms = 10_000): void {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const end = Date.now() + ms;
  while (isAlive(pid) && Date.now() < end) sleepSync(20);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    while (isAlive(pid) && Date.now() < end + 5000) sleepSync(20);
  }
}

/** Async twin of `killAndWaitSync`. */
export async function killAndWait(pid: number, signal: NodeJS.Signals, ms = 10_000): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const end = Date.now() + ms;
  while (isAlive(pid) && Date.now() < end) await sleep(20);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    while (isAlive(pid) && Date.now() < end + 5000) await sleep(20);
  }
}

/**
 * A new private temp dir. Kept short (unix socket paths are limited to ~107 bytes), so it is made
 * under /tmp when $TMPDIR is long.
 */
export function makeTempDir(prefix: string): string {
  let base = tmpdir();
  if (base.length > 40) base = '/tmp';
  return mkdtempSync(path.join(base, prefix));
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** uid and gid of a system user (`postgres`, `mysql`), or undefined when it does not exist. */
export function systemUser(name: string): { uid: number; gid: number } | undefined {
  const u = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (u.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** The first of `candidates` (absolute paths, or names looked up on $PATH) that is executable. */
export function findExecutable(...candidates: string[]): string | undefined {
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  for (const c of candidates) {
    const paths = c.includes('/') ? [c] : dirs.map((d) => path.join(d, c));
    for (const p of paths) {
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        /* next */
      }
    }
  }
  return undefined;
}

/**
 * The environment for engine clients: ours, less anything that would point a client elsewhere or
 * change its output (PG*, MYSQL*, MARIADB* variables), with a UTF-8 locale and English messages.
 */
export function clientEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(PG|MYSQL|MARIADB)/.test(k) || k === 'LANGUAGE' || k.startsWith('LC_')) continue;
    env[k] = v;
  }
  env.LANG = 'C.UTF-8';
  env.LC_ALL = 'C.UTF-8';
  return { ...env, ...extra };
}

// ---------------------------------------------------------------------------------------------------
// Cleanup at exit

type Cleanup = () => void;
const cleanups = new Set<Cleanup>();
let hooksInstalled = false;

function runCleanups(): void {
  for (const c of [...cleanups].reverse()) {
    cleanups.delete(c);
    try {
      c();
    } catch {
      /* best effort at exit */
    }
  }
}

/**
 * Registers a synchronous cleanup run at process exit, and on SIGINT/SIGTERM/SIGHUP (after which
 * the signal's default action is restored and re-raised). Returns a function that unregisters it.
 */
export function onExit(cleanup: Cleanup): () => void {
  if (!hooksInstalled) {
    hooksInstalled = true;
    process.on('exit', runCleanups);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const handler = (): void => {
        runCleanups();
        process.removeListener(sig, handler);
        // Re-raise so the process ends as it would have without us, unless someone else handles it.
        if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
      };
      process.on(sig, handler);
    }
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * Starts a detached watchdog shell that runs `shellCleanup` once this process is gone, so a server
 * is not left behind even when the test process is killed with SIGKILL (which skips `onExit`).
 * It polls twice a second and holds none of our stdio open. `shellCleanup` may use `alive PID`
 * (true while PID runs and is not a zombie).
 */
export function startWatchdog(shellCleanup: string): void {
  const script =
    `alive() { kill -0 "$1" 2>/dev/null && [ "$(sed 's/.*) //' /proc/$1/stat 2>/dev/null | cut -c1)" != Z ]; }; ` +
    `while alive ${process.pid}; do sleep 0.5; done; ${shellCleanup}`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}

/** `rm -rf` that never throws. */
export function removeDir(dir: string): void {
  try {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    /* best effort */
  }
}

/** Quotes a string for sh. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------------------------------------------
// The policy for tests that need an engine

/** True on CI (`CI` set to anything but '', '0' or 'false') or when SQLSCRIBE_REQUIRE_DB=1. */
export function databaseRequired(): boolean {
  const ci = process.env.CI;
  const ciSet = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return ciSet || process.env.SQLSCRIBE_REQUIRE_DB === '1';
}

/**
 * Gets an engine for test `t`. When `start` fails: on CI (see `databaseRequired`) the error is thrown,
 * so the test FAILS; locally the test is marked skipped with the reason and `undefined` comes back,
 * and the test must return at once. Prefer the per-engine wrappers (`pgTest`, `sqliteTest`,
 * `mariadbTest`), which do this for you.
 */
export async function requireEngine<T>(
  t: TestContext,
  engine: string,
  start: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await start();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (databaseRequired()) {
      throw new Error(`${engine} is required here (CI is set) but is not available:\n${msg}`, { cause: e });
    }
    const first = msg.split('\n')[0] ?? msg;
    t.skip(`${engine} not available (set CI=1 to make this a failure): ${first}`);
    return undefined;
  }
}

/** Per-test options passed through to node:test. */
export interface EngineTestOptions {
  readonly timeout?: number;
  readonly only?: boolean;
  readonly skip?: boolean | string;
  readonly todo?: boolean | string;
}
