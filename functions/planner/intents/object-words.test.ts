import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { imageIn, limitsIn, nameAfter, namespaceIn, pairsIn, portIn, replicasIn, targetPortIn } from './object-words.js';
import { homeLabFacts } from '../testing/home-lab-facts.js';

test('limits: binary units in any case, decimal ones only capitalised, since 500m is half a CPU', () => {
  assert.equal(limitsIn('cpu limit 500m and memory limit 256Mi'), { cpu: '500m', memory: '256Mi' });
  assert.equal(limitsIn('limits of 256mi memory and 500m cpu'), { cpu: '500m', memory: '256Mi' });
  assert.equal(limitsIn('with 1Gi of memory and 2 cores'), { cpu: '2', memory: '1Gi' });
  assert.equal(limitsIn('memory 512M'), { memory: '512M' });
  assert.equal(limitsIn('a pod called x'), {});
});

test('namespace: "in namespace qa", "in the apps namespace", "-n qa", and a bare "in apps" only when the cluster has it', () => {
  const facts = homeLabFacts();
  assert.is(namespaceIn('create a pod in namespace qa', facts), 'qa');
  assert.is(namespaceIn('deny all ingress to the apps namespace', facts), 'apps');
  assert.is(namespaceIn('create configmap x -n qa', facts), 'qa');
  assert.is(namespaceIn('create a role pod-reader in apps that can get pods', facts), 'apps');
  assert.is(namespaceIn('create a pod in seconds', facts), undefined);
});

test('names, images, replicas, ports and KEY=value pairs as written', () => {
  assert.is(nameAfter('create a deployment web2 with image nginx:1.27', 'deployments?'), 'web2');
  assert.is(nameAfter('Create an nginx pod called frontend-test in namespace qa', 'pods?'), 'frontend-test');
  assert.is(nameAfter('create a pod with limits', 'pods?'), undefined);
  assert.is(imageIn('Create an nginx pod called frontend-test', 'pods?'), 'nginx');
  assert.is(imageIn('create a deployment web2 with image nginx:1.27 and 3 replicas', 'deployments?'), 'nginx:1.27');
  assert.is(imageIn('create a new pod called x', 'pods?'), undefined);
  assert.is(replicasIn('with three replicas'), 3);
  assert.is(portIn('expose deployment web2 on port 80'), 80);
  assert.is(portIn('image nginx:1.27 only'), undefined);
  assert.equal(pairsIn('with LOG_LEVEL=debug, FEATURE_X="on now"'), { LOG_LEVEL: 'debug', FEATURE_X: 'on now' });
  assert.equal(pairsIn('in namespace qa with LOG_LEVEL set to debug and MODE to fast'), { LOG_LEVEL: 'debug', MODE: 'fast' });
  assert.equal(pairsIn('Create a configmap called app-settings in namespace qa'), {});
  assert.is(portIn('as a service on port 80, sending traffic to container port 8080'), 80);
  assert.is(portIn('on container port 8080 as port 80'), 80);
  assert.is(targetPortIn('on port 80, sending traffic to container port 8080'), 8080);
  assert.is(targetPortIn('expose deployment web2 on port 80'), undefined);
});

test.run();
