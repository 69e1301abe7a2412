/** Patterns of credentials that must not be committed; each match is reported with its rule and a redacted sample. */

export interface SecretRule { id: string; what: string; re: RegExp }

// Bounded quantifiers only: these run over every added line of a diff.
export const SECRET_RULES: SecretRule[] = [
  { id: 'aws-access-key', what: 'AWS access key id', re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { id: 'aws-secret-key', what: 'AWS secret access key', re: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}\b/i },
  { id: 'private-key', what: 'private key', re: /-----BEGIN (RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY( BLOCK)?-----/ },
  { id: 'github-token', what: 'GitHub token', re: /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{22,255}\b/ },
  { id: 'slack-token', what: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,72}\b/ },
  { id: 'slack-webhook', what: 'Slack webhook URL', re: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,30}/ },
  { id: 'stripe-key', what: 'Stripe secret key', re: /\b(sk|rk)_live_[A-Za-z0-9]{20,99}\b/ },
  { id: 'google-api-key', what: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { id: 'url-credentials', what: 'password in a URL', re: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"]{1,64}:[^\s:/@'"]{3,128}@[^\s'"]{1,200}/i },
  {
    id: 'hardcoded-secret', what: 'hard-coded password or secret',
    re: /\b(password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|client[_-]?secret)["']?\s*[:=]\s*["'][^"'\s$<>{}]{8,200}["']/i,
  },
];

/** Values that are obviously placeholders, not secrets. */
const PLACEHOLDER = /(example|changeme|change-me|your[_-]|xxxx|\*\*\*\*|dummy|placeholder|<.*>|\$\{)/i;

export function redact(value: string): string {
  return value.length <= 8 ? '****' : `${value.slice(0, 4)}…${value.slice(-2)} (${value.length} chars)`;
}

export function findSecret(text: string): { rule: SecretRule; sample: string } | undefined {
  for (const rule of SECRET_RULES) {
    const m = rule.re.exec(text);
    if (!m) continue;
    if (rule.id === 'hardcoded-secret' && PLACEHOLDER.test(m[0])) continue;
    return { rule, sample: redact(m[0]) };
  }
  return undefined;
}
