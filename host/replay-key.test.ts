import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as scale from '../functions/scale/handler.js';
import { startHarness, type Harness } from '../testing/mutation-harness.js';

let h: Harness;
test.before(async () => { h = await startHarness(scale); });
test.after(async () => { await h.stop(); });

const replicas = () => h.kubectl('get', 'deploy', 'placemyparents', '-n', 'apps', '-o', 'jsonpath={.spec.replicas}');

test('a dry run sent first under the apply\'s source and id is not returned as the answer to the approved apply: the apply really applies', async () => {
  assert.is(await replicas(), '3');
  const poison = await h.call({ name: 'placemyparents', replicas: 1, dryRun: true }, { stepId: 's-poison', id: 'run-x.s1.apply' });
  assert.is(poison.status, 200, JSON.stringify(poison.data));
  assert.match(poison.data.summary ?? '', /^would set replicas/);
  assert.is(await replicas(), '3');
  const apply = await h.call({ name: 'placemyparents', replicas: 1 }, { approve: true, stepId: 's-poison', id: 'run-x.s1.apply' });
  assert.is(apply.status, 200, JSON.stringify(apply.data));
  assert.not.match(apply.data.summary ?? '', /^would/);
  assert.is(await replicas(), '1');
});

test.run();
