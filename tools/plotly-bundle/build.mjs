// Build the dashboard's plotly.js: plotly's core, the trace types the dashboard and its exports
// draw, and the fr/nl locales, minified into dashboard/assets/vendor/.
//
// Why: plotly.min.js (every trace type, 4.8 MB) was 80 % of a first page's scripts and one
// 0.94 s block of the browser's main thread; this bundle is the same plotly.js version as the
// plotly.py the server uses (plotly.offline.get_plotlyjs_version()), restricted to what we draw.
//
// Rebuild (Node 20+, the npm registry):
//   cd tools/plotly-bundle && npm ci && npm run build
// The versions are pinned in package.json and package-lock.json; esbuild's output is
// deterministic, so the same lock gives the same bytes (the manifest records their SHA-256).
// A new trace type in dashboard/ fails tests/dashboard/test_plotly_bundle.py until it is added
// to TRACES here and the bundle rebuilt.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const OUT_DIR = join(here, '..', '..', 'dashboard', 'assets', 'vendor');
const NAME = 'plotly-observatory.min.js';
const RUNTIME = 'regenerator-runtime.min.js';

// The trace types drawn (dashboard/figures.py; the exports draw the same figures). scatter is
// in plotly's core whatever the list says.
export const TRACES = ['scatter', 'bar', 'funnel', 'heatmap', 'choropleth'];
// Plotly's own locale modules, registered in the bundle: `config={'locale': 'fr'}` works.
export const LOCALES = ['fr', 'nl'];

const version = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`))).version;

const entry = [
  "'use strict';",
  "var Plotly = require('plotly.js/lib/core');",
  'Plotly.register([',
  ...TRACES.filter((t) => t !== 'scatter').map((t) => `  require('plotly.js/lib/${t}'),`),
  ...LOCALES.map((l) => `  require('plotly.js/lib/locales/${l}'),`),
  ']);',
  'module.exports = Plotly;',
].join('\n');

// Only map traces import a stylesheet (maplibre-gl's, behind `if (bpmName === 'map')`): none
// is registered, so it is left out instead of being written beside the bundle.
const noStylesheets = {
  name: 'no-stylesheets',
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, () => ({ contents: '', loader: 'js' }));
  },
};

// Two libraries the choropleth trace pulls in for features the dashboard does not use, replaced
// by empty modules (-130 KB): d3-geo-projection's extra map projections (the dashboard's map
// uses d3-geo's default one) and country-iso-search's country names (locationmode
// "country names"; the map locates communes by GeoJSON feature id). tests/dashboard/
// test_plotly_bundle.py fails if a figure sets a projection or a locationmode.
export const LEFT_OUT = {
  'd3-geo-projection': 'module.exports = {};',
  'country-iso-search':
    'module.exports = { COUNTRIES: [], createLookup: function () {' +
    ' return { lookupAlpha3: function () { return undefined; } }; } };',
};
const leftOut = {
  name: 'left-out',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(LEFT_OUT).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'left-out' }));
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      contents: LEFT_OUT[args.path],
      loader: 'js',
    }));
  },
};

const result = await esbuild.build({
  stdin: { contents: entry, resolveDir: here, sourcefile: 'observatory-plotly-entry.js' },
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'Plotly',
  target: 'es2016',
  // plotly.js's own esbuild settings (node_modules/plotly.js/esbuild-config.js)
  define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
  alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
  plugins: [noStylesheets, leftOut],
  legalComments: 'none',
  banner: {
    js: `/*! plotly.js ${version('plotly.js')} (MIT, Plotly, Inc.), traces: ${TRACES.join(', ')}; locales: ${LOCALES.join(', ')}. Built by tools/plotly-bundle/build.mjs */`,
  },
  write: false,
  logLevel: 'warning',
});

const code = result.outputFiles[0].contents;
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, NAME), code);

// The one thing Dash's 97 KB @babel/polyfill gives that current browsers lack: the global
// regeneratorRuntime its compiled code calls (dashboard/lean_scripts.py drops the polyfill).
const runtime = await esbuild.build({
  stdin: {
    contents: "window.regeneratorRuntime = require('regenerator-runtime/runtime');",
    resolveDir: here,
    sourcefile: 'observatory-regenerator-entry.js',
  },
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2016',
  legalComments: 'none',
  banner: {
    js: `/*! regenerator-runtime ${version('regenerator-runtime')} (MIT, Meta Platforms). Built by tools/plotly-bundle/build.mjs */`,
  },
  write: false,
  logLevel: 'warning',
});
const runtimeCode = runtime.outputFiles[0].contents;
writeFileSync(join(OUT_DIR, RUNTIME), runtimeCode);
const manifest = {
  file: NAME,
  'plotly.js': version('plotly.js'),
  esbuild: version('esbuild'),
  node: process.version,
  traces: TRACES,
  locales: LOCALES,
  left_out: Object.keys(LEFT_OUT),
  bytes: code.length,
  sha256: createHash('sha256').update(code).digest('hex'),
  runtime: {
    file: RUNTIME,
    'regenerator-runtime': version('regenerator-runtime'),
    bytes: runtimeCode.length,
    sha256: createHash('sha256').update(runtimeCode).digest('hex'),
  },
  command: 'cd tools/plotly-bundle && npm ci && npm run build',
};
writeFileSync(join(OUT_DIR, 'plotly-observatory.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(JSON.stringify(manifest, null, 2));
