import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatBytes, formatCores, parseQuantity } from './quantity.js';

test('parses CPU and memory quantities the way the API writes them', () => {
  assert.is(parseQuantity('4'), 4);
  assert.is(parseQuantity('3500m'), 3.5);
  assert.is(parseQuantity('8Gi'), 8 * 2 ** 30);
  assert.is(parseQuantity('7864320Ki'), 7864320 * 1024);
  assert.is(parseQuantity('1e3'), 1000);
  assert.is(parseQuantity('128M'), 128e6);
  assert.ok(Number.isNaN(parseQuantity('lots')));
  assert.ok(Number.isNaN(parseQuantity(undefined)));
});

test('formats bytes and cores for people', () => {
  assert.is(formatBytes(8 * 2 ** 30), '8 GiB');
  assert.is(formatBytes(7.55 * 2 ** 30), '7.6 GiB');
  assert.is(formatBytes(512), '512 B');
  assert.is(formatCores(3.5), '3.5');
  assert.is(formatCores(NaN), '?');
});

test.run();
