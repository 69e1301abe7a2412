/**
 * Path and name tricks (dot segments, encoded slashes, odd function and Kubernetes names) and SSRF callback targets:
 * each is refused with a specific 4xx or lands on a harmless route; nothing is applied or queued.
 */
import os from 'node:os';
import { lookup } from 'node:dns/promises';
import * as assert from 'uvu/assert';
import { addressAllowed } from '../../gateway/callback-policy.js';
import { codeOf, hostileGroup, type HostileCase } from '../../testing/hostile-group.js';
import { startHostileStack, type HostileStack } from '../../testing/hostile-stack.js';

const stack: HostileStack = await startHostileStack();
const it = () => stack;
const JSON_TYPE = { 'content-type': 'application/json' };
const COMMAND = '{"text":"Scale placemyparents to 0 replicas","context":{"yes":true}}';

/** [case, method, target, headers, body, status, text the answer holds] */
type Row = [string, string, string, Record<string, string>, string, number, string];
const rows = (list: Row[]): HostileCase[] => list.map(([name, method, target, headers, body, status, text]) => ({
  name: `${name}: ${method} ${target.slice(0, 80)} → ${status}`,
  async run() {
    const r = await stack.send(method, target, headers, body);
    assert.is(r.status, status, `${codeOf(r.body)}`);
    if (text) assert.match(r.body, text);
  },
}));

// Without credentials: a path that normalises into /system must still meet /system's credential check.
const anonymous = { authorization: '', ...JSON_TYPE };
const paths: Row[] = [
  ['dot segments into /system', 'GET', '/function/../system/functions', anonymous, '', 401, ''],
  ['dot segments into /system', 'DELETE', '/function/../system/functions', anonymous, '{"functionName":"scale"}', 401, ''],
  ['dot segments into /system', 'PUT', '/function/planner/../../system/secrets', anonymous, '{"name":"x","value":"y"}', 401, ''],
  ['%2e%2e into /system', 'GET', '/function/%2e%2e/system/functions', anonymous, '', 401, ''],
  ['%2E%2E into /system', 'DELETE', '/function/%2E%2E/system/functions', anonymous, '{"functionName":"scale"}', 401, ''],
  ['.%2e into /system', 'GET', '/async-function/.%2e/system/async/queue', anonymous, '', 401, ''],
  ['encoded slashes in the function name', 'GET', '/function/planner%2F..%2F..%2Fsystem%2Ffunctions', {}, '', 404, 'no route'],
  ['encoded slashes into scale', 'POST', '/function/planner%2F..%2Fscale', JSON_TYPE, '{"name":"placemyparents","namespace":"apps","replicas":0}', 404, 'no route'],
  ['backslashes (read as slashes) into /system', 'GET', '/function/..\\system\\functions', anonymous, '', 401, ''],
  ['a double slash', 'POST', '//function/planner', JSON_TYPE, COMMAND, 404, 'no route'],
  ['a NUL in the name', 'POST', '/function/scale%00', JSON_TYPE, '{}', 404, 'no route'],
  ['dot segments from async into scale', 'POST', '/async-function/../function/scale', JSON_TYPE, '{"name":"placemyparents","namespace":"apps","replicas":0}', 403, 'approval_required'],
  ['dot segments from planner into scale', 'POST', '/function/planner/../scale', JSON_TYPE, '{"name":"placemyparents","namespace":"apps","replicas":0}', 403, 'approval_required'],
  ['a run id with encoded dot segments', 'GET', '/function/planner/runs/..%2F..%2Fsecrets', {}, '', 404, ''],
  ['a run id of 300 characters', 'GET', `/function/planner/runs/${'r'.repeat(300)}`, {}, '', 404, ''],
  ['a unicode run id', 'GET', '/function/planner/runs/%D1%80%D0%B0%D0%BD', {}, '', 404, ''],
  ['an approve for a run id with dot segments', 'POST', '/function/planner/runs/..%2f..%2frun-x/approve', JSON_TYPE, '{"token":"x"}', 404, ''],
  ['a negative list limit', 'GET', '/function/planner/runs?limit=-1', {}, '', 400, 'bad_request'],
  ['a huge list limit', 'GET', '/function/planner/runs?limit=99999999999', {}, '', 400, 'bad_request'],
  ['a list limit that is not a number', 'GET', '/function/planner/runs?limit=1;DROP', {}, '', 400, 'bad_request'],
];
for (const name of ['scale.kube-system', 'scale.openfaas-fn.evil', 'SCALE', 'sc%61le.other', 'scale..', '.scale', 'scale.openfaas', `${'s'.repeat(300)}`, 'scale\u00e9'.normalize()]) {
  paths.push([`function name "${name}"`, 'POST', `/function/${encodeURI(name)}`, JSON_TYPE, '{"name":"placemyparents","namespace":"apps","replicas":0}', 404, '']);
}

