/** The tree keeps the layer order README writes down: no upward import, no cycle between units, kube-sim stands alone. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readImportGraph, type ImportEdge } from '../testing/import-graph.js';
import { checkLayers, parseLayers, type StandAlone } from '../testing/layer-rules.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const STAND_ALONE: StandAlone[] = [{ unit: 'kube-sim', importedBy: ['bench'] }];

const test = suite('layers');

test('README writes the layer order down once, bottom row first, kernel at the bottom', () => {
  const layers = parseLayers(readme);
  assert.equal(layers[0], ['kernel']);
  assert.ok(layers.length >= 6, `only ${layers.length} rows`);
});

test('no production import runs upward, across functions, into test code or out of kube-sim, and no units import each other', () => {
  const violations = checkLayers(readImportGraph(repoRoot), parseLayers(readme), STAND_ALONE);
  assert.equal(violations.map((v) => v.message), []);
});

test('the check reports an upward import, a cycle, an import across functions, one into test support and a relative path into kube-sim', () => {
  const layers = [['kernel'], ['cluster'], ['functions'], ['gateway']];
  const edge = (from: string, to: string): ImportEdge => ({ from, to, specifier: to });
  const violations = checkLayers(
    [
      edge('kernel/errors.ts', 'cluster/kube-access.ts'),
      edge('cluster/kube-access.ts', 'kernel/config.ts'),
      edge('functions/planner/handler.ts', 'functions/deploy/handler.ts'),
      edge('gateway/main.ts', 'gateway/testing/spawn-gateway.ts'),
      edge('gateway/main.ts', 'kube-sim/index.ts'),
      edge('kube-sim/store.ts', 'kernel/errors.ts'),
      edge('cluster/x.test.ts', 'gateway/main.ts'),
      { from: 'cluster/y.test.ts', to: 'kube-sim/index.ts', specifier: '../kube-sim/index.js' },
    ],
    layers,
    STAND_ALONE,
  );
  assert.equal(violations.map((v) => v.rule).sort(), ['across-functions', 'by-package-name', 'cycle', 'into-test-code', 'stand-alone', 'stand-alone', 'upward']);
});

test('imports are read from code, not from comments, and dynamic and side-effect imports count', async () => {
  const { mkdtempSync, writeFileSync, mkdirSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  try {
    mkdirSync(path.join(dir, 'kernel'));
    writeFileSync(
      path.join(dir, 'kernel', 'a.ts'),
      [
        "// import { x } from '../gateway/commented.js';",
        "/* export { y } from '../gateway/block.js'; */",
        "import type { T } from '../cluster/types.js';",
        "import '../host/side-effect.js';",
        "export { z } from './b.js';",
        "const lazy = () => import('../cli/lazy.js');",
      ].join('\n'),
    );
    const targets = readImportGraph(dir).map((e) => e.to).sort();
    assert.equal(targets, ['cli/lazy.ts', 'cluster/types.ts', 'host/side-effect.ts', 'kernel/b.ts']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an import of a workspace package by its name is an edge into the package\'s folder; other packages are not', async () => {
  const { mkdtempSync, writeFileSync, mkdirSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  try {
    mkdirSync(path.join(dir, 'gateway'));
    mkdirSync(path.join(dir, 'sim'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'root', workspaces: ['sim'] }));
    writeFileSync(path.join(dir, 'sim', 'package.json'), JSON.stringify({ name: '@acme/sim' }));
    writeFileSync(path.join(dir, 'gateway', 'main.ts'), "import { start } from '@acme/sim';\nimport { z } from 'zod';\n");
    const edges = readImportGraph(dir);
    assert.equal(edges, [{ from: 'gateway/main.ts', to: 'sim/index.ts', specifier: '@acme/sim' }]);
    const violations = checkLayers(edges, [['gateway']], [{ unit: 'sim', importedBy: ['bench'] }]);
    assert.equal(violations.map((v) => v.rule), ['stand-alone']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
