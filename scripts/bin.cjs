#!/usr/bin/env node
/**
 * The package's `bin` (`dist/src/bundle/cli.cjs`; `scripts/bundle.mjs` copies this file there): runs the
 * command line from the bundle `main.cjs` next to it and exits with its code (0 ok, 1 user error, 2 internal
 * error), as `src/cli.ts` does from the module tree.
 *
 * The bundle (~24k lines) is compiled as node's CommonJS loader compiles a module, with
 * `vm.compileFunction` and the module wrapper's parameters, but with V8's code cache (Node's `vm` manual,
 * "vm.compileFunction(code[, params[, options]])": `cachedData`, `produceCachedData`,
 * `cachedDataRejected`), since Node 20 has no `module.enableCompileCache`: a warm run deserialises the
 * bytecode instead of parsing and compiling the bundle (measured: ~25 ms of ~280 for a warm
 * `upgrade base:head` of 1,000 revisions). `new vm.Script(...)` with `script.createCachedData()` after the
 * run gave no more speed and held ~35 MB more in a cold run of 10,000 revisions, so it is not used.
 * The cache is `<cache>/v8/<key>.bin`, where `<cache>` is `$SQLSCRIBE_CACHE_DIR` (resolved from the working
 * directory) or `.sqlscribe-cache/` in the working directory, and `<key>` the SHA-256 of node's version and
 * architecture and the bundle's bytes. It is written after the command has run, only when that cache folder
 * exists by then (the run made it, or an earlier one did: no folder is created for it), when no cache was
 * read or V8 rejected it (another V8 build or flags; the bundle is then compiled once more to produce it);
 * atomically (a temporary file renamed). A missing, unreadable or rejected cache only costs the compile; a
 * failure to write it is ignored.
 *
 * CommonJS, not an ES module: node then does not start its ES module loader for the entry point (~7 ms of a
 * ~140 ms warm run, measured by 25 interleaved runs of each; issue 6).
 */
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join, resolve } = require('node:path');
const vm = require('node:vm');

const file = join(__dirname, 'main.cjs');
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
// The parameters of node's CommonJS wrapper, so the bundle runs as `require` would run it.
const params = ['exports', 'require', 'module', '__filename', '__dirname'];
const compile = (options) => vm.compileFunction(source, params, { filename: file, ...options });
const fn = compile(cachedData === undefined ? { produceCachedData: true } : { cachedData });
const mod = { exports: {} };
fn(mod.exports, createRequire(file), mod, file, dirname(file));

void (async () => {
  const code = await mod.exports.runCli(process.argv.slice(2), {
    cwd,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
  process.exitCode = code;

  if ((cachedData === undefined || fn.cachedDataRejected) && existsSync(cacheDir)) {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      const produced = cachedData === undefined ? fn.cachedData : compile({ produceCachedData: true }).cachedData;
      if (!produced) throw new Error('no code cache produced');
      mkdirSync(dirname(cacheFile), { recursive: true });
      writeFileSync(tmp, produced);
      renameSync(tmp, cacheFile);
    } catch {
      rmSync(tmp, { force: true });
    }
  }
})();
