import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadImageCatalog } from './image-catalog.js';
import { firstScriptCommand } from './container-command.js';
import { planStart, type ContainerShape } from './container-faults.js';

const catalog = loadImageCatalog();
const plan = (image: string, spec: ContainerShape, env: Record<string, string> = {}, serves?: string[]) =>
  planStart({ catalog, image, spec, env, podIP: '10.42.1.12', ...(serves ? { serves } : {}) });

test('a command naming a program the image lacks is containerd\'s StartError', () => {
  assert.is(plan('busybox:1.36', { command: ['perl', '-e', 'print 1'] }).startError,
    'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "perl": executable file not found in $PATH: unknown');
  assert.match(plan('busybox', { command: ['/bin/bash', '-c', 'echo hi'] }).startError ?? '', 'exec: "/bin/bash": stat /bin/bash: no such file or directory: unknown');
  assert.match(plan('python:3.12', { args: ['app.py'] }).startError ?? '', 'exec: "app.py"', 'args replace CMD: app.py is what runs');
  assert.equal(plan('redis:7', { command: ['redis-server', '--appendonly', 'yes'] }), {});
  assert.equal(plan('python:3.12-slim', { command: ['python', '-m', 'http.server'] }), {});
});

test('sh -c whose first command is missing exits 127 with the shell\'s own words', () => {
  assert.equal(plan('busybox:1.36', { command: ['sh', '-c', 'perl -e "print 1"'] }).failsFirst, { afterSeconds: 0.2, exitCode: 127, reason: 'Error', log: ['sh: perl: not found'] });
  assert.equal(plan('redis:7', { command: ['/bin/sh', '-c', 'exec python3 app.py'] }).failsFirst?.log, ['/bin/sh: 1: python3: not found']);
  assert.equal(plan('redis:7', { command: ['bash', '-c', 'FOO=1 python3 app.py && echo ok'] }).failsFirst?.log, ['bash: line 1: python3: command not found']);
  assert.equal(plan('busybox', { command: ['sh', '-c', 'perl x; sleep 3600'] }), {}, 'the script goes on after ;');
  assert.equal(plan('alpine:latest', { command: ['/bin/sh', '-c', 'while true; do tar czf /b.tgz /d; sleep 86400; done'] }), {});
});

test('firstScriptCommand finds the first simple command and whether it decides the exit status', () => {
  assert.equal(firstScriptCommand('  exec perl x'), { word: 'perl', decidesExit: true });
  assert.equal(firstScriptCommand('A=1 B=2 perl x && y'), { word: 'perl', decidesExit: true });
  assert.equal(firstScriptCommand('perl x || echo no'), { word: 'perl', decidesExit: false });
});

test('a memory limit below what the default program needs is OOMKilled; other programs are not judged', () => {
  assert.equal(plan('mysql:8.4', { resources: { limits: { memory: '256Mi' } } }, { MYSQL_ROOT_PASSWORD: 'x' }).exit, { afterSeconds: 1, exitCode: 137, reason: 'OOMKilled' });
  assert.equal(plan('mysql:8.4', { resources: { limits: { memory: '512Mi' } } }, { MYSQL_ROOT_PASSWORD: 'x' }), {});
  assert.equal(plan('mysql:8.4', { command: ['sleep', '3600'], resources: { limits: { memory: '16Mi' } } }), {});
  assert.equal(plan('redis:7.4-alpine', { resources: { limits: { memory: '4Mi' } } }).exit?.reason, 'OOMKilled');
});

test('default programs that need input or settings end as the official images do', () => {
  assert.equal(plan('busybox', {}).exit, { afterSeconds: 0.2, exitCode: 0, reason: 'Completed' });
  assert.equal(plan('busybox', { stdin: true }), {}, 'kubectl run -i keeps the shell open');
  assert.equal(plan('curlimages/curl:8.11.1', {}).exit?.exitCode, 2);
  const pg = plan('postgres:16', {});
  assert.is(pg.exit?.exitCode, 1);
  assert.match(pg.exit?.log?.[0] ?? '', 'superuser password is not specified');
  assert.equal(plan('postgres:16', {}, { POSTGRES_PASSWORD: 'pw' }), {});
});

test('probes to a port the image does not listen on are refused; a path it does not serve is a 404', () => {
  assert.is(plan('nginx:1.27', { readinessProbe: { httpGet: { path: '/healthz', port: 8080 } } }).readinessFailure,
    'Get "http://10.42.1.12:8080/healthz": dial tcp 10.42.1.12:8080: connect: connection refused');
  assert.is(plan('redis:7', { readinessProbe: { tcpSocket: { port: 6380 } } }).readinessFailure, 'dial tcp 10.42.1.12:6380: connect: connection refused');
  assert.equal(plan('redis:7', { ports: [{ name: 'redis', containerPort: 6379 }], readinessProbe: { tcpSocket: { port: 'redis' } } }), {});
  assert.is(plan('nginx:1.27', { readinessProbe: { httpGet: { path: '/healthz', port: 80 } } }).readinessFailure, 'HTTP probe failed with statuscode: 404');
  assert.equal(plan('nginx:1.27', { readinessProbe: { httpGet: { path: '/healthz', port: 80 } } }, {}, ['/healthz']), {});
  assert.match(plan('busybox', { command: ['sleep', '3600'], readinessProbe: { exec: { command: ['curl', '-f', 'localhost'] } } }).readinessFailure ?? '',
    /^OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in \$PATH: unknown$/);
  assert.equal(plan('registry.local/placemyparents:1.4', { readinessProbe: { httpGet: { path: '/healthz', port: 8080 } } }), {});
});

test('a failing liveness probe kills the container after failureThreshold periods', () => {
  const live = plan('nginx:1.27', { livenessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5, initialDelaySeconds: 2 } }).liveness;
  assert.equal(live, { afterSeconds: 17, failures: 3, exitCode: 0, reason: 'Completed', message: 'Get "http://10.42.1.12:8080/": dial tcp 10.42.1.12:8080: connect: connection refused' });
});

test('images the catalog does not know are not judged', () => {
  assert.equal(plan('registry.local/api-server:3.2.1', { command: ['perl'] }), {});
  assert.equal(plan('ubuntu:24.04', { command: ['perl'] }), {});
});

test.run();
