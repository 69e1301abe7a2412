import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLogger } from './logger.js';

const loggerModule = fileURLToPath(new URL('./logger.js', import.meta.url));

/** Runs a small script against kernel/logger in a fresh process and returns what it wrote to stderr. */
function stderrOf(script: string): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { createLogger } from ${JSON.stringify(loggerModule)};\n${script}`], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return r.stderr;
}

test('lines at or above the level are written as pino JSON to stderr; lines below are not', () => {
  const lines = stderrOf(`const log = createLogger({ name: 'fn', level: 'warn' });
log.info('not this'); log.debug({ a: 1 }, 'nor this'); log.warn({ pod: 'p-1' }, 'restarting'); log.error(new Error('boom'), 'failed');`)
    .trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.is(lines.length, 2);
  assert.is(lines[0]?.level, 40);
  assert.is(lines[0]?.name, 'fn');
  assert.is(lines[0]?.pod, 'p-1');
  assert.is(lines[0]?.msg, 'restarting');
  assert.is(lines[1]?.level, 50);
  assert.match(String((lines[1]?.err as { message?: string })?.message), 'boom');
});

test('a child logger carries its bindings and may lower its own level', () => {
  const lines = stderrOf(`const log = createLogger({ name: 'gateway', level: 'warn' });
const child = log.child({ fn: 'deploy' }, { level: 'info' });
child.info('started'); log.info('hidden');`)
    .trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.is(lines.length, 1);
  assert.is(lines[0]?.fn, 'deploy');
  assert.is(lines[0]?.msg, 'started');
});

test('level checks and changes behave as pino\'s', () => {
  const log = createLogger({ name: 't', level: 'warn' });
  assert.is(log.level, 'warn');
  assert.ok(log.isLevelEnabled('error'));
  assert.not.ok(log.isLevelEnabled('info'));
  log.level = 'debug';
  assert.is(log.level, 'debug');
  assert.ok(log.isLevelEnabled('info'));
  assert.not.ok(createLogger({ name: 't', level: 'silent' }).isLevelEnabled('fatal'));
});

test('an unknown level is refused at once, naming the setting', () => {
  assert.throws(() => createLogger({ name: 't', level: 'verbose' }), /log level "verbose" \(LOG_LEVEL\) is not one of trace, debug, info, warn, error, fatal, silent/);
});

test.run();
