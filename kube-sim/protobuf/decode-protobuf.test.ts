import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeStatusError } from '../kube-status-error.js';
import { decodeKubernetesProtobuf, decodeMessage } from './decode-protobuf.js';

// a minimal protobuf writer, enough to build what kubectl sends
function varint(n: number): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (v >= 128n) {
    out.push(Number(v & 127n) | 128);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const bytesField = (no: number, value: Buffer | string) => {
  const b = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.from([...varint(no * 8 + 2), ...varint(b.length), ...b]);
};
const intField = (no: number, value: number) => Buffer.from([...varint(no * 8), ...varint(value)]);
const msg = (...parts: Buffer[]) => Buffer.concat(parts);
const mapEntry = (no: number, key: string, value: Buffer | string) => bytesField(no, msg(bytesField(1, key), bytesField(2, value)));

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([Buffer.from('k8s\0', 'binary'), msg(bytesField(1, msg(bytesField(1, apiVersion), bytesField(2, kind))), bytesField(2, raw))]);
}

test('a ConfigMap in a k8s protobuf envelope decodes to its JSON form: maps, bytes as base64, timestamps as RFC 3339', () => {
  const metadata = msg(bytesField(1, 'settings'), bytesField(3, 'web'), bytesField(8, msg(intField(1, 1767225600))), mapEntry(11, 'app', 'web'));
  const body = envelope('v1', 'ConfigMap', msg(bytesField(1, metadata), mapEntry(2, 'mode', 'prod'), mapEntry(2, 'level', 'debug'), mapEntry(3, 'blob', Buffer.from([0, 1, 2]))));
  assert.equal(decodeKubernetesProtobuf(body), {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'web', creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'web' } },
    data: { mode: 'prod', level: 'debug' },
    binaryData: { blob: 'AAEC' },
  });
});

test('an explicit zero survives where Go uses a pointer (replicas), Go zero values elsewhere are left out, negatives decode', () => {
  const spec = msg(intField(1, 0), intField(5, 0));
  assert.equal(decodeMessage(spec, 'k8s.io.api.apps.v1.DeploymentSpec'), { replicas: 0 });
  assert.equal(decodeMessage(msg(intField(1, -1), intField(2, 9)), 'k8s.io.api.core.v1.ContainerStateTerminated'), { exitCode: -1, signal: 9 });
});

test('a body without the k8s prefix is a 400', () => {
  try {
    decodeKubernetesProtobuf(Buffer.from('{"kind":"Pod"}'));
    assert.unreachable();
  } catch (err) {
    assert.instance(err, KubeStatusError);
    assert.is((err as KubeStatusError).code, 400);
  }
});

test.run();
