/** "Run security scans on all container images": audit every running image and pod spec, ranked by severity. */
import { step, tidy, type Intent } from './intent.js';

export const securityAudit: Intent = {
  name: 'security-audit',
  effect: 'run',
  examples: ['Run security scans on all container images', 'scan the images for vulnerabilities', 'security audit of the cluster', 'are any pods running as root?', 'check for privileged containers'],
  match(raw, facts) {
    const text = tidy(raw);
    const sec = /\b(security|vulnerab\w*|cves?|scan|scans|trivy|privileged|as root|hardening|insecure)\b/.test(text);
    if (!sec) return undefined;
    const ns = /\b(?:in|of) (?:the )?(?:namespace )?([a-z0-9-]+)(?: namespace)?\b/.exec(text)?.[1];
    return { score: /\b(security|vulnerab\w*|cves?)\b/.test(text) ? 0.9 : 0.7, entities: { namespace: ns && facts.namespaces.includes(ns) ? ns : undefined } };
  },
  build(entities) {
    const input = typeof entities.namespace === 'string' ? { namespace: entities.namespace } : {};
    return { intent: 'security-audit', steps: [step('s1', 'security-audit', input, { why: 'every running image and pod spec checked, findings by severity' })] };
  },
};
