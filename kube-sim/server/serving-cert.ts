/**
 * A serving certificate for kube-sim over TLS, as a real API server is HTTPS-only: a self-signed P-256 certificate for
 * the loopback host, made by the `openssl` command (Node cannot make X.509 certificates). The kubeconfig trusts it as
 * its certificate authority, so clients verify the server as they would a cluster's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface ServingCert { key: Buffer; cert: Buffer }

export function makeServingCert(host: string, days = 30): ServingCert {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-tls-'));
  try {
    const san = isIP(host) ? `IP:${host}` : `DNS:${host}`;
    const made = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', String(days),
      '-subj', `/CN=kube-sim ${host}`, '-addext', `subjectAltName=${san}`,
    ], { encoding: 'utf8' });
    if (made.error || made.status !== 0) {
      throw new Error(`kube-sim over TLS needs the openssl command to make its serving certificate: ${made.error?.message ?? made.stderr.trim()}`);
    }
    return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
