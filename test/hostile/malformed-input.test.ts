/**
 * Malformed and oversized input: broken CloudEvents, invalid or hostile JSON, bodies past GANGLION_MAX_BODY_BYTES,
 * huge headers and 10,000-deep nesting are each refused with a specific 4xx; nothing runs and the gateway keeps serving.
 */
import * as assert from 'uvu/assert';
import { codeOf, hostileGroup, type HostileCase } from '../../testing/hostile-group.js';
import { startHostileStack, type HostileStack } from '../../testing/hostile-stack.js';

const MAX_BODY = 256 * 1024;
const stack: HostileStack = await startHostileStack({ env: { GANGLION_MAX_BODY_BYTES: String(MAX_BODY) } });
const it = () => stack;

const SCALE = '{"name":"placemyparents","namespace":"apps","replicas":0}';
const COMMAND = '{"text":"Scale placemyparents to 0 replicas","context":{"yes":true}}';
const ce = (attrs: Record<string, string>) => ({ 'content-type': 'application/json', ...attrs });
// Each case its own event id: a repeat of an id already answered would be a replay, answered from memory.
let seq = 0;
const full = () => ({ 'ce-specversion': '1.0', 'ce-id': `hostile-${++seq}`, 'ce-source': '/hostile', 'ce-type': 'dev.ganglion.command' });
const without = (name: string) => Object.fromEntries(Object.entries(full()).filter(([k]) => k !== name));

/** [case, target, headers, body, status, code] */
type Row = [string, string, Record<string, string>, string, number, string];
const rows = (list: Row[]): HostileCase[] => list.map(([name, target, headers, body, status, code]) => ({
  name: `${name} → ${status} ${code}`,
  async run() {
    const r = await stack.send('POST', target, headers, body);
    assert.is(r.status, status, r.body.slice(0, 200));
    assert.match(r.body, code);
  },
}));

const cloudEvents: Row[] = [];
for (const target of ['/function/planner', '/function/scale']) {
  for (const attr of ['ce-id', 'ce-source', 'ce-type']) cloudEvents.push([`${target}: binary CloudEvent without ${attr}`, target, ce(without(attr)), target.endsWith('scale') ? SCALE : COMMAND, 400, 'invalid_cloudevent']);
  for (const v of ['0.3', '2.0', '1', '', '1.0.0']) cloudEvents.push([`${target}: ce-specversion "${v}"`, target, ce({ ...full(), 'ce-specversion': v }), COMMAND, 400, 'invalid_cloudevent']);
  cloudEvents.push([`${target}: ce-datacontenttype in binary mode`, target, ce({ ...full(), 'ce-datacontenttype': 'application/json' }), COMMAND, 400, 'invalid_cloudevent']);
  cloudEvents.push([`${target}: ce-time that is not a timestamp`, target, ce({ ...full(), 'ce-time': 'yesterday' }), COMMAND, 400, 'invalid_cloudevent']);
  cloudEvents.push([`${target}: ce-id of blanks`, target, ce({ ...full(), 'ce-id': '   ' }), COMMAND, 400, 'invalid_cloudevent']);
  cloudEvents.push([`${target}: extension name with capitals and dashes`, target, ce({ ...full(), 'ce-Bad-Name_X': 'v' }), COMMAND, 400, 'invalid_cloudevent']);
  cloudEvents.push([`${target}: batched CloudEvents`, target, { 'content-type': 'application/cloudevents-batch+json' }, `[${COMMAND}]`, 415, 'unsupported_media_type']);
}
const structured = { 'content-type': 'application/cloudevents+json' };
cloudEvents.push(
  ['structured CloudEvent that is not JSON', '/function/planner', structured, 'not json', 400, 'invalid_json'],
  ['structured CloudEvent that is an array', '/function/planner', structured, '[1,2]', 400, 'invalid_cloudevent'],
  ['structured CloudEvent without id', '/function/planner', structured, '{"specversion":"1.0","source":"/x","type":"dev.ganglion.command","data":{"text":"x"}}', 400, 'invalid_cloudevent'],
  ['structured CloudEvent with specversion 0.3', '/function/planner', structured, '{"specversion":"0.3","id":"abcdef1","source":"/x","type":"dev.ganglion.command"}', 400, 'invalid_cloudevent'],
  ['structured CloudEvent with both data and data_base64', '/function/planner', structured, '{"specversion":"1.0","id":"abcdef2","source":"/x","type":"t","data":{},"data_base64":"e30="}', 400, 'invalid_cloudevent'],
  ['structured CloudEvent whose id is a number', '/function/planner', structured, '{"specversion":"1.0","id":7,"source":"/x","type":"t"}', 400, 'invalid_cloudevent'],
  // A content type the runtime does not read as JSON leaves the data text: scale then sees a string, not its input.
  ['binary CloudEvent to scale whose content type is application/x-evil', '/function/scale', { ...full(), 'content-type': 'application/x-evil' }, '{"name":"placemyparents","namespace":"apps","replicas":0,"dryRun":true}', 400, 'invalid_input'],
  ['binary CloudEvent to scale whose content type is text/html', '/function/scale', { ...full(), 'content-type': 'text/html' }, '{"name":"placemyparents","namespace":"apps","replicas":0,"dryRun":true}', 400, 'invalid_input'],
);

