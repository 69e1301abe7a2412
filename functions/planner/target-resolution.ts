/**
 * Resolves what a person calls a workload ("placemyparents", "the web tier", "api server", "placemyparent")
 * to the Deployments the live cluster holds. Two candidates for one thing → a question; none → an error
 * naming the closest ones. Never guesses between equals.
 */
import { GanglionError } from '../../kernel/errors.js';
import type { ClusterFacts, DeploymentFact } from './plan.js';
import { closestNames, editDistance, normaliseName } from '../../cluster/closest-names.js';

export type TargetResolution =
  | { kind: 'found'; targets: DeploymentFact[]; how: 'named' | 'group' | 'close'; note?: string }
  | { kind: 'question'; question: string };

/** Labels that group Deployments into a tier, most specific first. */
const GROUP_LABELS = ['tier', 'app.kubernetes.io/component', 'component', 'role', 'app.kubernetes.io/part-of'];
/** Words that name a group of workloads rather than one. */
const GROUP_NOUNS = 'tier|layer|tier\'s|stack|services|deployments|pods|servers|replicas|instances|copies|workloads|apps';

const label = (d: DeploymentFact) => `${d.name} (${d.namespace})`;

/** How many typos a name of this length may carry and still count as meant. */
function typoBudget(name: string): number {
  return name.length <= 4 ? 1 : name.length <= 9 ? 2 : 3;
}

export function namespaceHint(text: string, facts: ClusterFacts): string | undefined {
  const m = /\b(?:in|from)\s+(?:the\s+)?(?:namespace\s+)?([a-z0-9][a-z0-9-]*)(?:\s+namespace)?\b(?!\s+(?:tier|layer|stack|pods?))/gi;
  for (const hit of text.matchAll(m)) {
    const ns = (hit[1] ?? '').toLowerCase();
    if (facts.namespaces.includes(ns) && (/namespace/i.test(hit[0]) || !facts.deployments.some((d) => d.name === ns))) return ns;
  }
  const ns = /\b(?:-n|ns|namespace)\s+([a-z0-9][a-z0-9-]*)/i.exec(text)?.[1]?.toLowerCase();
  return ns && facts.namespaces.includes(ns) ? ns : undefined;
}

/** Deployments named in the text as whole words ("api-server" or "api server"). */
export function mentionedDeployments(text: string, pool: DeploymentFact[]): DeploymentFact[] {
  const t = ` ${text.toLowerCase().replace(/[^a-z0-9.\-:/]+/g, ' ')} `;
  return pool.filter((d) => {
    const spaced = d.name.replace(/-/g, ' ');
    const re = (s: string) => new RegExp(`[\\s/]${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s:])`);
    return re(d.name).test(t) || (spaced !== d.name && re(spaced).test(t));
  });
}

function groupMembers(word: string, pool: DeploymentFact[]): DeploymentFact[] {
  for (const key of GROUP_LABELS) {
    const hit = pool.filter((d) => (d.labels[key] ?? '').toLowerCase() === word);
    if (hit.length) return hit;
  }
  return [];
}

/** "the web tier", "web pods", "frontend layer" → the word naming the group. */
function groupWord(text: string): string | undefined {
  for (const m of text.matchAll(new RegExp(`\\b([a-z0-9][a-z0-9-]*)\\s+(?:${GROUP_NOUNS})\\b`, 'gi'))) {
    const w = m[1]?.toLowerCase();
    if (w && !/^(\d+|the|all|my|of|to|more|less|fewer|many|extra|one|two|three|four|five|six|seven|eight|nine|ten)$/.test(w)) return w;
  }
  return undefined;
}

function unknown(phrase: string, pool: DeploymentFact[], ns: string | undefined): GanglionError {
  const closest = closestNames(phrase, pool.map((d) => d.name), 3);
  const where = ns ? ` in namespace ${ns}` : '';
  const hint = closest.length
    ? `closest: ${closest.map((n) => pool.filter((d) => d.name === n).map(label).join(', ')).join(', ')}`
    : 'the cluster has no Deployments';
  return new GanglionError(404, 'unknown_deployment', `no Deployment matches "${phrase}"${where}; ${hint}`, { details: { closest } });
}

function ask(candidates: DeploymentFact[], what: string): TargetResolution {
  return { kind: 'question', question: `"${what}" matches ${candidates.length} Deployments: ${candidates.map(label).join(', ')}. Which one do you mean?` };
}

