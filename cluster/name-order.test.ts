import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareNames } from './name-order.js';

test('names sort in the API server\'s byte order: "-" and "." before digits, digits before letters, no numeric collation', () => {
  const names = ['web/nginx', 'apps/api-server-2', 'apps/api-server-10', 'apps/api.v2', 'apps/api-server', 'apps/api1', 'apps/apiserver'];
  assert.equal([...names].sort(compareNames), ['apps/api-server', 'apps/api-server-10', 'apps/api-server-2', 'apps/api.v2', 'apps/api1', 'apps/apiserver', 'web/nginx']);
  assert.is(compareNames('a', 'a'), 0);
});

test.run();
