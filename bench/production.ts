/**
 * Bench: one function in its production form as templates/ganglion-ts/Dockerfile ships it — the per-function
 * bundle `node dist-bundle/<fn>.mjs` (NODE_ENV=production) — beside the unbundled entry `node dist/runtime/main.js <fn>`
 * (what the gateway's process mode starts): cold start to listening and to its first real answer, and RSS.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKubeSim } from '../kube-sim/index.js';
import { rssMb } from './process-rss.js';
import type { BenchRow, BenchSection } from './bench-section.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FN = 'cluster-status';
const RUNS = 5;
const ANSWERS = 20;
const FORMS = { bundled: [`dist-bundle/${FN}.mjs`], unbundled: ['dist/runtime/main.js', FN], tuned: ['--max-semi-space-size=1', `dist-bundle/${FN}.mjs`] } as const;
type Form = keyof typeof FORMS;
/** Memory knobs measured beside the shipped form, not shipped: glibc returning freed compiler memory at once, a 1 MB young generation. */
const TUNED_ENV = { MALLOC_TRIM_THRESHOLD_: '0', MALLOC_ARENA_MAX: '1' };

interface ColdStart { listeningMs: number; firstAnswerMs: number; rssMb: number; idleRssMb: number }

function call(port: number): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
}

async function coldStart(form: Form, kubeconfig: string): Promise<ColdStart> {
  const started = performance.now();
  const child = spawn(process.execPath, [...FORMS[form]], {
    cwd: repoRoot,
    env: { ...(form === 'tuned' ? TUNED_ENV : {}), PATH: process.env.PATH, NODE_ENV: 'production', PORT: '0', GANGLION_BIND: '127.0.0.1', KUBECONFIG: kubeconfig, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => { buf += String(d); const m = /listening (\d+)/.exec(buf); if (m) resolve(Number(m[1])); });
      child.once('exit', (code) => reject(new Error(`${form} ${FN} exited ${code} before listening`)));
    });
    const listeningMs = performance.now() - started;
    const idleRssMb = rssMb(child.pid ?? 0) ?? Number.NaN;
    const res = await call(port);
    await res.text();
    if (res.status !== 200) throw new Error(`${form} ${FN} answered ${res.status}`);
    const firstAnswerMs = performance.now() - started;
    // more answers, as a warm function serves them, before reading its resident memory
    for (let i = 0; i < ANSWERS; i++) await (await call(port)).text();
    return { listeningMs, firstAnswerMs, rssMb: rssMb(child.pid ?? 0) ?? Number.NaN, idleRssMb };
  } finally {
    child.kill('SIGTERM');
  }
}

/** Builds the bundle exactly as the Dockerfile's build stage does. */
async function bundle(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['templates/ganglion-ts/bundle.mjs', FN], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`templates/ganglion-ts/bundle.mjs ${FN} exited ${code}`);
  return performance.now() - started;
}

/** RSS of a bare node process that only imports @kubernetes/client-node (unbundled): what the library alone costs. */
async function clientNodeFloorMb(): Promise<number> {
  const child = spawn(process.execPath, ['-e', "import('@kubernetes/client-node').then(() => { process.stdout.write(String(process.memoryUsage().rss / 1048576)); })"], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += String(d); });
  await new Promise((r) => child.once('exit', r));
  return Number(out);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const worst = (xs: number[]) => Math.max(...xs);

/** One figure, the shipped (bundled) form first, the unbundled one beside it; the goal applies to the shipped form. */
function pair(name: string, unit: string, b: number, u: number, goal?: number): BenchRow {
  const row: BenchRow = { name, value: `${b.toFixed(0)} ${unit}  vs  ${u.toFixed(0)} ${unit} unbundled (${(b / u).toFixed(2)}×)` };
  return goal === undefined ? row : { ...row, goal: `≤ ${goal} ${unit}`, ok: b <= goal };
}

export async function run(): Promise<BenchSection> {
  const bundleMs = await bundle();
  const sim = await startKubeSim({ scenario: 'home-lab', port: 0 });
  try {
    await sim.settle(2_000);
    const runs: Record<Form, ColdStart[]> = { bundled: [], unbundled: [], tuned: [] };
    // interleaved, so a busy moment on a shared machine hits both forms alike
    for (let i = 0; i < RUNS; i++) for (const form of ['bundled', 'unbundled', 'tuned'] as const) runs[form].push(await coldStart(form, sim.kubeconfigPath));
    const of = (f: (r: ColdStart) => number, agg: (xs: number[]) => number) => [agg(runs.bundled.map(f)), agg(runs.unbundled.map(f))] as const;
    return {
      title: `production form: node dist-bundle/${FN}.mjs (what the Dockerfile ships) vs node dist/runtime/main.js ${FN}, NODE_ENV=production`,
      rows: [
        pair('cold start to listening (median)', 'ms', ...of((r) => r.listeningMs, median)),
        pair('cold start to first answer (median)', 'ms', ...of((r) => r.firstAnswerMs, median), 300),
        pair('cold start to first answer (worst)', 'ms', ...of((r) => r.firstAnswerMs, worst)),
        pair('RSS listening, before the first call (worst)', 'MB', ...of((r) => r.idleRssMb, worst)),
        pair(`RSS after ${ANSWERS + 1} answers (worst)`, 'MB', ...of((r) => r.rssMb, worst), 60),
        { name: `bundled + MALLOC_TRIM_THRESHOLD_=0 --max-semi-space-size=1 (not shipped): RSS after ${ANSWERS + 1} answers (worst)`, value: worst(runs.tuned.map((r) => r.rssMb)), unit: 'MB' },
        { name: 'bundled + those knobs: cold start to first answer (median)', value: median(runs.tuned.map((r) => r.firstAnswerMs)), unit: 'ms' },
        { name: 'RSS of node + import @kubernetes/client-node alone (unbundled)', value: await clientNodeFloorMb(), unit: 'MB' },
        { name: `bundle build (templates/ganglion-ts/bundle.mjs ${FN})`, value: bundleMs, unit: 'ms' },
        { name: 'stack.yml memory limit of a tool', value: 192, unit: 'MiB' },
      ],
      notes: [
        `${RUNS} cold starts of each form, interleaved; the first answer is a real cluster-status call against kube-sim's home-lab (client-node loaded, one list of nodes, namespaces, deployments, pods, events)`,
        'the bundle is the same code (the @kubernetes/client-node client included), packed by esbuild into a minified ESM file plus a lazily loaded chunk holding the client: node reads 2 files instead of ~2,500 modules, and a function that never calls the cluster never parses the client',
        'what is left is the client itself: compiling its 3.5 MB chunk (~170 ms of the first answer in a --cpu-prof) and, measured in the bundled process, RSS 48 → ~91 MB across the first cluster calls: V8 heap used 8 → 19 MB, heap reserved 11 → 37 MB (young generation grown), the rest malloc kept by the compiler; bare node 20 is ~39 MB RSS, so ≤ 60 MB after a cluster call is out of reach while the function loads @kubernetes/client-node',
        'the knobs row is a measurement, not the shipped form: the image is Alpine (musl malloc, no MALLOC_* variables), where freed compiler memory goes back sooner than under glibc here; a 1 MB young generation trades RSS for more frequent scavenges',
        'of-watchdog adds its own ~10 MB RSS and starts the runtime once per pod (http mode), so this cold start is paid at pod start, not per request',
      ],
    };
  } finally {
    await sim.stop();
  }
}
