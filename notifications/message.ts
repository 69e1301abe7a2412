/** A notification as Ganglion says it, and the two wire shapes it goes out in: a Slack incoming-webhook payload and a generic JSON webhook body. */

export interface Message {
  kind: 'alert' | 'resolve' | 'report' | 'info';
  /** One line, shown as the header and in phone notifications. */
  title: string;
  /** Markdown-ish body lines (Slack mrkdwn: *bold*, `code`). */
  lines: string[];
  /** Small print: which monitor, which cluster, when. */
  context?: string;
  /** Extra structured facts for programs (generic webhook only). */
  data?: Record<string, unknown>;
}

export interface SlackBlock {
  type: 'header' | 'section' | 'context' | 'divider';
  text?: { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
  elements?: Array<{ type: 'mrkdwn' | 'plain_text'; text: string }>;
}

export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

const ICON: Record<Message['kind'], string> = { alert: ':rotating_light:', resolve: ':white_check_mark:', report: ':bar_chart:', info: ':information_source:' };
// Slack's limits: header text 150 chars, section text 3000, 50 blocks per message.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const MAX_BLOCKS = 50;

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Splits lines into section-sized chunks without breaking a line when it can. */
function chunks(lines: string[]): string[] {
  const out: string[] = [];
  let cur = '';
  for (const raw of lines) {
    const line = cut(raw, SECTION_MAX);
    if (cur && cur.length + 1 + line.length > SECTION_MAX) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n${line}` : line;
  }
  if (cur) out.push(cur);
  return out;
}

export function slackPayload(m: Message): SlackPayload {
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: cut(m.title, HEADER_MAX), emoji: true } }];
  const sections = chunks(m.lines);
  const room = MAX_BLOCKS - 1 - (m.context ? 1 : 0);
  for (const [i, text] of sections.entries()) {
    if (i === room - 1 && sections.length > room) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `… ${sections.length - i} more sections left out` } });
      break;
    }
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  }
  if (m.context) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(m.context, SECTION_MAX) }] });
  const first = m.lines[0] ? ` — ${m.lines[0]}` : '';
  return { text: cut(`${ICON[m.kind]} ${m.title}${first}`, SECTION_MAX), blocks };
}

export function webhookBody(m: Message, time: string): Record<string, unknown> {
  return { type: m.kind === 'report' ? 'dev.ganglion.report' : 'dev.ganglion.alert', kind: m.kind, title: m.title, text: m.lines.join('\n'), lines: m.lines, ...(m.context ? { context: m.context } : {}), time, ...(m.data ? { data: m.data } : {}) };
}