const json: Row[] = [];
for (const [label, body] of [['truncated', '{"name":'], ['trailing comma', '{"name":"x",}'], ['single quotes', "{'name':'x'}"], ['NaN', '{"replicas":NaN}'], ['trailing garbage', '{"name":"x"} {"name":"y"}'], ['a lone brace', '{'], ['invalid UTF-8', '{"name":"\xff\xfe"'], ['comments', '{/* hi */"name":"x"}']]) {
  json.push([`JSON body to scale: ${label}`, '/function/scale', { 'content-type': 'application/json' }, body as string, 400, 'invalid_json']);
}
for (const [label, body] of [['null', 'null'], ['an array', '[]'], ['a number', '42'], ['a string', '"placemyparents"'], ['an empty object', '{}']]) {
  json.push([`JSON body to scale that is ${label}`, '/function/scale', { 'content-type': 'application/json' }, body as string, 400, 'invalid_input']);
}
for (const [label, input] of [
  ['replicas as a string', { name: 'placemyparents', namespace: 'apps', replicas: '0' }],
  ['replicas -1', { name: 'placemyparents', namespace: 'apps', replicas: -1 }],
  ['replicas 1.5', { name: 'placemyparents', namespace: 'apps', replicas: 1.5 }],
  ['replicas 1e9', { name: 'placemyparents', namespace: 'apps', replicas: 1e9 }],
  ['a numeric name', { name: 123, namespace: 'apps', replicas: 1 }],
  // dryRun: true, so the schema and not the approval gate is what refuses it
] as const) json.push([`scale dry run with ${label}`, '/function/scale', { 'content-type': 'application/json' }, JSON.stringify({ ...input, dryRun: true }), 400, 'invalid_input']);
json.push(
  ['scale input smuggling approval through __proto__', '/function/scale', { 'content-type': 'application/json' }, '{"name":"placemyparents","namespace":"apps","replicas":0,"__proto__":{"approved":true,"dryRun":false}}', 403, 'approval_required'],
  // Unknown keys are dropped by the schema: the safe outcome is the dry run the caller asked for, nothing applied.
  ['scale dry run with an unknown field force:true', '/function/scale', { 'content-type': 'application/json' }, '{"name":"placemyparents","namespace":"apps","replicas":0,"dryRun":true,"force":true}', 200, 'would set replicas'],
  ['scale dry run smuggling dryRun:false through __proto__', '/function/scale', { 'content-type': 'application/json' }, '{"name":"placemyparents","namespace":"apps","replicas":0,"dryRun":true,"__proto__":{"dryRun":false}}', 200, 'would set replicas'],
  ['planner command with an unknown context key', '/function/planner', { 'content-type': 'application/json' }, '{"text":"Scale placemyparents to 0","context":{"yes":true,"approvedBy":"admin"}}', 400, 'invalid_input'],
  ['planner command with context.yes as a string', '/function/planner', { 'content-type': 'application/json' }, '{"text":"Scale placemyparents to 0","context":{"yes":"true"}}', 400, 'invalid_input'],
  ['planner command whose text is an object', '/function/planner', { 'content-type': 'application/json' }, '{"text":{"$ne":""}}', 400, 'invalid_input'],
  ['planner command that is empty JSON', '/function/planner', { 'content-type': 'application/json' }, '{}', 400, 'invalid_input'],
);

