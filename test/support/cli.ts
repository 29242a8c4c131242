/**
 * Runs the sqlscribe CLI in process against scratch projects, for tests.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../src/cli/program.js';

/** The outcome of one CLI run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `sqlscribe <argv>` in `cwd` and captures its output and exit code. */
export async function sqlscribe(cwd: string, ...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { cwd, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** Creates a scratch project folder (outside this repository) holding `files`. */
export function scratchProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sqlscribe-project-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/**
 * The source of a migration file. `body` is the TypeScript for the fields after `message`
 * (default: an empty `upgrade`).
 */
export function migrationSource(revision: string, down: string | string[] | null, body = 'upgrade: []', extra = ''): string {
  const downText = down === null ? 'null' : JSON.stringify(down).replace(/"/g, "'");
  return `import { migration, op, column, t, sql, primaryKey, unique, foreignKey, check } from 'sqlscribe';\n\nexport default migration({\n  revision: '${revision}',\n  down: ${downText},\n  message: 'Revision ${revision}',${extra}\n  ${body},\n});\n`;
}
