/** Splits a unified git diff into files with their added lines (new-file line numbers), bounded in files and bytes. */

export interface AddedLine { line: number; text: string }
export interface DiffFile {
  path: string;
  status: 'added' | 'deleted' | 'modified' | 'renamed';
  binary: boolean;
  added: AddedLine[];
  /** lines removed (text only; they carry no line in the new file) */
  removed: string[];
}
export interface DiffLimits { maxFiles: number; maxLinesPerFile: number }

export function parseDiff(diff: string, { maxFiles = 300, maxLinesPerFile = 5_000 }: Partial<DiffLimits> = {}): { files: DiffFile[]; skippedFiles: number } {
  const files: DiffFile[] = [];
  let skippedFiles = 0;
  let cur: DiffFile | undefined;
  let next = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      const m = /^diff --git a\/(.*) b\/(.*)$/.exec(line);
      if (files.length >= maxFiles) { skippedFiles++; cur = undefined; continue; }
      cur = { path: m?.[2] ?? line.slice(11), status: 'modified', binary: false, added: [], removed: [] };
      files.push(cur);
      continue;
    }
    if (!cur) continue;
    if (line.startsWith('new file mode')) cur.status = 'added';
    else if (line.startsWith('deleted file mode')) cur.status = 'deleted';
    else if (line.startsWith('rename to ')) { cur.status = 'renamed'; cur.path = line.slice(10); }
    else if (line.startsWith('Binary files ') || line === 'GIT binary patch') cur.binary = true;
    else if (line.startsWith('@@')) next = Number(/\+(\d+)/.exec(line)?.[1] ?? 0);
    else if (line.startsWith('+++') || line.startsWith('---')) continue;
    else if (line.startsWith('+')) {
      if (cur.added.length < maxLinesPerFile) cur.added.push({ line: next, text: line.slice(1) });
      next++;
    } else if (line.startsWith('-')) { if (cur.removed.length < maxLinesPerFile) cur.removed.push(line.slice(1)); }
    else if (line.startsWith(' ')) next++;
  }
  return { files, skippedFiles };
}
