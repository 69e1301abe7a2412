import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../kernel/logger.js';
import { createCronScheduler, type Schedule } from './cron-scheduler.js';
import { createScheduleStore } from './schedule-store.js';

const log = createLogger({ name: 'test', level: 'silent' });

function setup(home = mkdtempSync(os.tmpdir() + '/g-')) {
  let clock = new Date('2026-03-02T12:00:10Z');
  const fired: string[] = [];
  const scheduler = createCronScheduler({ store: createScheduleStore(home), log, now: () => clock, fire: async (s: Schedule) => { fired.push(s.id); } });
  scheduler.setStackSchedules([
    { function: 'pod-health', annotations: { topic: 'cron-function', schedule: '*/5 * * * *' } },
    { function: 'report', annotations: { topic: 'cron-function', schedule: '@hourly' } },
    { function: 'other', annotations: { topic: 'kafka', schedule: '* * * * *' } },
    { function: 'broken', annotations: { topic: 'cron-function', schedule: 'every now and then' } },
  ]);
  return { home, scheduler, fired, at: (iso: string) => { clock = new Date(iso); } };
}

test('stack.yml cron-function schedules fire within their minute, once per minute; other topics and bad schedules are skipped', async () => {
  const { scheduler, fired, at } = setup();
  assert.equal((await scheduler.tick()).sort(), ['stack:pod-health', 'stack:report']);
  at('2026-03-02T12:00:50Z');
  assert.equal(await scheduler.tick(), [], 'not twice in the same minute');
  at('2026-03-02T12:01:00Z');
  assert.equal(await scheduler.tick(), []);
  at('2026-03-02T12:05:30Z');
  assert.equal(await scheduler.tick(), ['stack:pod-health']);
  assert.equal(fired.sort(), ['stack:pod-health', 'stack:pod-health', 'stack:report']);
  assert.equal(scheduler.list().map((s) => s.id).sort(), ['stack:pod-health', 'stack:report']);
});

test('a restart in the same minute does not fire a schedule again', async () => {
  const first = setup();
  first.at('2026-03-02T12:05:05Z');
  assert.equal(await first.scheduler.tick(), ['stack:pod-health']);
  const second = setup(first.home);
  second.at('2026-03-02T12:05:40Z');
  assert.equal(await second.scheduler.tick(), []);
  assert.equal(second.fired, []);
  second.at('2026-03-02T12:10:01Z');
  assert.equal(await second.scheduler.tick(), ['stack:pod-health']);
});

test('descriptors and @every schedule from annotations too; a schedule cron-connector cannot parse is skipped, not fired', async () => {
  const home = mkdtempSync(os.tmpdir() + '/g-');
  let clock = new Date('2026-03-03T03:30:00Z');
  const fired: string[] = [];
  const scheduler = createCronScheduler({ store: createScheduleStore(home), log, now: () => clock, fire: async (s: Schedule) => { fired.push(s.id); } });
  scheduler.setStackSchedules([
    { function: 'nightly', annotations: { topic: 'cron-function', schedule: '30 3 * * *' } },
    { function: 'often', annotations: { topic: 'cron-function', schedule: '@every 10m' } },
    { function: 'six', annotations: { topic: 'cron-function', schedule: '0 0 3 * * *' } },
  ]);
  assert.equal((await scheduler.tick()).sort(), ['stack:nightly', 'stack:often']);
  clock = new Date('2026-03-03T03:35:00Z');
  assert.equal(await scheduler.tick(), []);
  clock = new Date('2026-03-03T03:40:00Z');
  assert.equal(await scheduler.tick(), ['stack:often']);
  assert.equal(scheduler.list().map((s) => s.id).sort(), ['stack:nightly', 'stack:often']);
});

test.run();
