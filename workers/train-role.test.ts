import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDemoRepo, TRAINED_MODEL } from './demo-repo.js';
import { trainingOutcome } from './train-role.js';

test('the training output names the model version and the image that serves it (the last lines that say so)', () => {
  assert.equal(trainingOutcome('> train\nepoch 1\nimage: old:1\nmodel version: 2.3\nimage: registry.local/placemyparents:2.3\n'), { image: 'registry.local/placemyparents:2.3', modelVersion: '2.3' });
  assert.equal(trainingOutcome('trained, but said nothing about images\n'), {});
});

test('the demo repo\'s npm run train script trains and prints the image the home-lab registry holds', () => {
  const dir = createDemoRepo(path.join(mkdtempSync(path.join(os.tmpdir(), 'g-train-')), 'placemyparents'));
  try {
    const out = execFileSync('node', ['scripts/train.js'], { cwd: dir, encoding: 'utf8' });
    assert.match(out, /^trained the listing ranker on 12 examples: mean squared error \d\.\d{4}$/m);
    assert.equal(trainingOutcome(out), { image: TRAINED_MODEL.image, modelVersion: TRAINED_MODEL.version });
  } finally {
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test.run();
