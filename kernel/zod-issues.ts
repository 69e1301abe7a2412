/** Says what a zod schema rejected, for people and models: "path: message; path: message", paths dotted like `approve.0.functions`. */
import type { z } from 'zod';

export interface IssueFormat {
  /** What an issue about the whole value is called ("(input)", "(body)", "(top)"). */
  root?: string;
  /** Where the value sits (`steps[0].input`): put before every path, and names an issue about the whole value. */
  at?: string;
  /** At most this many issues: a model asked to fix its answer gets the first few, not fifty. */
  limit?: number;
}

/** One "path: message" line per issue, in zod's order. */
export function issueLines(error: Pick<z.ZodError, 'issues'>, { root = '(input)', at, limit = Infinity }: IssueFormat = {}): string[] {
  return error.issues.slice(0, limit).map((issue) => {
    const path = issue.path.map(String).join('.');
    const where = at ? (path ? `${at}.${path}` : at) : path || root;
    return `${where}: ${issue.message}`;
  });
}

/** The issues on one line, separated by "; ". */
export function formatIssues(error: Pick<z.ZodError, 'issues'>, format: IssueFormat = {}): string {
  return issueLines(error, format).join('; ');
}
