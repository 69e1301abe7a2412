import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closestNames, editDistance, nameScore } from './closest-names.js';

test('edit distance counts inserts, deletes and substitutions', () => {
  assert.is(editDistance('api-srv', 'api-server'), 3);
  assert.is(editDistance('kitten', 'sitting'), 3);
  assert.is(editDistance('', 'abc'), 3);
  assert.is(editDistance('same', 'same'), 0);
});

test('a prefix or substring ranks before any typo', () => {
  assert.ok(nameScore('api', 'api-server') < nameScore('api', 'apx'));
  assert.ok(nameScore('server', 'api-server') < 1);
  assert.is(nameScore('API-Server', 'api-server'), 0);
});

test('closestNames returns the nearest candidates by their best name, best first', () => {
  const pods = [
    { names: ['web-5c8d-aaaa', 'web'], value: 'web-5c8d-aaaa' },
    { names: ['api-server-7d9f4-x2k1p', 'api-server'], value: 'api-server-7d9f4-x2k1p' },
    { names: ['placemyparents-6b7c-q', 'placemyparents'], value: 'placemyparents-6b7c-q' },
  ];
  const out = closestNames('api-srv', pods, 2);
  assert.equal(out.map((o) => o.value), ['api-server-7d9f4-x2k1p', 'web-5c8d-aaaa']);
  assert.is(out[0]!.score, 3);
});

test.run();
