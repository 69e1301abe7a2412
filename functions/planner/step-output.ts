/**
 * A step's output as a Run object keeps it: whole when small, else its first bytes and a note saying how much was
 * cut. A log or a diff can run to megabytes, and one Kubernetes object holds at most ~1.5 MB.
 */

export interface TrimmedOutput { note: string; preview: string }

const NOTE_ROOM = 300;

export function isTrimmed(data: unknown): data is TrimmedOutput {
  return typeof data === 'object' && data !== null && typeof (data as TrimmedOutput).note === 'string' && (data as TrimmedOutput).note.startsWith('output trimmed from ')
    && typeof (data as TrimmedOutput).preview === 'string' && Object.keys(data).length === 2;
}

/** `data` itself when its JSON fits in `limit` bytes; otherwise `{note, preview}` (the JSON's first bytes), within `limit`. */
export function trimOutput(data: unknown, limit: number): unknown {
  if (data === undefined || isTrimmed(data)) return data;
  const text = JSON.stringify(data) ?? '';
  const size = Buffer.byteLength(text);
  if (size <= limit) return data;
  let room = Math.max(0, limit - NOTE_ROOM);
  for (;;) {
    // Cut on a character boundary: the decoder marks a split character at the end, and that mark is dropped.
    const preview = new TextDecoder().decode(Buffer.from(text).subarray(0, room)).replace(/\uFFFD+$/, '');
    const kept = Buffer.byteLength(preview);
    const trimmed: TrimmedOutput = { note: `output trimmed from ${size} to ${kept} bytes; a run keeps at most ${limit} bytes of a step's output (GANGLION_STEP_OUTPUT_BYTES); run the step on its own to see all of it`, preview };
    // Quotes and backslashes grow when the preview is itself written as JSON: cut more until the whole fits.
    if (Buffer.byteLength(JSON.stringify(trimmed)) <= limit || room === 0) return trimmed;
    room = Math.floor(room * 0.75);
  }
}
