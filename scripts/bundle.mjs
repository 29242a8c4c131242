/**
 * Bundles the compiled CLI (`dist/src/cli.js`, after tsc) into one ES module, `dist/src/bundle/cli.js`, the
 * package's `bin`: one file instead of some 150 modules (ours, commander, Handlebars, fast-glob) halves
 * node's start-up work for every command. esbuild stays external (native, loaded only to transpile).
 * The bundle sits at the same depth as the other `dist/src/<dir>/` modules, so the paths they derive from
 * `import.meta.url` (the built-in templates, package.json) resolve the same.
 */
import { chmodSync } from 'node:fs';
import { buildSync } from 'esbuild';

const outfile = 'dist/src/bundle/cli.js';
buildSync({
  entryPoints: ['dist/src/cli.js'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['esbuild'],
  outfile,
  // CommonJS dependencies bundled into ESM call require(): give them Node's.
  banner: { js: "import { createRequire as __sqlscribeCreateRequire } from 'node:module';\nconst require = __sqlscribeCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
