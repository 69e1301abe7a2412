import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeImageChange, imageVersion, parseImageRef, safeParseImageRef, shortImage, withTag } from './image-ref.js';
import { GanglionError } from '../kernel/errors.js';

const cases: [string, ReturnType<typeof parseImageRef>][] = [
  ['nginx', { repository: 'nginx' }],
  ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
  ['library/nginx:1.27-alpine', { repository: 'library/nginx', tag: '1.27-alpine' }],
  ['registry.local/placemyparents:1.4', { registry: 'registry.local', repository: 'placemyparents', tag: '1.4' }],
  ['registry.local:5000/team/app:2.0', { registry: 'registry.local:5000', repository: 'team/app', tag: '2.0' }],
  ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app' }],
  ['localhost/app:v1', { registry: 'localhost', repository: 'app', tag: 'v1' }],
  ['ghcr.io/ganglion/worker@sha256:' + 'a'.repeat(64), { registry: 'ghcr.io', repository: 'ganglion/worker', digest: 'sha256:' + 'a'.repeat(64) }],
  ['10.0.0.5:5000/app:1.0@sha256:' + 'b'.repeat(64), { registry: '10.0.0.5:5000', repository: 'app', tag: '1.0', digest: 'sha256:' + 'b'.repeat(64) }],
];

test('parses registries with ports, nested repositories, tags and digests', () => {
  for (const [ref, want] of cases) assert.equal(parseImageRef(ref), want, ref);
});

test('rejects what is not an image reference, saying why', () => {
  for (const bad of ['', ' nginx', 'Nginx:1', 'app:-1', 'app@sha256:xyz', 'registry.local/App:1']) {
    const r = safeParseImageRef(bad);
    assert.is(r.ok, false, bad);
  }
  assert.throws(() => parseImageRef('app@md5:1'), (e: GanglionError) => e.code === 'invalid_image' && /digest/.test(e.message));
});

test('withTag swaps the tag, keeps a registry port, and drops a digest pin', () => {
  assert.is(withTag('registry.local/placemyparents:1.4', '2.0'), 'registry.local/placemyparents:2.0');
  assert.is(withTag('registry.local:5000/app', '2.0'), 'registry.local:5000/app:2.0');
  assert.is(withTag('ghcr.io/x/app:1.0@sha256:' + 'a'.repeat(64), '1.1'), 'ghcr.io/x/app:1.1');
  assert.throws(() => withTag('app:1', 'bad tag'), (e: GanglionError) => e.code === 'invalid_tag');
});

test('short names and change descriptions read the way a person says them', () => {
  assert.is(shortImage('registry.local/placemyparents:1.4'), 'placemyparents:1.4');
  assert.is(shortImage('nginx'), 'nginx:latest');
  assert.is(shortImage('app@sha256:' + 'c'.repeat(64)), 'app@sha256:cccccccccccc');
  assert.is(describeImageChange('registry.local/placemyparents:1.4', 'registry.local/placemyparents:2.0'), 'placemyparents:1.4 → 2.0');
  assert.is(describeImageChange('registry.local/app:1', 'docker.io/other:2'), 'app:1 → other:2');
  assert.is(describeImageChange('a.local/app:1', 'b.local/app:1'), 'a.local/app:1 → b.local/app:1');
  assert.is(imageVersion('registry.local:5000/app'), 'latest');
  assert.is(imageVersion('registry.local:5000/app:2.1-broken'), '2.1-broken');
});

test.run();
