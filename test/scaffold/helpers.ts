/**
 * Test helpers for the scaffold and example-history tests: where the repository is, loading a migration
 * file with the real loader, and a type-check of migration files with tsc.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMigrationFile as loadMigration } from '../../src/load/migrations.js';
import { ModuleEvaluator } from '../../src/load/modules.js';
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

/** Loads a migration file with sqlscribe's own loader and returns its migration. */
export function loadMigrationFile(file: string): Migration {
  return loadMigration(file, dirname(file), new ModuleEvaluator()).migration;
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
