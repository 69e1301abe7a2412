/** Answers real local models give when asked for a JSON plan: clean, wrapped in prose, broken, or prose only. */
import type { ScriptedReply } from './scripted-reply.js';

/** What a well-behaved model returns under a JSON-schema `format`: the bare JSON object. */
export function cleanJson(value: unknown): ScriptedReply {
  return { content: JSON.stringify(value) };
}

/** What small models do without grammar enforcement: chatter, a fenced block, more chatter. */
export function proseWrappedJson(value: unknown): ScriptedReply {
  return {
    content: `Sure! Here is the plan to handle your request:\n\n\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\`\n\nLet me know if you want me to adjust anything.`,
  };
}

/** JSON a model broke without grammar enforcement: single quotes, unquoted keys, a trailing comma. */
export function brokenJson(value: unknown): ScriptedReply {
  const text = JSON.stringify(value, null, 2).replace(/"([a-zA-Z]+)":/g, '$1:').replace(/"/g, "'").replace(/\n(\s*)\]/, ',\n$1]');
  return { content: text };
}

/** JSON cut where the model ran out of tokens (done_reason "length"), as when num_ctx/num_predict is too small. */
export function truncatedJson(value: unknown): ScriptedReply {
  const text = JSON.stringify(value, null, 2);
  return { content: text.slice(0, Math.floor(text.length * 0.7)), doneReason: 'length' };
}

/** The "no tool call at all" failure: advice in prose, kubectl commands a person would type. */
export function proseInsteadOfJson(): ScriptedReply {
  return {
    content:
      'To deploy version 2.0 of placemyparents you can update the image of the Deployment:\n\n' +
      '    kubectl -n apps set image deployment/placemyparents placemyparents=registry.local/placemyparents:2.0\n' +
      '    kubectl -n apps rollout status deployment/placemyparents\n\n' +
      'After the rollout completes, check that all 3 pods are Ready. If anything goes wrong, run `kubectl rollout undo`.',
  };
}

/** A streamed answer the connection drops after about half of the JSON. */
export function cutOffStream(value: unknown): ScriptedReply {
  const text = JSON.stringify(value);
  return { kind: 'cut-off', content: text.slice(0, Math.floor(text.length / 2)) };
}

/** The model answers, but only after `delayMs` — longer than the planner's budget in a test. */
export function slowAnswer(value: unknown, delayMs: number): ScriptedReply {
  return { kind: 'slow', delayMs, content: JSON.stringify(value) };
}

/** Ollama's error for a model that was never pulled. */
export function modelNotFound(model: string): ScriptedReply {
  return { kind: 'error', status: 404, error: `model "${model}" not found, try pulling it first` };
}

/** A runner crash the server reports as a 500. */
export function runnerCrashed(): ScriptedReply {
  return { kind: 'error', status: 500, error: 'llama runner process has terminated: signal: killed' };
}
