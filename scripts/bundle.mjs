/**
 * Bundles sqlscribe's command line (`dist/src/cli/program.js`, after tsc) into one CommonJS file,
 * `dist/src/bundle/main.cjs`, and copies the `bin` that runs it (`scripts/bin.cjs`) to
 * `dist/src/bundle/cli.cjs`, the package's `bin`: one file instead of some 150 modules (ours, commander,
 * Handlebars' runtime) halves node's start-up work for every command, and the bin compiles it with V8's
 * code cache (see `scripts/bin.cjs`; `vm.Script` runs scripts, not ES modules, hence CommonJS).
 *
 * The built-in templates are precompiled here: the bundle's `render/precompiled.js` is the map of every
 * `templates/**\/*.hbs` text to `Handlebars.precompile(text, TEMPLATE_OPTIONS)` (see `src/render/precompiled.ts`).
 * Modules a warm run does not need stay outside the bundle and are loaded from node_modules when needed
 * (by `createRequire`, which esbuild leaves alone): Sucrase (a file to transpile), fast-glob (a migrations
 * folder changed), Handlebars' compiler (a template that is not built in).
 * `import.meta.url` becomes the bundle's own file URL; the bundle sits at the same depth as the other
 * `dist/src/<dir>/` modules, so the paths they derive from it (the built-in templates, package.json)
 * resolve the same.
 */
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { TEMPLATE_OPTIONS } from '../dist/src/render/precompiled.js';
import { listTemplateFiles } from '../dist/src/render/templates.js';

function precompiledModule() {
  const texts = [...new Set(listTemplateFiles('templates').map((f) => readFileSync(f, 'utf8')))];
  const entries = texts.map((text) => `  [${JSON.stringify(text)}, ${Handlebars.precompile(text, TEMPLATE_OPTIONS)}],`);
  return [
    `export const TEMPLATE_OPTIONS = ${JSON.stringify(TEMPLATE_OPTIONS)};`,
    'export const PRECOMPILED = new Map([',
    ...entries,
    ']);',
    '',
  ].join('\n');
}

await build({
  entryPoints: ['dist/src/cli/program.js'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: 'dist/src/bundle/main.cjs',
  define: { 'import.meta.url': '__sqlscribeModuleUrl' },
  banner: { js: "var __sqlscribeModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [
    {
      name: 'precompiled-templates',
      setup(build) {
        build.onLoad({ filter: /[\\/]dist[\\/]src[\\/]render[\\/]precompiled\.js$/ }, () => ({ contents: precompiledModule(), loader: 'js' }));
      },
    },
  ],
  logLevel: 'warning',
});
copyFileSync('scripts/bin.cjs', 'dist/src/bundle/cli.cjs');
chmodSync('dist/src/bundle/cli.cjs', 0o755);
