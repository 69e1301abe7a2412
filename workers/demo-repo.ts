/**
 * The demo repository `placemyparents`, made with real git: a small Node project whose `main` is clean, whose `staging`
 * branch has one failing test, and whose `feature/payments` branch plants a secret — so every Code operation has something to find.
 * `npm run train` fits the listing ranker (a small least-squares model) and prints the model version and the image that
 * serves it (registry.local/placemyparents:2.3, which the home-lab registry holds).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where the planted secret sits (the review test asserts it is found exactly there). */
export const PLANTED_SECRET = { branch: 'feature/payments', file: 'src/payments.js', line: 4 };
/** The failing test on staging, by name and the message node's assert gives. */
export const STAGING_FAILURE = { name: 'weekend stays cost 10% more', message: 'weekend surcharge should be 10%' };

/** The model version `npm run train` makes, and the image that serves it. */
export const TRAINED_MODEL = { version: '2.3', image: 'registry.local/placemyparents:2.3' };

const TRAIN = [
  '// Trains the listing ranker: monthly price from rating and distance, least squares by gradient descent (deterministic).',
  "import { mkdirSync, writeFileSync } from 'node:fs';",
  '',
  'const examples = [[4.8, 2, 3900], [4.5, 5, 3500], [3.9, 1, 3300], [4.1, 8, 3000], [4.9, 12, 3600], [3.5, 3, 2800],',
  '  [4.2, 4, 3400], [4.6, 9, 3350], [3.8, 6, 2900], [4.4, 2, 3700], [4.0, 10, 2950], [4.7, 7, 3550]];',
  'let w = [0, 0, 0];',
  'const predict = (r, km) => w[0] + w[1] * r + w[2] * km;',
  'for (let i = 0; i < 20000; i++) {',
  '  const g = [0, 0, 0];',
  '  for (const [r, km, price] of examples) {',
  '    const e = predict(r, km) - price / 1000;',
  '    g[0] += e; g[1] += e * r; g[2] += e * km;',
  '  }',
  '  w = w.map((v, j) => v - (0.01 * g[j]) / examples.length);',
  '}',
  'const mse = examples.reduce((s, [r, km, price]) => s + (predict(r, km) - price / 1000) ** 2, 0) / examples.length;',
  `const version = '${'2.3'}';`,
  "mkdirSync('model', { recursive: true });",
  "writeFileSync('model/ranker.json', JSON.stringify({ version, weights: w, mse }) + '\\n');",
  'console.log(`trained the listing ranker on ${examples.length} examples: mean squared error ${mse.toFixed(4)}`);',
  'console.log(`model version: ${version}`);',
  "console.log(`image: registry.local/placemyparents:${version}`);",
  '',
].join('\n');

