/** The shape every test-output parser returns, and the limits they share. */

export interface TestFailure {
  name: string;
  message: string;
  /** file:line where the runner says it failed, when it says */
  location?: string;
}

export interface TestReport {
  format: 'tap' | 'junit' | 'node-spec' | 'uvu';
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  failures: TestFailure[];
}

/** At most this many failures are kept, each message at most this many characters (a report is read by people). */
export const MAX_FAILURES = 50;
export const MAX_MESSAGE_CHARS = 600;

export function clipMessage(text: string): string {
  const t = text.replace(/\r/g, '').trim();
  return t.length > MAX_MESSAGE_CHARS ? `${t.slice(0, MAX_MESSAGE_CHARS)}… (${t.length - MAX_MESSAGE_CHARS} more characters)` : t;
}
