/** Finds second definitions of helpers the tree keeps exactly one of, by the code pattern each copy cannot do without. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listSources, stripComments } from './import-graph.js';
import { isTestCode } from './layer-rules.js';

export interface SingleHelper {
  /** What the helper does, for the failure message. */
  name: string;
  /** The one file allowed to hold it. */
  home: string;
  /** Code (comments stripped) that only a copy of the helper writes. */
  pattern: RegExp;
  /** Only files that also contain this count (a key sort is a canonical JSON only where the file writes JSON). */
  fileAlso?: RegExp;
  /** Files that may match anyway, each with the reason. */
  allowed?: Record<string, string>;
}

export interface HelperCopy {
  helper: string;
  file: string;
  line: number;
  text: string;
}

export const SINGLE_HELPERS: SingleHelper[] = [
  {
    name: 'atomic file write (temp, fsync, rename)',
    home: 'kernel/atomic-write.ts',
    pattern: /\brenameSync\s*\(|\brename\s*\(/,
    allowed: { 'bench/async-queue.ts': 'measures the raw file-per-item queue design the journal replaced, fsyncs as that design would' },
  },
  { name: 'zod-error formatter', home: 'kernel/zod-issues.ts', pattern: /\.issues\s*\.\s*(?:map|slice|forEach|filter|reduce|flatMap)\s*\(/ },
  {
    name: 'canonical JSON (sorted object keys)',
    home: 'kernel/canonical-json.ts',
    pattern: /Object\.(?:keys|entries)\([^()]*\)\s*\.\s*(?:filter\([^\n]*?\)\s*\.\s*)?sort\(\s*(?:\)|\(\s*\[)/,
    fileAlso: /JSON\.stringify\(/,
  },
  { name: 'Kubernetes Job runner', home: 'cluster/job-runner.ts', pattern: /createNamespacedJob|\/apis\/batch\/v1\/(?:namespaces\/[^'"`\s]*\/)?jobs\b/ },
  { name: 'closest-name matcher (edit distance)', home: 'cluster/closest-names.ts', pattern: /\b(?:function|const|let)\s+\w*(?:[dD]istance|[lL]evenshtein)\w*\s*(?:=|\(|<)/ },
];

/** Every place in production code, outside its home, that matches a helper's pattern. kube-sim stands alone and keeps its own. */
export function findHelperCopies(root: string, files = listSources(root), helpers = SINGLE_HELPERS): HelperCopy[] {
  const copies: HelperCopy[] = [];
  for (const file of files) {
    if (isTestCode(file) || file.startsWith('kube-sim/')) continue;
    const code = stripComments(readFileSync(path.join(root, file), 'utf8'));
    const lines = code.split('\n');
    for (const h of helpers) {
      if (file === h.home || h.allowed?.[file] || (h.fileAlso && !h.fileAlso.test(code))) continue;
      lines.forEach((text, i) => {
        if (h.pattern.test(text)) copies.push({ helper: h.name, file, line: i + 1, text: text.trim() });
      });
    }
  }
  return copies;
}
