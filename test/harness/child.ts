/**
 * Helpers for the harness self-tests: run the harness in a child node process, to check what only
 * shows across processes (the external-server switch, cleanup at exit / on signals, the CI policy).
 * Not a test file itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run, type RunResult, sleep, isAlive } from '../support/common.js';

/** file: URL of a compiled support module, e.g. `supportUrl('postgres')`. */
export function supportUrl(name: 'postgres' | 'mariadb' | 'sqlite' | 'common'): string {
  return new URL(`../support/${name}.js`, import.meta.url).href;
}

/** The environment for a child: ours without the test runner's own markers, plus `extra`. */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Writes `source` as an .mjs file in a fresh temp dir; returns its path and a remover. */
export function writeModule(source: string): { file: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sqlscribe-child-'));
  const file = path.join(dir, 'child.mjs');
  writeFileSync(file, source);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `node [args] file` to completion. */
export function runNode(file: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<RunResult> {
  return run(process.execPath, [...args, file], { env, timeoutMs: 120_000 });
}

export interface LiveChild {
  readonly child: ChildProcess;
  /** The first line the child printed, parsed as JSON. */
  readonly info: Record<string, unknown>;
  /** Resolves with the exit code (or signal name) when the child ends. */
  readonly exited: Promise<number | string>;
  readonly stderr: () => string;
}

/** Starts `node file` and waits for its first stdout line (JSON). */
export async function startNode(file: string, env: NodeJS.ProcessEnv): Promise<LiveChild> {
  const child = spawn(process.execPath, [file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        try {
          resolve(JSON.parse(out.slice(0, nl)) as Record<string, unknown>);
        } catch (e) {
          reject(e);
        }
      }
    });
    void exited.then((c) => reject(new Error(`child exited (${c}) before reporting:\n${err}`)));
  });
  return { child, info, exited, stderr: () => err };
}

/** Polls `cond` every 100 ms until it holds or `ms` pass; returns whether it held. */
export async function eventually(cond: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(100);
  }
  return cond();
}

export { isAlive };
