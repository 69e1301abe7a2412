import * as assert from 'uvu/assert';
import { gatewayContract } from './testing/gateway-contract.js';

const { suite, ctx } = gatewayContract('process');

suite('a call that comes while a killed function process restarts is held and served by the new process', async () => {
  const pid = ctx.gw.pids().echo as number;
  process.kill(pid, 'SIGKILL');
  // once the gateway has seen the exit, the function is restarting (back-off, then a new process)
  for (let i = 0; i < 600 && ctx.gw.pids().echo === pid; i++) await new Promise((r) => setTimeout(r, 5));
  assert.is(ctx.gw.pids().echo, undefined, 'the gateway noticed the exit');
  const res = await fetch(`${ctx.gw.url}/function/echo`, { method: 'POST', body: 'back?', headers: { 'content-type': 'text/plain' } });
  assert.is(res.status, 200, await res.clone().text());
  assert.is(((await res.json()) as { summary: string }).summary, 'echo: back?');
  assert.ok(ctx.gw.pids().echo, 'a new process serves echo');
  assert.is.not(ctx.gw.pids().echo, pid);
});

suite('a function process that crashes mid-call answers 502; the gateway keeps serving and the function comes back', async () => {
  const before = ctx.gw.pids().counter;
  const crashed = await fetch(`${ctx.gw.url}/function/counter`, { method: 'POST', body: '{"crash":true}', headers: { 'content-type': 'application/json' } });
  assert.is(crashed.status, 502);
  assert.is((await fetch(`${ctx.gw.url}/healthz`)).status, 200);
  let status = 502;
  for (let i = 0; i < 600 && status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
    status = (await fetch(`${ctx.gw.url}/function/counter`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status;
  }
  assert.is(status, 200);
  assert.is.not(ctx.gw.pids().counter, before);
});

suite.run();
