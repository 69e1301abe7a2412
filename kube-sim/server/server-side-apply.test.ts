import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fieldsOf, serverSideApply } from './server-side-apply.js';

const deploy = (containers: Record<string, unknown>[], labels: Record<string, string>) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels },
  spec: { template: { spec: { containers } } },
});

test('the owned fields of an applied configuration key containers by name', () => {
  const fields = fieldsOf(deploy([{ name: 'app', image: 'a:1' }], { app: 'web' }));
  assert.equal(fields, {
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:image': {} } } } } },
  });
});

test('re-applying without a container or label removes them; fields set by others stay', () => {
  const first = serverSideApply({}, deploy([{ name: 'app', image: 'a:1' }, { name: 'sidecar', image: 's:1' }], { app: 'web', old: 'x' }), 'ci', '2026-01-01T00:00:00Z');
  const edited = { ...first, spec: { template: { spec: { containers: [{ name: 'app', image: 'a:1', env: [{ name: 'BY_HAND', value: '1' }] }, { name: 'sidecar', image: 's:1' }] } } } };
  const second = serverSideApply(edited, deploy([{ name: 'app', image: 'a:2' }], { app: 'web' }), 'ci', '2026-01-01T00:01:00Z');
  const containers = (second.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers;
  assert.equal(containers, [{ name: 'app', image: 'a:2', env: [{ name: 'BY_HAND', value: '1' }] }]);
  const metadata = second.metadata as { labels: Record<string, string>; managedFields: { manager: string; time: string }[] };
  assert.equal(metadata.labels, { app: 'web' });
  assert.equal(metadata.managedFields.map((m) => [m.manager, m.time]), [['ci', '2026-01-01T00:01:00Z']]);
});

test.run();
