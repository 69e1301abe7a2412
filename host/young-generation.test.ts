import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const moduleFile = fileURLToPath(new URL('./young-generation.js', import.meta.url));

/** New-space capacity (KB) of a fresh node after it keeps ~24 MB of small objects alive, with or without the module. */
function newSpaceAfterSurvivors(withModule: boolean): number {
  const script = `${withModule ? `await import(${JSON.stringify(moduleFile)});` : ''}
const v8 = await import('node:v8');
const kept = [];
for (let i = 0; i < 300_000; i++) kept.push({ i, s: 'x' + i, a: [i, i + 1] });
const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
process.stdout.write(String(Math.round(space.space_size / 1024)) + ' ' + kept.length);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const [kb, n] = r.stdout.split(' ').map(Number);
  assert.is(n, 300_000);
  return kb as number;
}

test('with the module imported first, the young generation does not grow as objects survive', () => {
  const grown = newSpaceAfterSurvivors(false);
  const kept = newSpaceAfterSurvivors(true);
  assert.ok(grown >= 4 * 1024, `without it the new space grows (${grown} KB)`);
  assert.ok(kept <= 2 * 1024, `with it the new space stays at its initial two 1 MB semi-spaces (${kept} KB)`);
});

test('the production bundle\'s entry imports it before anything else', async () => {
  const { readFileSync } = await import('node:fs');
  const bundler = readFileSync(fileURLToPath(new URL('../../templates/ganglion-ts/bundle.mjs', import.meta.url)), 'utf8');
  // the entry of a function's bundle is the template that serves the function (the worker's entry is another)
  const entries = [...bundler.slice(bundler.indexOf('const entry =')).matchAll(/`\n([^`]*)`/g)].map((m) => m[1] ?? '');
  const entry = entries.find((e) => e.includes('serveFunction')) ?? '';
  assert.match(entry.split('\n')[0] ?? '', /young-generation\.js/, 'the bundle entry\'s first import');
});

test.run();
