/** Tier routing: reads go small, mutating/multi-step/code work goes larger, missing models are skipped. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyCommand, missingModelNote, routeCommand, sameModel, stepUp } from './model-router.js';

const TIERS = ['llama3.1:405b', 'llama3.1:70b', 'llama3.1:8b'];
const ALL = ['llama3.1:405b', 'llama3.1:70b', 'llama3.1:8b'];
const route = (text: string, available = ALL) => routeCommand(classifyCommand(text), TIERS, available).model;

test('single read intents go to the smallest tier', () => {
  for (const t of ['Show me cluster status', 'List all failing pods', 'Get logs from the api-server pod', 'Run security scans on all container images']) assert.is(route(t), 'llama3.1:8b', t);
});

test('mutating or code work goes one tier up, combined work to the largest', () => {
  assert.is(route('Deploy placemyparents version 2.0'), 'llama3.1:70b');
  assert.is(route('Scale the web tier to 5 replicas'), 'llama3.1:70b');
  assert.is(route('Run tests on the staging branch'), 'llama3.1:70b');
  assert.is(route('Deploy my app and verify it works'), 'llama3.1:405b');
  assert.is(route('Review the code and deploy if good'), 'llama3.1:405b');
});

test('a missing tier is replaced by the nearest larger one, else a smaller one', () => {
  assert.is(route('Show me cluster status', ['llama3.1:70b', 'llama3.1:405b']), 'llama3.1:70b');
  assert.is(route('Review the code and deploy if good', ['llama3.1:8b']), 'llama3.1:8b');
  assert.is(route('Show me cluster status', ['qwen2.5:7b']), undefined);
  assert.equal(routeCommand(classifyCommand('x'), TIERS, ['llama3.1:8b']).missing, ['llama3.1:405b', 'llama3.1:70b']);
});

test('stepping up after an invalid answer skips missing tiers and stays at the top', () => {
  assert.is(stepUp('llama3.1:8b', TIERS, []), 'llama3.1:70b');
  assert.is(stepUp('llama3.1:8b', TIERS, ['llama3.1:70b']), 'llama3.1:405b');
  assert.is(stepUp('llama3.1:405b', TIERS, []), 'llama3.1:405b');
});

test('a bare model name means :latest, as Ollama lists it', () => {
  assert.ok(sameModel('qwen3', 'qwen3:latest'));
  assert.not.ok(sameModel('qwen3:8b', 'qwen3:latest'));
});

test('the missing-model note names each ollama pull', () => {
  assert.is(missingModelNote(['llama3.1:405b'], 'http://mac:11434'), 'model llama3.1:405b not on the Ollama server at http://mac:11434; run "ollama pull llama3.1:405b" there to use it');
  assert.is(missingModelNote([], 'h'), undefined);
});

test.run();
