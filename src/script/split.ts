/**
 * `--split -o DIR`: one script per revision step, each with its own header and guard (the guard of step
 * i expects the version rows after step i-1), and `DIR/manifest.json` listing them in the order to apply.
 *
 * File names sort in application order under `ls`:
 * `<nnnn>_<from>-<to>_<slug>.<direction>.sql`, `nnnn` the 1-based position zero-padded to at least 4
 * digits (more when the run has more steps), `from`/`to` the step's `-- Running` sides joined with `+`
 * (`base` when empty), `slug` the message as Alembic slugs revision file names (`stamp` for stamp steps).
 * Example: `0003_8f6e0f2be8d2-7b4f50a1e0e0_add_user_security_fields.upgrade.sql`.
 */
import { createHash } from 'node:crypto';
import { slugify } from '../commands/scaffold.js';
import type { CompiledStep } from './assemble.js';

/** `DIR/manifest.json` (the fields beyond `files` describe the whole run). */
export interface Manifest {
  readonly tool: string;
  readonly version: string;
  readonly dialect: string;
  /** `upgrade`, `downgrade` or `stamp`. */
  readonly direction: string;
  /** The range as resolved (`base:head`). */
  readonly range: string;
  /** The command line that produced the folder, without `sqlscribe` (`verify` runs it again). */
  readonly argv: readonly string[];
  /** In the order to apply them. */
  readonly files: readonly ManifestFile[];
}

/** One script of a split folder. */
export interface ManifestFile {
  /** The file name inside the folder. */
  readonly path: string;
  /** SHA-256 (hex) of the file's bytes. */
  readonly sha256: string;
  /** The step's `-- Running` sides: revision ids (empty for base). */
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** The revision's message ('' for a stamp step). */
  readonly message: string;
}

/** The name of the manifest file in a split folder. */
export const MANIFEST = 'manifest.json';

/** The file name of step `index` (0-based) of `count` (see the module comment). */
export function splitFileName(compiled: CompiledStep, index: number, count: number): string {
  const width = Math.max(4, String(count).length);
  const side = (revs: readonly string[]) => (revs.length === 0 ? 'base' : revs.join('+'));
  const slug = compiled.step.revision === null ? 'stamp' : slugify(compiled.message) || 'revision';
  // Revision ids may hold characters a file name cannot (`/`): those become `_`.
  const safe = (s: string) => s.replace(/[/\\\0]/g, '_');
  return `${String(index + 1).padStart(width, '0')}_${safe(side(compiled.step.from))}-${safe(side(compiled.step.to))}_${safe(slug).replace(/_+$/, '')}.${compiled.step.direction}.sql`;
}

/** SHA-256 (hex) of a text's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The manifest text: JSON, two-space indented, keys in a fixed order, a final newline. */
export function manifestText(m: Manifest): string {
  return JSON.stringify(m, null, 2) + '\n';
}

/** True when a folder's entries look like an earlier split output (only `*.sql` and the manifest). */
export function isSplitOutput(names: readonly string[]): boolean {
  return names.includes(MANIFEST) && names.every((n) => n === MANIFEST || n.endsWith('.sql'));
}
