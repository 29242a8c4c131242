/**
 * Bounds a cache folder whose entries are large and rarely reused (the step packs of `./steps.ts`, the scripts
 * of `./scripts.ts`): after writing one, all but the newest few of its kind are deleted.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Deletes every file of `dir` whose name `matches`, except `written` and the `keep` − 1 others with the newest
 * mtimes (ties by name). Never throws: a file left over costs disk only.
 * @param written absolute path of the entry just written (always kept)
 */
export function pruneCacheFiles(dir: string, matches: (name: string) => boolean, keep: number, written: string): void {
  try {
    const others = readdirSync(dir)
      .filter((f) => matches(f) && join(dir, f) !== written)
      .map((f) => ({ file: join(dir, f), mtime: statSync(join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.mtime - a.mtime || (a.file < b.file ? -1 : 1));
    for (const { file } of others.slice(Math.max(0, keep - 1))) rmSync(file, { force: true });
  } catch {
    // A file left over costs disk only.
  }
}
