/** Input of notify: a message and where it goes (Slack incoming webhook, a generic JSON webhook, or both). */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';

export const input = z.object({
  title: z.string().trim().min(1).max(300).describe('one line: what happened'),
  text: z.string().max(20_000).optional().describe('the body; one line per finding'),
  lines: z.array(z.string().max(3000)).max(200).optional().describe('the body as separate lines (instead of text)'),
  kind: z.enum(['alert', 'resolve', 'report', 'info']).default('info').describe('alert, resolve, report or info'),
  channels: z.array(z.enum(['slack', 'webhook'])).min(1).default(['slack']).describe('where to send it: slack, webhook or both'),
  context: z.string().max(500).optional().describe('small print: which monitor, which cluster'),
});

export const meta = defineMeta({
  name: 'notify',
  description: 'Sends a message to Slack (incoming webhook, text and blocks) and/or a generic JSON webhook, retrying with back-off; the URLs come from OpenFaaS secrets or the environment',
  input,
  mutates: false,
  access: 'operator',
  examples: ['send a test alert to slack', 'tell slack the upgrade is done', 'post "maintenance at 6pm" to the webhook'],
  textField: 'title',
});
