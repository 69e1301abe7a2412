#!/usr/bin/env node
/**
 * Packs one compiled function into the single file the production image runs: `node dist-bundle/<fn>.mjs`.
 *
 *   node templates/ganglion-ts/bundle.mjs <fn> [--root <dir>] [--analyze]   (in the image: node bundle.mjs <fn>)
 *   node templates/ganglion-ts/bundle.mjs --worker [--root <dir>]   (the worker image: dist-bundle/ganglion-worker.mjs)
 *
 * Run after `tsc` (it reads <root>/dist). The entry imports dist/functions/<fn>/handler.js statically plus
 * host/serve-function.js, and esbuild bundles it — @kubernetes/client-node included — into
 * <root>/dist-bundle/<fn>.mjs (ESM, minified, tree-shaken, no source maps) plus the chunks it loads lazily,
 * dist-bundle/<fn>.<hash>.chunk.mjs. Loading one file instead of
 * thousands of modules is what brings a function's cold start and RSS down; the code is the same.
 * Each of our modules keeps its own import.meta.url (its file in dist/), so a function that loads other
 * compiled modules at run time (the planner's catalog) still finds them when dist/ ships beside the bundle.
 */
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
// the worker Job's program packs the same way: one file the worker image runs, plus the chunks it loads lazily
const worker = argv.includes('--worker');
const fn = worker ? 'ganglion-worker' : argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--root');
const rootAt = argv.indexOf('--root');
const root = path.resolve(rootAt >= 0 ? argv[rootAt + 1] ?? '.' : '.');
if (!fn || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(fn)) {
  process.stderr.write('usage: node templates/ganglion-ts/bundle.mjs <function-name>|--worker [--root <dir>] [--analyze]\n');
  process.exit(2);
}
const dist = path.join(root, 'dist');
const outDir = path.join(root, 'dist-bundle');
const handler = worker ? path.join(dist, 'workers', 'main.js') : path.join(dist, 'functions', fn, 'handler.js');
if (!existsSync(handler)) {
  process.stderr.write(`${handler} does not exist: compile first (npx tsc -p tsconfig.build.json, or npm run build)\n`);
  process.exit(1);
}

// host/young-generation first: its flag must be set before the function's start-up objects fill the young generation.
// The worker starts through startWorkerProcess: inside the bundle its module's import.meta.url is not argv[1].
const entry = worker ? `
import { startWorkerProcess } from ${JSON.stringify(handler)};
startWorkerProcess(process.argv.slice(2));
` : `
import ${JSON.stringify(path.join(dist, 'host', 'young-generation.js'))};
import * as mod from ${JSON.stringify(handler)};
import { serveFunction } from ${JSON.stringify(path.join(dist, 'host', 'serve-function.js'))};
if (!mod.meta || typeof mod.handle !== 'function') throw new Error('dist/functions/${fn}/handler.js must export "meta" and "handle"');
serveFunction(mod);
`;

