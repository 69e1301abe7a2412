/**
 * Does a command ask for a change to the cluster? Looked at before any intent, on each clause's leading verb (after
 * "please", "can you", …) with object names masked. A change request is answered only by an intent that changes
 * things — never by a read, a code-running Job, or a guess — or by "I can't … yet; nothing was changed".
 */
import type { ClusterFacts } from '../plan.js';
import { NAME_MARK, maskNames } from './object-names.js';

export interface ChangeAsk {
  /** The verb as said: "create", "delete", "shut down". */
  verb: string;
  /** What it is done to, as the person wrote it (names kept): "an nginx pod called frontend-test in namespace qa". */
  object: string;
  /** Kinds no change tool handles that the clause names: "namespace", "networkpolicy", "label", … */
  kinds: string[];
}

const POLITE = /^(?:please|pls|kindly|just|now|ok|okay|hey|so|ganglion|go ahead and|can you|could you|would you|will you|can we|could we|i want to|i'd like to|i would like to|i need to|i need you to|i want you to|let's|let us|help me|try to|you should|we need to|i wish to)\s+/;

/** Verbs that change what the cluster holds or runs. Two-word verbs first. */
const CHANGE_VERBS = [
  'shut down', 'spin up', 'spin down', 'tear down', 'take down', 'bring down', 'bring up', 'clean up', 'turn off', 'turn on', 'switch off',
  'set up', 'scale up', 'scale down', 'roll out', 'roll back',
  'create', 'make', 'add', 'build', 'launch', 'start', 'run', 'provision', 'generate', 'spawn',
  'delete', 'remove', 'kill', 'terminate', 'destroy', 'evict', 'purge', 'wipe', 'nuke', 'stop', 'pause', 'suspend', 'halt', 'disable', 'enable',
  'drain', 'cordon', 'uncordon', 'taint', 'untaint', 'label', 'unlabel', 'annotate', 'patch', 'edit', 'modify', 'change', 'set', 'update',
  'rename', 'move', 'expose', 'apply', 'install', 'uninstall', 'attach', 'detach', 'mount', 'unmount', 'grant', 'give', 'revoke', 'allow', 'deny',
  'block', 'open', 'close', 'limit', 'restrict', 'isolate', 'increase', 'decrease', 'raise', 'lower', 'reduce', 'bump', 'resize', 'replace',
  'recreate', 'rotate', 'reset', 'assign', 'bind', 'unbind', 'put', 'scale', 'restart', 'deploy', 'ship', 'release', 'upgrade', 'downgrade',
  'rollback', 'undo', 'revert', 'sync', 'copy', 'promote', 'push', 'mark', 'unmark', 'schedule', 'reschedule', 'migrate', 'enforce',
];
const VERB_RE = new RegExp(`^(${CHANGE_VERBS.map((v) => v.replace(/ /g, '\\s+')).join('|')})\\b\\s*(.*)$`);

