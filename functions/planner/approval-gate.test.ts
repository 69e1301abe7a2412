/** Approval tokens: safe to type as a command-line argument, and only their hash is kept. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hashToken, newToken } from './approval-gate.js';

test('a new token is 48 hex characters, so it never starts with "-" and reads as an option on the command line', () => {
  for (let i = 0; i < 2000; i++) {
    const { token } = newToken();
    assert.match(token, /^[0-9a-f]{48}$/);
  }
});

test('the hash the run keeps is the SHA-256 of the token, and two tokens differ', () => {
  const a = newToken();
  const b = newToken();
  assert.is(a.hash, hashToken(a.token).toString('hex'));
  assert.is.not(a.token, b.token);
  assert.is.not(a.hash, a.token);
});

test.run();