function byPhrase(phrase: string, pool: DeploymentFact[], ns: string | undefined): TargetResolution {
  const q = normaliseName(phrase);
  const exact = pool.filter((d) => d.name === q);
  if (exact.length === 1) return { kind: 'found', targets: exact, how: 'named' };
  if (exact.length > 1) return ask(exact, phrase);
  const group = groupMembers(q, pool);
  if (group.length) return { kind: 'found', targets: group, how: 'group' };
  const containing = pool.filter((d) => q.length >= 3 && (d.name.startsWith(q) || d.name.includes(q)));
  if (containing.length === 1) return { kind: 'found', targets: containing, how: 'close', note: `took "${phrase}" to mean ${label(containing[0] as DeploymentFact)}` };
  if (containing.length > 1) return ask(containing, phrase);
  const scored = pool.map((d) => ({ d, dist: editDistance(q, d.name, typoBudget(d.name)) })).filter((s) => s.dist <= typoBudget(s.d.name));
  const best = Math.min(...scored.map((s) => s.dist));
  const close = scored.filter((s) => s.dist === best).map((s) => s.d);
  if (close.length === 1) return { kind: 'found', targets: close, how: 'close', note: `took "${phrase}" to mean ${label(close[0] as DeploymentFact)}` };
  if (close.length > 1) return ask(close, phrase);
  throw unknown(phrase, pool, ns);
}

/** "my app", "the app", "this": the Deployment that names its git repository (annotation ganglion.dev/repo). */
const MY_APP = /\b(my|our|the) (app|application|service|project|code)\b|\bdeploy (this|it)\b/i;

function myApp(pool: DeploymentFact[]): TargetResolution {
  const apps = pool.filter((d) => d.repo);
  if (apps.length === 1) return { kind: 'found', targets: apps, how: 'named', note: `"your app" is ${label(apps[0] as DeploymentFact)}, the Deployment with a ganglion.dev/repo annotation` };
  if (apps.length > 1) return ask(apps, 'your app');
  return { kind: 'question', question: 'Which Deployment is your app? Name it, or annotate it with ganglion.dev/repo so "my app" finds it.' };
}

/**
 * Resolves the target(s) of a command. `phrase` is what the intent extracted as the object ("the web tier",
 * "placemyparent"); the whole text is searched for exact names first.
 */
export function resolveTargets(text: string, phrase: string | undefined, facts: ClusterFacts, { single = false } = {}): TargetResolution {
  if (facts.unavailable) throw new GanglionError(503, 'cluster_unavailable', `cannot resolve "${phrase ?? text}" because the cluster could not be read: ${facts.unavailable}`);
  const ns = namespaceHint(text, facts);
  const pool = ns ? facts.deployments.filter((d) => d.namespace === ns) : facts.deployments;
  const word = groupWord(text);
  const group = word ? groupMembers(word, pool) : [];
  const named = mentionedDeployments(text, pool);
  let result: TargetResolution;
  if (group.length && /\b(tier|layer|stack)\b/i.test(text)) result = { kind: 'found', targets: group, how: 'group' };
  else if (named.length) {
    const names = new Set(named.map((d) => d.name));
    const dupes = [...names].filter((n) => named.filter((d) => d.name === n).length > 1);
    if (dupes.length) return ask(named.filter((d) => d.name === dupes[0]), dupes[0] as string);
    result = { kind: 'found', targets: named, how: 'named' };
  } else if (group.length) result = { kind: 'found', targets: group, how: 'group' };
  else if (MY_APP.test(text) && !(phrase && pool.some((d) => d.name === normaliseName(phrase)))) return myApp(pool);
  else if (phrase && phrase.trim()) result = byPhrase(phrase, pool, ns);
  else if (word && /\b(tier|layer)\b/i.test(text)) result = byPhrase(word, pool, ns);
  else {
    const some = pool.slice(0, 6).map(label).join(', ');
    return { kind: 'question', question: `Which Deployment do you mean?${some ? ` The cluster has: ${some}${pool.length > 6 ? ', …' : ''}.` : ''}` };
  }
  if (single && result.kind === 'found' && result.targets.length > 1) return ask(result.targets, phrase ?? word ?? text);
  return result;
}