const FILES_V1: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'placemyparents', version: '1.4.0', private: true, type: 'module', scripts: { start: 'node src/server.js', test: 'node --test', train: 'node scripts/train.js' } }, null, 2)}\n`,
  'README.md': '# placemyparents\n\nFinds care homes for parents and prices the stay.\n',
  'scripts/train.js': TRAIN,
  '.gitignore': 'model/\n',
  'src/server.js': [
    "import http from 'node:http';",
    "import { quote } from './pricing.js';",
    '',
    'export function handler(req, res) {',
    "  if (req.url === '/healthz') {",
    "    res.writeHead(200).end('ok');",
    '    return;',
    '  }',
    "  const nights = Number(new URL(req.url, 'http://x').searchParams.get('nights') ?? 1);",
    "  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ total: quote(nights, false) }));",
    '}',
    '',
    "if (process.argv[1]?.endsWith('server.js')) http.createServer(handler).listen(Number(process.env.PORT ?? 8080));",
    '',
  ].join('\n'),
};

const PRICING = (surcharge: string) => [
  'export const NIGHTLY = 100;',
  '',
  'export function quote(nights, weekend) {',
  "  if (!Number.isInteger(nights) || nights < 1) throw new RangeError('nights must be a positive integer');",
  `  const base = nights * NIGHTLY;`,
  `  return weekend ? Math.round(base * ${surcharge}) : base;`,
  '}',
  '',
  'export function discount(total, code) {',
  "  if (code === 'FAMILY10') return total * 0.9;",
  "  if (code === 'SPRING') return total * 0.8;",
  '  return total;',
  '}',
  '',
].join('\n');

const PRICING_TEST = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { quote, discount } from '../src/pricing.js';",
  '',
  "test('a weekday night costs the nightly rate', () => {",
  '  assert.equal(quote(2, false), 200);',
  '});',
  '',
  `test('${STAGING_FAILURE.name}', () => {`,
  `  assert.equal(quote(1, true), 110, '${STAGING_FAILURE.message}');`,
  '});',
  '',
  "test('FAMILY10 takes 10% off', () => {",
  "  assert.equal(discount(200, 'FAMILY10'), 180);",
  '});',
  '',
  "test('zero nights is refused', () => {",
  '  assert.throws(() => quote(0, false), RangeError);',
  '});',
  '',
].join('\n');

const MATCHING = [
  'export function match(parent, homes) {',
  '  return homes',
  '    .filter((h) => h.beds > 0 && h.city === parent.city)',
  '    .sort((a, b) => a.price - b.price)[0] ?? null;',
  '}',
  '',
].join('\n');
const MATCHING_TEST = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { match } from '../src/matching.js';",
  '',
  "test('the cheapest home with a free bed in the same city wins', () => {",
  "  const homes = [{ city: 'Leeds', beds: 1, price: 90 }, { city: 'Leeds', beds: 0, price: 50 }, { city: 'York', beds: 2, price: 40 }];",
  "  assert.equal(match({ city: 'Leeds' }, homes)?.price, 90);",
  '});',
  '',
].join('\n');

const PAYMENTS = [
  '// Talks to the payment provider.',
  "import https from 'node:https';",
  '',
  "const AWS_ACCESS_KEY_ID = 'AKIAJ7Q3XK5M2VPLRT4N';",
  '',
  'export function charge(amount) {',
  "  return { amount, key: AWS_ACCESS_KEY_ID.slice(0, 4), via: typeof https };",
  '}',
  '',
].join('\n');

function writeAll(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

/** Creates the repository at `dir` (unless it already holds one) and returns its path. */
export function createDemoRepo(dir: string): string {
  if (existsSync(path.join(dir, '.git'))) return dir;
  mkdirSync(dir, { recursive: true });
  let clock = Date.parse('2026-11-02T09:00:00Z') / 1000;
  const git = (...args: string[]) => {
    clock += 3600;
    const when = `${clock} +0000`;
    execFileSync('git', args, {
      cwd: dir, stdio: 'ignore',
      env: { ...process.env, GIT_AUTHOR_NAME: 'Sam Carer', GIT_AUTHOR_EMAIL: 'sam@placemyparents.example', GIT_COMMITTER_NAME: 'Sam Carer', GIT_COMMITTER_EMAIL: 'sam@placemyparents.example', GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when, GIT_CONFIG_NOSYSTEM: '1' },
    });
  };
  const commit = (message: string, files: Record<string, string>) => {
    writeAll(dir, files);
    git('add', '-A');
    git('commit', '--quiet', '--no-gpg-sign', '-m', message);
  };
  git('init', '--quiet', '-b', 'main');
  commit('Initial placemyparents service', FILES_V1);
  commit('Price stays, with tests', { 'src/pricing.js': PRICING('1.1'), 'test/pricing.test.js': PRICING_TEST });
  commit('Match parents to the cheapest home with a free bed', { 'src/matching.js': MATCHING, 'test/matching.test.js': MATCHING_TEST });
  git('checkout', '--quiet', '-b', 'staging');
  commit('Weekend surcharge from the new price list', { 'src/pricing.js': PRICING('1.2') });
  git('checkout', '--quiet', 'main');
  git('checkout', '--quiet', '-b', PLANTED_SECRET.branch);
  commit('Add a payment client', { [PLANTED_SECRET.file]: PAYMENTS });
  git('checkout', '--quiet', 'main');
  return dir;
}

/** The demo repository under GANGLION_HOME, where the home-lab scenario's `ganglion.dev/repo` annotation points. */
export function demoRepoPath(home: string): string {
  return path.join(home, 'demo-repos', 'placemyparents');
}
