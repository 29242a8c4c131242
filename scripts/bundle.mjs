/**
 * Bundles sqlscribe's command line (`dist/src/cli/program.js`, after tsc) into one CommonJS file,
 * `dist/src/bundle/main.cjs`, and copies the `bin` that runs it (`scripts/bin.mjs`) to
 * `dist/src/bundle/cli.js`, the package's `bin`: one file instead of some 150 modules (ours, commander,
 * Handlebars, fast-glob) halves node's start-up work for every command, and the bin compiles it with V8's
 * code cache (see `scripts/bin.mjs`; `vm.Script` runs scripts, not ES modules, hence CommonJS).
 * Sucrase stays external (loaded from node_modules only when a file must be transpiled). `import.meta.url` becomes the bundle's own
 * file URL; the bundle sits at the same depth as the other `dist/src/<dir>/` modules, so the paths they
 * derive from it (the built-in templates, package.json) resolve the same.
 */
import { chmodSync, copyFileSync } from 'node:fs';
import { buildSync } from 'esbuild';

buildSync({
  entryPoints: ['dist/src/cli/program.js'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['sucrase'],
  outfile: 'dist/src/bundle/main.cjs',
  define: { 'import.meta.url': '__sqlscribeModuleUrl' },
  banner: { js: "var __sqlscribeModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
copyFileSync('scripts/bin.mjs', 'dist/src/bundle/cli.js');
chmodSync('dist/src/bundle/cli.js', 0o755);
