import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyStrategicMergePatch } from './strategic-merge.js';

const deployment = {
  metadata: { name: 'web', finalizers: ['a'] },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80, name: 'http' }] },
          { name: 'sidecar', image: 'proxy:1' },
        ],
        tolerations: [{ key: 'x' }],
      },
    },
  },
};

test('containers merge by name, env by name and ports by containerPort', () => {
  const out = applyStrategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }], ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } } });
  const [app, sidecar] = (out.spec as typeof deployment.spec).template.spec.containers;
  assert.is(app.image, 'app:2');
  assert.equal(app.env, [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }]);
  assert.equal(app.ports, [{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
  assert.equal(sidecar, { name: 'sidecar', image: 'proxy:1' });
});

test('$patch: delete removes a list element; lists without a merge key are replaced; null deletes a field', () => {
  const out = applyStrategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }], tolerations: [{ key: 'y' }] } } }, metadata: { finalizers: ['b'] } });
  const spec = (out.spec as typeof deployment.spec).template.spec;
  assert.equal(spec.containers.map((c) => c.name), ['app']);
  assert.equal(spec.tolerations, [{ key: 'y' }]);
  assert.equal((out.metadata as { finalizers: string[] }).finalizers, ['a', 'b']);
  const removed = applyStrategicMergePatch(deployment, { spec: { template: { spec: { tolerations: null } } } });
  assert.not.ok('tolerations' in (removed.spec as typeof deployment.spec).template.spec);
});

test('kubectl apply directives: $setElementOrder orders the merged list and $deleteFromPrimitiveList drops values', () => {
  const out = applyStrategicMergePatch(deployment, {
    metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
    spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }], containers: [{ name: 'app', image: 'app:3' }] } } },
  });
  assert.equal((out.spec as typeof deployment.spec).template.spec.containers.map((c) => `${c.name}=${c.image}`), ['sidecar=proxy:1', 'app=app:3']);
  assert.equal((out.metadata as { finalizers: string[] }).finalizers, []);
});

test('service ports merge by port', () => {
  const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443 }] } };
  const out = applyStrategicMergePatch(svc, { spec: { ports: [{ port: 443, nodePort: 30443 }] } });
  assert.equal((out.spec as typeof svc.spec).ports, [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443, nodePort: 30443 }]);
});

test.run();
