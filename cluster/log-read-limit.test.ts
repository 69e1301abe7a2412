/** Every read of a pod log is bounded by limitBytes, so a runaway log on the server never fills Ganglion's memory. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeKubeconfig } from '@ganglion/kube-sim';
import { createKubeAccess } from './kube-access.js';
import { LOG_READ_BYTES } from './log-tail.js';
import { readPodLog } from './read-cluster.js';

test('readPodLog asks for at most LOG_READ_BYTES and gets no more from an API server holding a 5 MiB log', async () => {
  const asked: string[] = [];
  // An API server whose pod has a 5 MiB log: it honours limitBytes as the real one does, and sends it all without.
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    asked.push(url.pathname + url.search);
    const limit = Number(url.searchParams.get('limitBytes') ?? Infinity);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(Buffer.alloc(Math.min(5 * 1024 * 1024, limit), 'x'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const kubeconfig = writeKubeconfig(mkdtempSync(path.join(os.tmpdir(), 'g-')), `http://127.0.0.1:${(server.address() as { port: number }).port}`, 't');
    const c = await createKubeAccess({ kubeconfig }).clients();
    const text = await readPodLog(c, { name: 'api', namespace: 'default', container: 'app', tailLines: 100 }, 'read logs');
    assert.is(text.length, LOG_READ_BYTES);
    assert.match(asked[0] ?? '', `limitBytes=${LOG_READ_BYTES}`);
    const small = await readPodLog(c, { name: 'api', namespace: 'default', container: 'app', limitBytes: 10 }, 'read logs');
    assert.is(small.length, 10);
  } finally {
    server.close();
    server.closeAllConnections();
  }
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' || name === 'testing' ? [] : sources(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

test('every pod log read in cluster/, functions/, monitors/ and workers/ passes limitBytes', () => {
  const reads: string[] = [];
  for (const dir of ['cluster', 'functions', 'monitors', 'workers']) {
    for (const file of sources(path.join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/readNamespacedPodLog\(([^)]*)\)|getText\([^,]+,\s*`[^`]*\/log`([^)]*)\)/g)) {
        reads.push(path.relative(root, file));
        assert.match(m[0], /limitBytes|query/, `${path.relative(root, file)} reads a pod log without limitBytes: ${m[0]}`);
      }
    }
  }
  assert.ok(reads.length >= 2, `expected the reads in read-cluster.ts and job-runner.ts, found ${reads.join(', ')}`);
});

test.run();
