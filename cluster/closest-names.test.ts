import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { closestCandidates, closestNames, editDistance, nameScore, normaliseName } from './closest-names.js';

const test = suite('closest-names');

test('edit distance counts inserts, deletes and substitutions, and stops early past a maximum', () => {
  assert.is(editDistance('api-srv', 'api-server'), 3);
  assert.is(editDistance('kitten', 'sitting'), 3);
  assert.is(editDistance('', 'abc'), 3);
  assert.is(editDistance('same', 'same'), 0);
  assert.is(editDistance('placemyparent', 'placemyparents', 2), 1);
  assert.is(editDistance('redis', 'postgres', 2), 3);
});

test('names are compared as typed by a person: case, spaces and underscores do not count', () => {
  assert.is(normaliseName('  API Server_v2 '), 'api-server-v2');
  assert.is(nameScore('API Server', 'api-server'), 0);
});

test('a prefix or substring ranks before any typo', () => {
  assert.ok(nameScore('api', 'api-server') < nameScore('api', 'apx'));
  assert.ok(nameScore('api', 'api-server') < nameScore('server', 'api-server'));
  assert.ok(nameScore('server', 'api-server') < 1);
});

test('closestCandidates ranks candidates by their best name, best first', () => {
  const pods = [
    { names: ['web-5c8d-aaaa', 'web'], value: 'web-5c8d-aaaa' },
    { names: ['api-server-7d9f4-x2k1p', 'api-server'], value: 'api-server-7d9f4-x2k1p' },
    { names: ['placemyparents-6b7c-q', 'placemyparents'], value: 'placemyparents-6b7c-q' },
  ];
  const out = closestCandidates('api-srv', pods, 2);
  assert.equal(out.map((o) => o.value), ['api-server-7d9f4-x2k1p', 'web-5c8d-aaaa']);
  assert.is(out[0]!.score, 3);
});

test('the same names give the same hint whatever order the cluster listed them in, each name once', () => {
  const names = ['redis', 'frontend', 'postgres', 'api-server', 'frontend', 'notifier'];
  const hint = closestNames('frontnd', names);
  assert.equal(hint, ['frontend', 'redis', 'postgres']);
  assert.equal(closestNames('frontnd', [...names].reverse()), hint);
  // equal scores fall back to name order, not list order
  assert.equal(closestNames('zz', ['bb', 'aa']), ['aa', 'bb']);
});

test.run();