/** "I want a namespace called test", "give me a new pod": a wish for a new object is a create. */
const WISH = /^(?:i want|i need|i'd like|i would like|give me|get me)\s+(?:a|an|another|new|some)\s+(.*)$/;

/** "in namespace qa", "in the apps namespace", "-n qa": where, not what. */
const LOCATORS = /\b(?:in|from|into|to|of|on|within)\s+(?:the\s+)?(?:namespace|ns)\s+\S+|\b(?:in|from|into|to|of|on|within)\s+(?:the\s+)?\S+\s+namespace\b|\s-n\s+\S+/g;

/** Ganglion's own things (reports, monitors, checks, pipelines): the intents that handle them decide. */
const GANGLION_THINGS = /(?<![\w-])(reports?|summary|summaries|digest|recap|overview|monitors?|monitoring|alerts?|alerting|notifications?|notifying|checks?|checking|pipelines?|webhooks?|automation|rules?|review|tests?|coverage|scans?|audit)(?![\w-])/;

/** "<word> namespace", "<word> pods": the word before a kind names the object. */
const NAMED_KIND = /\b[\w-]+ (?=(?:namespace|pod|deployment|configmap|secret|service|job|cronjob|volume|node|role|ingress)s?\b)/g;

/** Kinds of object no change tool handles yet, as people name them. */
const KINDS: [RegExp, string][] = [
  [/namespaces?/, 'namespace'], [/nodes?/, 'node'], [/labels?/, 'label'], [/annotations?/, 'annotation'], [/taints?/, 'taint'],
  [/secrets?/, 'secret'], [/config ?maps?|configs?|configuration/, 'configmap'], [/ingress(?:es)?/, 'ingress'],
  [/network ?polic(?:y|ies)|netpols?|firewall|traffic|egress/, 'networkpolicy'], [/cluster ?roles?|roles?/, 'role'], [/(?:cluster ?)?role ?bindings?/, 'rolebinding'],
  [/service ?accounts?/, 'serviceaccount'], [/pvcs?|volumes?|persistent ?volume\w*|storage/, 'volume'], [/cron ?jobs?|jobs?/, 'job'],
  [/daemon ?sets?|stateful ?sets?|replica ?sets?/, 'workload'], [/env(?:ironment)? ?var\w*|env|environment/, 'env'],
  [/limits?|requests|resources|quotas?|memory|cpu/, 'resources'], [/ports?/, 'port'], [/probes?|liveness|readiness/, 'probe'],
  [/hpas?|autoscal\w*/, 'autoscaler'], [/pdbs?|disruption budgets?/, 'pdb'], [/crds?|custom resources?/, 'crd'], [/policy|policies/, 'policy'],
  [/services?/, 'service'], [/pods?|containers?/, 'pod'], [/images?/, 'image'], [/deployments?/, 'deployment'],
];

/** "run an nginx pod": running a thing in the cluster is a create; "run the tests" is not a change. */
const RUNNABLE = /(?<![\w-])(pods?|containers?|deployments?|jobs?|cronjobs?|nginx|busybox|images?|daemonsets?|statefulsets?)(?![\w-])/;
/** Everyday verbs ("make me a sandwich", "run the numbers") change the cluster only when they name something in it. */
const LOOSE_VERBS = /^(make|give|put|set|open|close|build|generate|add|mark|change|start|run|launch|spawn|spin up|bring up|turn on|lower|raise|limit|block|allow|deny)$/;

export function kindsIn(masked: string): string[] {
  const text = masked.replace(LOCATORS, ' ');
  const kinds: string[] = [];
  for (const [re, kind] of KINDS) {
    if (new RegExp(`(?<![\\w-])(?:${re.source})(?![\\w-])`).test(text) && !kinds.includes(kind)) kinds.push(kind);
  }
  // "rolebinding" also names a role; "network policy" is not an approval "policy"
  return kinds.filter((k) => !(k === 'role' && kinds.includes('rolebinding') && !/\broles?\b(?! ?bindings?)/.test(text)) && !(k === 'policy' && kinds.includes('networkpolicy')));
}

function stripPolite(clause: string): string {
  let c = clause;
  for (let prev = ''; prev !== c;) { prev = c; c = c.replace(POLITE, ''); }
  return c;
}

/** Verbs that start a new clause after "and": "deploy it and verify it", not "a Role and RoleBinding". */
const NEXT_VERB = `(?:${CHANGE_VERBS.join('|')}|verify|check|test|review|show|list|get|tell|make sure|confirm|smoke|notify|alert|ping|send|see|watch|find|fix|suggest)\\b`;
const CLAUSE_BREAK = new RegExp(`[.?!;:]+(?:\\s+|$)|,\\s*(?:and\\s+|then\\s+)?|\\s+(?:and then|then|but|also)\\s+|\\s+and\\s+(?=${NEXT_VERB})`, 'i');

/** Where each clause starts: sentences, ", then", and "and" before a verb. */
function clauses(raw: string): string[] {
  return raw.split(CLAUSE_BREAK).map((c) => c.trim()).filter(Boolean);
}

/** The words after the verb as the person wrote them (case kept), at most about 90 characters. */
function objectOf(clause: string, verb: string): string {
  const at = new RegExp(`\\b${verb.replace(/ /g, '\\s+')}\\b\\s*`, 'i').exec(clause);
  const object = (at ? clause.slice(at.index + at[0].length) : clause).replace(/[?!.]+$/, '').trim();
  return object.length > 90 ? `${object.slice(0, 88).replace(/\s+\S*$/, '')} …` : object;
}

/** The change a command asks for, or undefined when it asks to read, run checks, or set up Ganglion's own jobs. */
export function askedChange(raw: string, facts: ClusterFacts): ChangeAsk | undefined {
  for (const clause of clauses(raw)) {
    const masked = stripPolite(maskNames(clause, facts));
    const wish = WISH.exec(masked);
    const m = wish ? undefined : VERB_RE.exec(masked);
    if (!wish && !m) continue;
    const verb = wish ? 'create' : (m?.[1] ?? '').replace(/\s+/g, ' ');
    const rest = wish ? (wish[1] ?? '') : (m?.[2] ?? '');
    // "the test namespace": a word naming a kind of object is a name, not Ganglion's own thing
    if (GANGLION_THINGS.test(rest.replace(NAMED_KIND, ' '))) continue;
    const kinds = kindsIn(masked);
    if (LOOSE_VERBS.test(verb) && !RUNNABLE.test(rest) && !rest.includes(NAME_MARK) && !kinds.length && !/\b(tier|layer|stack)\b/.test(rest)) continue;
    const object = wish ? objectOf(clause, /\b(want|need|like|me)\b/i.exec(clause)?.[1] ?? '') : objectOf(clause, verb);
    return { verb, object, kinds };
  }
  return undefined;
}
