import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadImageCatalog, lookupImage } from './image-catalog.js';
import { pullImage, qualifiedRef } from './image-pull.js';

const catalog = loadImageCatalog();
const homeLab = { registry: ['registry.local/placemyparents:1.4', 'nginx', 'redis'] };
const failure = (image: string, sim = {}) => {
  const r = pullImage(catalog, sim, image);
  return r.ok ? undefined : r.message;
};

test('the catalog file loads and lists the common public images with their real tags and programs', () => {
  for (const repo of ['nginx', 'busybox', 'httpd', 'redis', 'postgres', 'mysql', 'python', 'node', 'curlimages/curl']) {
    assert.ok(catalog.images[repo]?.tags?.includes('latest'), `${repo}:latest`);
  }
  const busybox = lookupImage(catalog, 'busybox:1.36');
  assert.ok(busybox?.executables?.has('wget') && !busybox.executables.has('perl') && !busybox.executables.has('bash'));
  assert.ok(lookupImage(catalog, 'redis:7')?.executables?.has('bash'));
  assert.not.ok(lookupImage(catalog, 'redis:7.4-alpine')?.executables?.has('bash'), 'the alpine variant has no bash');
  assert.ok(lookupImage(catalog, 'python:3.12-slim')?.executables?.has('python3'));
});

test('qualifiedRef spells references as containerd does', () => {
  assert.is(qualifiedRef('redis:no-such-tag'), 'docker.io/library/redis:no-such-tag');
  assert.is(qualifiedRef('curlimages/curl'), 'docker.io/curlimages/curl:latest');
  assert.is(qualifiedRef('registry.local/placemyparents:1.4'), 'registry.local/placemyparents:1.4');
  assert.is(qualifiedRef('docker.io/library/nginx:1.27'), 'docker.io/library/nginx:1.27');
});

test('a tag the catalog does not list is NotFound with the registry message, even where the scenario allows every tag', () => {
  assert.is(failure('redis:no-such-tag', homeLab),
    'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/redis:no-such-tag": failed to resolve reference "docker.io/library/redis:no-such-tag": docker.io/library/redis:no-such-tag: not found');
  assert.is(failure('redis:7'), undefined);
  assert.is(failure('docker.io/library/nginx:1.27-alpine', homeLab), undefined);
  assert.is(failure('httpd:2.4', homeLab), undefined, 'Docker Hub is there whatever the scenario lists');
});

test('a misspelt official image or an unknown repository in a known namespace is pull access denied', () => {
  assert.match(failure('ngnix:1.27') ?? '', /"docker\.io\/library\/ngnix:1\.27": pull access denied, repository does not exist or may require authorization/);
  assert.match(failure('curlimages/curlx:8.11.1') ?? '', /pull access denied/);
});

test('images the catalog does not know keep the scenario registry deciding', () => {
  assert.is(failure('registry.local/placemyparents:1.4', homeLab), undefined);
  assert.match(failure('registry.local/placemyparents:9.9', homeLab) ?? '', /: registry\.local\/placemyparents:9\.9: not found$/);
  assert.is(failure('ubuntu:24.04'), undefined, 'no registry in the scenario: every unknown image exists');
  assert.is(failure('ghcr.io/ganglion/ganglion-worker:0.1.0', homeLab), undefined);
});

test.run();
