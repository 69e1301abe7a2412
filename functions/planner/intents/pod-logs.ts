/** "Get logs from the api-server pod": resolve the name to a workload, let pod-logs pick the pod and tail it. */
import { GanglionError } from '../../../kernel/errors.js';
import { resolveTargets } from '../target-resolution.js';
import { objectPhrase, step, tidy, type Intent } from './intent.js';

const PATTERNS = [
  /\blogs?\s+(?:from|of|for|on)\s+(.+?)(?:\s+in\s+(?:the\s+)?(?:namespace\s+)?[a-z0-9-]+(?:\s+namespace)?)?$/,
  /\b(?:show|get|tail|fetch|print|give|pull|read|see|check)\s+(?:me\s+)?(?:the\s+)?(?:last\s+\d+\s+lines?\s+of\s+)?(?:the\s+)?(.+?)(?:'s|s')?\s+(?:pod\s+|container\s+)?logs?\b/,
  /\bwhat(?:'s| is| does)\s+(?:the\s+)?(.+?)\s+(?:printing|saying|logging|outputting|output)\b/,
  /\btail\s+(?:the\s+)?(.+)$/,
];

export const podLogs: Intent = {
  name: 'pod-logs',
  effect: 'read',
  examples: ['Get logs from the api-server pod', 'show me api-server logs', 'tail the logs of placemyparents', 'what is api-server printing', 'logs for the api server', 'fetch the last 50 lines of api-server logs'],
  match(raw) {
    const text = tidy(raw);
    if (!/\b(logs?|printing|logging|stdout|stderr|output)\b/.test(text) && !/^tail\b/.test(text)) return undefined;
    let phrase: string | undefined;
    for (const re of PATTERNS) {
      const hit = re.exec(text)?.[1];
      if (hit && !/^(the )?logs?$/.test(hit)) { phrase = objectPhrase(hit.replace(/\blogs?\b/g, ' ')); break; }
    }
    const lines = /\b(?:last|tail)\s+(\d+)\s+lines?\b/.exec(text)?.[1];
    return { score: /\blogs?\b/.test(text) ? 0.9 : 0.6, entities: { phrase, tailLines: lines ? Number(lines) : undefined, previous: /\b(previous|before it crashed|last crash)\b/.test(text) || undefined } };
  },
  build(entities, facts, text) {
    const phrase = typeof entities.phrase === 'string' ? entities.phrase : undefined;
    const extra: Record<string, unknown> = {};
    if (typeof entities.tailLines === 'number') extra.tailLines = entities.tailLines;
    if (entities.previous === true) extra.previous = true;
    const exactPod = facts.pods.find((p) => phrase && p.name === phrase.replace(/\s+/g, '-'));
    if (exactPod) return { intent: 'pod-logs', steps: [step('s1', 'pod-logs', { name: exactPod.name, namespace: exactPod.namespace, ...extra })] };
    try {
      const found = resolveTargets(text, phrase, facts, { single: true });
      if (found.kind === 'question') return { intent: 'pod-logs', steps: [], question: found.question };
      const d = found.targets[0];
      if (d) return { intent: 'pod-logs', steps: [step('s1', 'pod-logs', { name: d.name, namespace: d.namespace, ...extra }, { why: `a pod of Deployment ${d.name}` })] };
    } catch (err) {
      // Not a Deployment: pod-logs also knows bare pods and app labels, and names the closest pods itself.
      if (!(err instanceof GanglionError) || err.code !== 'unknown_deployment' || !phrase) throw err;
    }
    if (!phrase) return { intent: 'pod-logs', steps: [], question: 'Logs of which pod or Deployment?' };
    return { intent: 'pod-logs', steps: [step('s1', 'pod-logs', { name: phrase.replace(/\s+/g, '-'), ...extra })] };
  },
};