const big = (n: number) => `{"text":"${'x'.repeat(n)}"}`;
const oversized: HostileCase[] = [
  ...rows([
    ['planner body one byte over GANGLION_MAX_BODY_BYTES', '/function/planner', { 'content-type': 'application/json' }, big(MAX_BODY - 10), 413, 'over the limit'],
    ['async planner body four times the limit', '/async-function/planner', { 'content-type': 'application/json' }, big(MAX_BODY * 4), 413, 'over the limit'],
    ['scale body over the limit', '/function/scale', { 'content-type': 'application/json' }, big(MAX_BODY), 413, 'over the limit'],
    ['a text/plain body over the limit', '/function/planner', { 'content-type': 'text/plain' }, 'y'.repeat(MAX_BODY + 1), 413, 'over the limit'],
  ]),
  ...[
    ['one 20 KB header', { 'x-big': 'a'.repeat(20_000) }, '/function/planner'],
    ['2,000 small headers', Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`x-h${i}`, 'vvvvvvvvvv'])), '/function/planner'],
    ['a 20 KB request target', {}, `/function/planner?${'q'.repeat(20_000)}`],
    ['a 20 KB ce-id header', { ...full(), 'ce-id': 'i'.repeat(20_000) }, '/function/planner'],
  ].map(([label, headers, target]) => ({
    name: `${label} → 431`,
    async run() {
      const r = await stack.send('POST', target as string, { 'content-type': 'application/json', ...(headers as Record<string, string>) }, COMMAND);
      assert.is(r.status, 431, r.body.slice(0, 200));
    },
  })),
];

const DEPTH = 10_000;
const arrays = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const objects = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);
const nesting: HostileCase[] = [
  ['10,000-deep arrays to the planner', '/function/planner', { 'content-type': 'application/json' }, arrays],
  ['10,000-deep objects to the planner', '/function/planner', { 'content-type': 'application/json' }, objects],
  ['10,000-deep objects inside the planner\'s context', '/function/planner', { 'content-type': 'application/json' }, `{"text":"Scale placemyparents to 0","context":${objects}}`],
  ['10,000-deep objects to scale', '/function/scale', { 'content-type': 'application/json' }, objects],
  ['10,000-deep objects as a binary CloudEvent\'s data', '/function/planner', ce({ ...full(), 'ce-id': 'deep-binary-1' }), objects],
  ['10,000-deep objects as a structured CloudEvent\'s data', '/function/planner', structured, `{"specversion":"1.0","id":"deep-structured-1","source":"/x","type":"dev.ganglion.command","data":${objects}}`],
  ['100,000-deep arrays to scale', '/function/scale', { 'content-type': 'application/json' }, '['.repeat(100_000) + ']'.repeat(100_000)],
  ['10,000-deep text/plain that looks like JSON', '/function/scale', { 'content-type': 'text/plain' }, objects],
  ['10,000-deep arrays to the approve route', '/function/planner/runs/run-abc123/approve', { 'content-type': 'application/json' }, arrays],
].map(([label, target, headers, body]) => ({
  name: `${label} → 4xx, and the next request is served`,
  async run() {
    const r = await stack.send('POST', target as string, headers as Record<string, string>, body as string);
    assert.ok(r.status >= 400 && r.status < 500, `${r.status} ${codeOf(r.body)}`);
    assert.is((await stack.send('GET', '/healthz')).status, 200);
  },
}));

const groups = [
  hostileGroup('malformed CloudEvents', it, rows(cloudEvents)),
  hostileGroup('malformed JSON', it, rows(json)),
  hostileGroup('oversized bodies and headers', it, oversized),
  hostileGroup('deep nesting', it, nesting),
];
groups[groups.length - 1]?.after(() => stack.stop());
for (const g of groups) g.run();