/** Our compiled modules refer to their own location (import.meta.url): keep pointing them at their file in dist/. */
const ownUrls = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist + path.sep) || args.path.includes('node_modules')) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = path.relative(outDir, args.path).split(path.sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

/**
 * Imports the bundle answers differently, each for a reason given beside it: when a file matching `importer` imports
 * `specifier`, it gets the module `contents(importerPath)` instead (resolved from the importer's folder). Every other
 * import of the same name is left alone.
 */
const CLIENT_NODE = String.raw`[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]`;
const CLIENT_NODE_CONFIG = new RegExp(`${CLIENT_NODE}config\\.js$`);
const lazyClass = (pkg, name) => `export class ${name} { constructor(...args) { return new (require(${JSON.stringify(pkg)}).${name})(...args); } }`;
const SUBSTITUTES = [
  // node-fetch 2 (what @kubernetes/client-node 1.x sends requests with) imports whatwg-url only for
  // `Url.URL || whatwgUrl.URL`: Node has URL, so the package is never used, yet it carries tr46's Unicode tables
  // (~260 KB of code and a large array built at load). In the bundle node-fetch gets Node's own URL instead.
  { specifier: 'whatwg-url', importer: /[\\/]node-fetch[\\/]/, contents: () => 'export const URL = globalThis.URL; export default { URL };' },
  // cluster/kube-client imports client-node's KubeConfig from its own file (config.js), and esbuild assigns whole
  // files to chunks. config.js takes two names from the generated code's barrel, which also re-exports every API
  // group and model: through the barrel the kubeconfig chunk, loaded on every function's first cluster call, would
  // carry all of them (~1.2 MB). config.js gets the two names from their own files instead, so the API groups stay in
  // the chunk cluster/kube-api-groups loads on the first typed call (a client-node that imports more fails the build).
  {
    specifier: './gen/index.js', importer: CLIENT_NODE_CONFIG,
    contents: (from) => `export { createConfiguration } from ${JSON.stringify(path.join(path.dirname(from), 'gen', 'configuration.js'))};\nexport { ServerConfiguration } from ${JSON.stringify(path.join(path.dirname(from), 'gen', 'servers.js'))};\n`,
  },
  // config.js imports the proxy agents (socks-proxy-agent with socks, ip-address, debug; hpagent) and node-fetch's
  // Headers at the top, yet uses them only for a cluster with a proxy-url and in applyToFetchOptions; the generated
  // code's fetch library imports node-fetch (with zlib and streams) for the typed calls only. These importers get
  // stand-ins that require the real package when first constructed or called, so a function's first cluster call
  // does not evaluate them (~10 ms of the first answer). Same names, same arguments; `new` returns the real instance.
  { specifier: 'socks-proxy-agent', importer: CLIENT_NODE_CONFIG, contents: () => lazyClass('socks-proxy-agent', 'SocksProxyAgent') },
  { specifier: 'hpagent', importer: CLIENT_NODE_CONFIG, contents: () => `${lazyClass('hpagent', 'HttpProxyAgent')}\n${lazyClass('hpagent', 'HttpsProxyAgent')}` },
  { specifier: 'node-fetch', importer: CLIENT_NODE_CONFIG, contents: () => lazyClass('node-fetch', 'Headers') },
  {
    specifier: 'node-fetch', importer: new RegExp(`${CLIENT_NODE}gen[\\\\/]http[\\\\/]isomorphic-fetch\\.js$`),
    contents: () => "export default function lazyDefault(...args) { return require('node-fetch')(...args); }",
  },
  // kernel/logger builds its pino logger on the first line it writes (quiet by default: a function answering at the
  // default level never does). Its `pino` import requires the package on that first call, so pino, sonic-boom and
  // thread-stream (with worker_threads) are not evaluated at start (with the lazy logger: ~35 ms of the first answer).
  {
    specifier: 'pino', importer: /[\\/]dist[\\/]kernel[\\/]logger\.js$/,
    contents: () => "export function pino(...args) { return require('pino').pino(...args); }\npino.destination = (...args) => require('pino').destination(...args);\n",
  },
  // events/cloud-event uses the cloudevents package's CloudEvent and ValidationError only; its index also loads the
  // HTTP, Kafka and MQTT bindings, the emitter and json-bigint with bignumber.js. The codec imports the two from their
  // own files, and cloudevent.js's require("..") (for CloudEvent#emit, which Ganglion never calls) loads the index
  // only when read, so none of that is evaluated at start.
  {
    specifier: 'cloudevents', importer: /[\\/]dist[\\/]events[\\/]cloud-event\.js$/,
    contents: () => "export { CloudEvent } from 'cloudevents/dist/event/cloudevent.js';\nexport { ValidationError } from 'cloudevents/dist/event/validation.js';\n",
  },
  {
    specifier: '..', importer: /[\\/]cloudevents[\\/]dist[\\/]event[\\/]cloudevent\.js$/,
    contents: (from) => `Object.defineProperty(exports, 'Emitter', { enumerable: true, get: () => require(${JSON.stringify(path.join(path.dirname(from), '..', 'index.js'))}).Emitter });\n`,
  },
];
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const substituteImports = {
  name: 'substitute-imports',
  setup(b) {
    const specifiers = [...new Set(SUBSTITUTES.map((r) => r.specifier))];
    b.onResolve({ filter: new RegExp(`^(${specifiers.map(escapeRegExp).join('|')})$`) }, (args) => {
      // only imports written in real files: a stand-in's own require() of the package resolves as usual
      if (args.namespace !== 'file') return undefined;
      const at = SUBSTITUTES.findIndex((r) => r.specifier === args.path && r.importer.test(args.importer));
      return at < 0 ? undefined : { path: `${args.path} for ${args.importer}`, namespace: 'substitute', pluginData: { at, importer: args.importer } };
    });
    b.onLoad({ filter: /.*/, namespace: 'substitute' }, ({ pluginData: { at, importer } }) => ({
      contents: SUBSTITUTES[at].contents(importer),
      resolveDir: path.dirname(importer),
      loader: 'js',
    }));
  },
};

const outfile = path.join(outDir, `${fn}.mjs`);
// this function's earlier chunks go; other functions' bundles in the same folder stay
const removeOwnFiles = () => {
  for (const f of existsSync(outDir) ? readdirSync(outDir) : []) if (f === `${fn}.mjs` || (f.startsWith(`${fn}.`) && f.endsWith('.chunk.mjs'))) rmSync(path.join(outDir, f));
};
removeOwnFiles();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ganglion-bundle-'));
const entryFile = path.join(tmp, `${fn}.mjs`);
writeFileSync(entryFile, entry);
let result;
try {
  result = await build({
    entryPoints: { [fn]: entryFile },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    // What a module imports lazily (import('@kubernetes/client-node') in cluster/kube-access) becomes its own
    // chunk, read on first use: a function that never calls the cluster does not parse the client at all.
    splitting: true,
    chunkNames: `${fn}.[hash].chunk`,
    minify: true,
    treeShaking: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: argv.includes('--analyze'),
    // ws loads these native speed-ups only when installed; they are not, and must not be (no native addons).
    external: ['bufferutil', 'utf-8-validate'],
    // CommonJS dependencies inside an ESM bundle still call require() for node: built-ins.
    banner: { js: "import { createRequire as __ganglionRequire } from 'node:module'; const require = __ganglionRequire(import.meta.url);" },
    plugins: [ownUrls, substituteImports],
  });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
// Every function bundles without a warning today; a warning such as "import will always be undefined" (a dist/ file
// half-written by a concurrent tsc) means a broken bundle, so none goes out.
if (result.warnings.length) {
  removeOwnFiles();
  process.stderr.write(`esbuild warned ${result.warnings.length} time(s) bundling ${fn} (above); no bundle written: fix the cause or rebuild dist/ and retry\n`);
  process.exit(1);
}
if (result.metafile) {
  const byPackage = new Map();
  for (const [file, info] of Object.values(result.metafile.outputs).flatMap((o) => Object.entries(o.inputs))) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key = m ? m[1] : file.startsWith('dist/') || file.includes('/dist/') ? '(ganglion)' : file;
    byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
  }
  for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) process.stdout.write(`${(v / 1024).toFixed(0).padStart(7)} KB  ${k}\n`);
}
process.stdout.write(`${path.relative(process.cwd(), outfile) || outfile} (${pathToFileURL(outfile).href})\n`);
