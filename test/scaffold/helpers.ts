/**
 * Test helpers for the scaffold and example-history tests: where the repository is, a stand-in loader
 * for migration files (until the real loader lands), and a type-check of migration files with tsc.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import * as api from '../../src/index.js';
import type { Migration } from '../../src/index.js';

/** The repository root (this file runs as `dist/test/scaffold/helpers.js`). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the test process exits. */
export function tempDir(prefix = 'sqlscribe-scaffold-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * Evaluates a migration file as the loader will: transpiled by esbuild (TS → CJS), with the import
 * specifier `'sqlscribe'` mapped to the compiled authoring API. Returns its default export.
 */
export function loadMigrationFile(file: string): Migration {
  const { code } = transformSync(readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs', sourcefile: file });
  const module = { exports: {} as Record<string, unknown> };
  const requireStub = (specifier: string): unknown => {
    if (specifier === 'sqlscribe') return api;
    throw new Error(`${file}: unexpected import '${specifier}' (migration files import only from 'sqlscribe')`);
  };
  new Function('require', 'module', 'exports', code)(requireStub, module, module.exports);
  const value = module.exports.default as Migration | undefined;
  if (value?.kind !== 'migration') throw new Error(`${file}: the default export is not migration({...})`);
  return value;
}

/**
 * Type-checks `files` with tsc (strict, no emit), `'sqlscribe'` mapped by `paths` to `src/index.ts`.
 * Returns tsc's exit status and output.
 */
export function typeCheck(files: readonly string[]): { status: number | null; output: string } {
  const dir = tempDir('sqlscribe-tsc-');
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      paths: { sqlscribe: [join(REPO_ROOT, 'src', 'index.ts')] },
    },
    files: [...files],
  };
  const config = join(dir, 'tsconfig.json');
  writeFileSync(config, JSON.stringify(tsconfig, null, 2));
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', config], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
