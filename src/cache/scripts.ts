/**
 * The script cache (`<cacheDir>/scripts/`): the output of a SQL command (`upgrade`, `downgrade`, `stamp`) by a
 * key over everything the output is a function of, so that a command run again on unchanged inputs — the
 * DBA's `upgrade head` before and after a review, CI's `verify`, the build's script step — writes the bytes
 * it wrote before without planning, replaying or assembling anything. It is the top of the cache chain of
 * issue 6: below it, a command whose inputs changed (a new revision, another range) still finds each
 * unchanged step in the step cache (`./steps.ts`) and each unchanged migration in the data cache
 * (`./migrations.ts`). Build tools keep such an output cache under the same rule (an action cache keyed by
 * its inputs' digests): the key, not a timestamp, decides.
 *
 * The key (`scriptKey`, SHA-256): the tool fingerprint (version, transpiler, the bytes of sqlscribe's code),
 * the working folder, the resolved config, the command, its target and every option as parsed, the SHA-256
 * of every template file of the dialect (built in and overrides), and every migration file's path and
 * SHA-256 in load order. There is no key, and so no caching, when any migration's value may depend on more
 * than its own text (it imports a helper, or names `process`, `Date`, ...: the data cache's purity rule) or
 * when `--date` takes the clock. An entry is `<key>.sql`: a first line `-- sqlscribe script cache <key> <kind>`,
 * then the script as it is written (kind `file`), or the JSON of the split files and manifest (kind `split`):
 * a script is stored as text, not inside JSON, so that a 10,000-revision script (~8 MB) is not copied once
 * more to escape it. An entry whose first line names another key, or that does not parse, is ignored and
 * written again. Only a successful compile is stored; the {@link KEPT_SCRIPTS} entries written last are
 * kept. The folder is always safe to delete.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlOutput } from '../commands/sql.js';
import { writeCacheFile } from '../io/atomic.js';
import { pruneCacheFiles } from './prune.js';

/** How many scripts the folder keeps (a script of 10,000 revisions is some 8 MB). */
export const KEPT_SCRIPTS = 4;

/** Stored outputs of SQL commands by key. */
export class ScriptCache {
  readonly #dir: string | undefined;

  /** @param cacheDir the cache folder (`config.cacheDir`), or undefined for no caching */
  constructor(cacheDir: string | undefined) {
    this.#dir = cacheDir ? join(cacheDir, 'scripts') : undefined;
  }

  /** The output stored under `key`, or undefined (none, unreadable, or not this key's). */
  get(key: string | undefined): SqlOutput | undefined {
    if (!this.#dir || !key) return undefined;
    try {
      const entry = readFileSync(join(this.#dir, `${key}.sql`), 'utf8');
      const eol = entry.indexOf('\n');
      const first = eol < 0 ? '' : entry.slice(0, eol);
      if (first === `${HEADER} ${key} file`) return { kind: 'file', text: entry.slice(eol + 1) };
      if (first === `${HEADER} ${key} split`) {
        const v = JSON.parse(entry.slice(eol + 1)) as Partial<Extract<SqlOutput, { kind: 'split' }>>;
        return Array.isArray(v.files) && v.manifest !== undefined ? { kind: 'split', files: v.files, manifest: v.manifest } : undefined;
      }
      return undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores `output` under `key` (best effort: a cache that cannot be written only costs speed). */
  put(key: string | undefined, output: SqlOutput): void {
    if (!this.#dir || !key) return;
    const file = join(this.#dir, `${key}.sql`);
    const body = output.kind === 'file' ? output.text : JSON.stringify({ files: output.files, manifest: output.manifest });
    writeCacheFile(file, `${HEADER} ${key} ${output.kind}\n${body}`);
    pruneCacheFiles(this.#dir, (f) => f.endsWith('.sql'), KEPT_SCRIPTS, file);
  }
}

/** The first line of an entry: this, the key and the kind. */
const HEADER = '-- sqlscribe script cache';