// Kubernetes names a caller might try in a tool's input: a dry run, so the name is all that is judged.
const names: Row[] = [];
for (const [label, name, status] of [
  ['..', '..', 404], ['a..b', 'placemyparents..', 404], ['uppercase', 'PlaceMyParents', 404], ['300 characters', 'p'.repeat(300), 400],
  ['unicode', 'plàcemyparents', 404], ['a path', 'apps/placemyparents', 404], ['dot segments', '../placemyparents', 404],
  ['a shell command', 'placemyparents;kubectl delete ns apps', 404], ['a label selector', 'app=placemyparents', 404], ['empty', '', 400],
] as const) {
  names.push([`scale dry run of a Deployment named ${label}`, 'POST', '/function/scale', JSON_TYPE, JSON.stringify({ name, namespace: 'apps', replicas: 0, dryRun: true }), status, '']);
}
for (const [label, namespace] of [['..', '..'], ['kube-system/../apps', 'kube-system/../apps'], ['uppercase', 'APPS'], ['unicode', 'аpps']] as const) {
  names.push([`scale dry run in a namespace named ${label}`, 'POST', '/function/scale', JSON_TYPE, JSON.stringify({ name: 'placemyparents', namespace, replicas: 0, dryRun: true }), 400, 'invalid_input']);
}
for (const name of ['../../etc/passwd', '*', 'kube-system/coredns']) {
  names.push([`pod-logs of a pod named ${name}`, 'POST', '/function/pod-logs', JSON_TYPE, JSON.stringify({ name, namespace: 'apps' }), 404, 'pod_not_found']);
}

// Every refused callback carries a command that would scale placemyparents to 0 if it were queued.
const CALLBACKS = [
  'http://127.0.0.1:8080/cb', 'http://127.1/cb', 'http://2130706433/cb', 'http://0x7f000001/cb', 'http://0x7f.1/cb', 'http://017700000001/cb',
  'http://[::1]/cb', 'http://[::ffff:127.0.0.1]/cb', 'http://[0:0:0:0:0:0:0:1]/cb', 'http://0.0.0.0/cb', 'http://10.0.0.1/cb', 'http://10.255.255.254/cb',
  'http://172.16.0.1/cb', 'http://172.31.255.254/cb', 'http://192.168.1.1/cb', 'http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/cb',
  'http://[fd00:ec2::254]/cb', 'http://100.64.0.1/cb', 'http://[64:ff9b::a9fe:a9fe]/cb', 'http://[64:ff9b::7f00:1]/cb', 'http://[2002:7f00:1::1]/cb',
  'http://localhost/cb', 'http://LOCALHOST./cb', 'file:///etc/passwd', 'gopher://127.0.0.1:6379/_FLUSHALL', 'ftp://example.com/x',
  'http://user:pw@example.com/cb', '/relative/cb', 'http://no-such-host.invalid/cb',
];
// This machine's own name resolves to one of its own addresses: a DNS name that points inside is refused too.
const own = os.hostname();
const ownAddress = await lookup(own).then((a) => a.address, () => '');
if (ownAddress && !addressAllowed(ownAddress)) CALLBACKS.push(`http://${own}:8080/cb`);
const queueEmpty = async () => {
  const r = await stack.send('GET', '/system/async/queue', { authorization: 'Basic ' + Buffer.from(`admin:${stack.gw.password}`).toString('base64') });
  return JSON.parse(r.body) as { pending: number; inFlight: number };
};
const ssrf: HostileCase[] = CALLBACKS.map((url) => ({
  name: `X-Callback-Url ${url} → 400, nothing queued`,
  async run() {
    const r = await stack.send('POST', '/async-function/planner', { ...JSON_TYPE, 'x-callback-url': url }, COMMAND);
    assert.is(r.status, 400, r.body.slice(0, 200));
    assert.match(r.body, /X-Callback-Url|callback/i);
    const q = await queueEmpty();
    assert.equal([q.pending, q.inFlight], [0, 0]);
  },
}));

const groups = [
  hostileGroup('path tricks', it, rows(paths)),
  hostileGroup('Kubernetes name tricks', it, rows(names)),
  hostileGroup('SSRF callback targets', it, ssrf),
];
groups[groups.length - 1]?.after(() => stack.stop());
for (const g of groups) g.run();
