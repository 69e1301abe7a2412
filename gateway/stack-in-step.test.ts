/** stack.yml is the one registry: every function folder is in it, and every entry points at a function folder. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseStack } from '../stack/stack-file.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const stack = parseStack(readFileSync(path.join(root, 'stack.yml'), 'utf8'), {});
// Every folder directly under functions/ is a function; shared code lives elsewhere (kernel/, events/, cluster/, function-kit/, host/ …).
const folders = readdirSync(path.join(root, 'functions'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

test('every folder in functions/ is an entry of stack.yml', () => {
  const missing = folders.filter((name) => !(name in stack.functions));
  assert.equal(missing, [], `add these to stack.yml (or move shared code out of functions/): ${missing.join(', ')}`);
});

test('every stack.yml entry points at ./functions/<its name> holding handler.ts and schema.ts', () => {
  for (const [name, fn] of Object.entries(stack.functions)) {
    assert.is(fn.handler.replace(/\/$/, ''), `./functions/${name}`, `${name}: handler must be ./functions/${name}`);
    assert.ok(existsSync(path.join(root, 'functions', name, 'handler.ts')), `${name}: functions/${name}/handler.ts is missing`);
    assert.ok(existsSync(path.join(root, 'functions', name, 'schema.ts')), `${name}: functions/${name}/schema.ts is missing`);
    assert.is(fn.lang, 'ganglion-ts', `${name}: lang must name the ganglion-ts template`);
  }
});

test('stack.yml is valid for faas-cli: version 1.0 and provider openfaas', () => {
  assert.is(stack.version, '1.0');
  assert.is(stack.provider.name, 'openfaas');
});

test.run();
