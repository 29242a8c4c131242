/**
 * Atomic output: every file sqlscribe writes appears whole or not at all, so a failed run (an error, a
 * crash, a full disk) never leaves a partly written script, migration or folder behind.
 *
 * - {@link writeFileAtomic}: a temp file in the same folder, fsync, then `rename(2)` over the target
 *   (POSIX rename is atomic within one file system). `-o FILE` of `upgrade`/`downgrade`/`stamp`.
 * - {@link writeNewFileAtomically}: the same, but never replaces an existing file: `link(2)` of the temp
 *   file into place fails with EEXIST when the name is taken; where hard links are not supported, a
 *   check and a rename. `sqlscribe revision` / `merge` / `init`.
 * - {@link writeDirectoryAtomic}: a whole folder (`--split -o DIR`): written as a temp folder next to
 *   the target, each file fsynced, then renamed into place. An existing target folder is replaced only
 *   when it holds nothing but an earlier output (see `replaceable`); it is moved aside first, the new
 *   folder renamed in, and the old one removed — a failure before the rename leaves the old folder as it
 *   was.
 *
 * - {@link writeCacheFile}: a cache entry (`.sqlscribe-cache/`): temp file + rename, no fsync, and never an
 *   error — a reader sees the old entry or the new one, and a cache that cannot be written only costs speed.
 *
 * Errors of the file system become {@link UserError}s naming the path (except for {@link writeCacheFile}).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';

/** This process's part of temp names: its pid and a random tag (drawn once; a cold run writes thousands). */
let tempTag: string | undefined;
/** Temp names made by this process so far. */
let tempCount = 0;

/**
 * A unique temp name next to `path` (same folder, so the rename stays on one file system): the process's
 * pid and random tag and a counter; every writer opens it exclusively (`wx`), so a clash fails, never mixes.
 */
function tempNameFor(path: string): string {
  tempTag ??= `${process.pid}.${randomBytes(4).toString('hex')}`;
  return join(dirname(path), `.${basename(path)}.${tempTag}.${(tempCount++).toString(36)}.tmp`);
}

function writeAndSync(file: string, text: string | Uint8Array): void {
  const fd = openSync(file, 'wx');
  try {
    writeSync(fd, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsError(path: string, err: unknown): UserError {
  if (err instanceof UserError) return err;
  return new UserError(`cannot write ${path}: ${(err as Error).message}`);
}

/**
 * Writes `text` to `file`, replacing it if it exists, atomically (temp file + fsync + rename). Creates
 * missing parent folders.
 * @throws UserError naming `file` when it cannot be written (nothing is left behind).
 */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  let tmp: string | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    tmp = tempNameFor(file);
    writeAndSync(tmp, text);
    renameSync(tmp, file);
    tmp = undefined;
  } catch (err) {
    throw fsError(file, err);
  } finally {
    if (tmp) rmSync(tmp, { force: true });
  }
}

/**
 * Writes a cache entry: temp file + rename; no fsync (an entry lost in a crash is only rebuilt) and never
 * throws (a read-only or full cache folder only costs speed). The parent folders are made when the write
 * finds them missing (so a cold run writing thousands of entries does not ask for them each time).
 * @param data the bytes, or text (UTF-8), or pieces written one after the other (a large entry is not
 *   first copied into one buffer: the data cache of 10,000 migrations is ~12 MB)
 */
export function writeCacheFile(file: string, data: string | Uint8Array | readonly (string | Uint8Array)[]): void {
  let tmp: string | undefined;
  let fd: number | undefined;
  try {
    tmp = tempNameFor(file);
    try {
      fd = openSync(tmp, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(dirname(file), { recursive: true });
      fd = openSync(tmp, 'wx');
    }
    if (typeof data === 'string' || data instanceof Uint8Array) writeAll(fd, data);
    else {
      // Small pieces are gathered into writes of about 1 MB (one write(2) per piece would cost more).
      let batch: Uint8Array[] = [];
      let size = 0;
      const flush = (): void => {
        if (batch.length > 0) writeAll(fd!, batch.length === 1 ? batch[0]! : Buffer.concat(batch, size));
        batch = [];
        size = 0;
      };
      for (const piece of data) {
        const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
        if (bytes.length >= CHUNK) {
          flush();
          writeAll(fd, bytes);
          continue;
        }
        batch.push(bytes);
        size += bytes.length;
        if (size >= CHUNK) flush();
      }
      flush();
    }
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
    tmp = undefined;
  } catch {
    // a cache that cannot be written only costs speed
  } finally {
    if (fd !== undefined) closeSync(fd);
    if (tmp) rmSync(tmp, { force: true });
  }
}

/** The size of the writes {@link writeCacheFile} gathers small pieces into. */
const CHUNK = 1 << 20;

/** Writes all of `piece` at the file position of `fd` (`writeSync` may write less than asked). */
function writeAll(fd: number, piece: string | Uint8Array): void {
  const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Writes `text` to `file`, which must not exist, atomically: temp file + fsync + `link(2)` into place (no
 * overwrite, even against a concurrent writer); where hard links are not supported, a check and a rename.
 * The parent folder must exist.
 * @throws UserError `not overwriting <file>` when it exists; UserError naming `file` for other failures.
 */
export function writeNewFileAtomically(file: string, text: string): void {
  const tmp = tempNameFor(file);
  try {
    writeAndSync(tmp, text);
    try {
      linkSync(tmp, file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') throw new UserError(`not overwriting ${file}`);
      if (!NO_HARD_LINKS.has(code)) throw err;
      if (existsSync(file)) throw new UserError(`not overwriting ${file}`);
      renameSync(tmp, file);
    }
  } catch (err) {
    throw fsError(file, err);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** One file of a folder written by {@link writeDirectoryAtomic}: a plain name (no folders) and its bytes. */
export interface DirectoryFile {
  readonly name: string;
  readonly text: string;
}

/**
 * Writes a folder holding exactly `files`, atomically: a temp folder next to `dir` is filled (each file
 * fsynced), then renamed to `dir`. When `dir` exists it must be empty or `replaceable(names)` must say
 * that its entries are an earlier output; it is then moved aside, the new folder renamed in, and the old
 * one removed.
 * @throws UserError naming `dir` when it exists with other content, is not a folder, or cannot be written;
 *   nothing is left behind (no temp folder, `dir` untouched).
 */
export function writeDirectoryAtomic(dir: string, files: readonly DirectoryFile[], replaceable: (names: readonly string[]) => boolean): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UserError(`${dir} exists and is not a folder — give a folder for the split scripts`);
    const names = readdirSync(dir);
    if (names.length > 0 && !replaceable(names)) {
      throw new UserError(`${dir} exists and holds files that are not an earlier sqlscribe output — give a new or empty folder`);
    }
  }
  for (const f of files) {
    if (!f.name || f.name.includes('/') || f.name.includes('\\') || f.name.startsWith('.')) throw new Error(`internal: bad file name ${JSON.stringify(f.name)}`);
  }
  let tmp: string | undefined;
  let old: string | undefined;
  try {
    mkdirSync(dirname(dir), { recursive: true });
    tmp = tempNameFor(dir);
    mkdirSync(tmp);
    for (const f of files) writeAndSync(join(tmp, f.name), f.text);
    if (existsSync(dir)) {
      old = tempNameFor(dir);
      renameSync(dir, old);
    }
    try {
      renameSync(tmp, dir);
    } catch (err) {
      if (old) renameSync(old, dir);
      old = undefined;
      throw err;
    }
    tmp = undefined;
  } catch (err) {
    throw fsError(dir, err);
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (old) rmSync(old, { recursive: true, force: true });
  }
}
