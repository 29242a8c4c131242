#!/usr/bin/env node
/**
 * The package's `bin` (`dist/src/bundle/cli.js`; `scripts/bundle.mjs` copies this file there): runs the
 * command line from the bundle `main.cjs` next to it and exits with its code (0 ok, 1 user error, 2 internal
 * error), as `src/cli.ts` does from the module tree.
 *
 * The bundle (~24k lines) is compiled through `vm.Script` with V8's code cache (Node's `vm` manual,
 * "new vm.Script(code[, options])": `cachedData`, `cachedDataRejected`, `script.createCachedData()`),
 * since Node 20 has no `module.enableCompileCache`: a warm run deserialises the bytecode instead of parsing
 * and compiling the bundle. The cache is `<cache>/v8/<key>.bin`, where `<cache>` is `$SQLSCRIBE_CACHE_DIR`
 * (resolved from the working directory) or `.sqlscribe-cache/` in the working directory, and `<key>` the
 * SHA-256 of the bundle's bytes, node's version and architecture. It is written after the command has run
 * (so that it holds the functions the run compiled), only when that cache folder exists by then (the run
 * made it, or an earlier one did: no folder is created for it), when no cache was read or V8 rejected it
 * (another V8 build or flags); atomically (a temporary file renamed). A missing, unreadable or rejected
 * cache only costs the compile; a failure to write it is ignored.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const file = fileURLToPath(new URL('./main.cjs', import.meta.url));
const source = readFileSync(file, 'utf8');
const cwd = process.cwd();
const cacheDir = process.env.SQLSCRIBE_CACHE_DIR ? resolve(cwd, process.env.SQLSCRIBE_CACHE_DIR) : join(cwd, '.sqlscribe-cache');
const key = createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(source).digest('hex');
const cacheFile = join(cacheDir, 'v8', `${key}.bin`);
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// Node's CommonJS wrapper (`module.wrap`), so the bundle runs as `require` would run it.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename: file, cachedData });
const mod = { exports: {} };
script.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));

const code = await mod.exports.runCli(process.argv.slice(2), {
  cwd,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;

if ((cachedData === undefined || script.cachedDataRejected) && existsSync(cacheDir)) {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile);
  } catch {
    rmSync(tmp, { force: true });
  }
}
