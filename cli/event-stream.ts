/** Reads a text/event-stream (server-sent events) body into {event, data, id} records. */
import type { Readable } from 'node:stream';

export interface StreamEvent {
  event: string;
  data: string;
  id?: string;
}

/** Parses one SSE block (lines up to a blank line); comments and unknown fields are skipped. */
export function parseEventBlock(block: string): StreamEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  let id: string | undefined;
  for (const line of block.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  if (data.length === 0) return undefined;
  return { event, data: data.join('\n'), ...(id === undefined ? {} : { id }) };
}

export async function* readEventStream(body: Readable): AsyncGenerator<StreamEvent> {
  let buffer = '';
  body.setEncoding('utf8');
  for await (const chunk of body) {
    buffer += String(chunk);
    let cut: RegExpExecArray | null;
    while ((cut = /\r?\n\r?\n/.exec(buffer))) {
      const block = buffer.slice(0, cut.index);
      buffer = buffer.slice(cut.index + cut[0].length);
      const ev = parseEventBlock(block);
      if (ev) yield ev;
    }
  }
  const last = parseEventBlock(buffer);
  if (last) yield last;
}
