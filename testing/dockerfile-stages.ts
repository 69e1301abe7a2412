/** A Dockerfile read as its stages (FROM, --platform, AS name, the instructions under it), for the image tests. */
export interface Stage { from: string; platform: string; name: string; lines: string[] }

/** Instructions (continuations joined, comments dropped) grouped by stage; `args` are the ARGs before the first FROM. */
export function dockerfileStages(text: string): { args: string[]; stages: Stage[] } {
  const instr = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  const args: string[] = [];
  for (const l of instr) {
    const from = /^FROM\s+(?:--platform=(\S+)\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(l);
    if (from) stages.push({ platform: from[1] ?? '', from: from[2] as string, name: from[3] ?? '', lines: [] });
    else if (stages.length) stages[stages.length - 1]?.lines.push(l);
    else args.push(l);
  }
  return { args, stages };
}

/** The commands of a stage's RUN instructions, split at `&&`. */
export function runCommands(stage: Stage): string[] {
  return stage.lines.filter((l) => /^RUN\b/.test(l)).flatMap((l) => l.replace(/^RUN\s+/, '').split('&&')).map((c) => c.trim());
}
