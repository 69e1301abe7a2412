/**
 * Imported first by the production bundle's entry (templates/ganglion-ts/bundle.mjs), for its side effect: V8's young
 * generation stays at its initial size (two 1 MB semi-spaces) instead of doubling as a function's start-up objects
 * survive. Measured (npm run bench -- production): RSS after 21 answers 55 MB with it, 59–60 MB without (58 / 62 MB
 * over TLS). Scavenges come more often (a 10,000-pod list takes longer) but each is short. The embedded gateway and process mode (host/main.ts) keep V8's default: they
 * are the development hosts, and the gateway's own latency figures are measured against process mode.
 *
 * Set here, at run time, not as `node --max-semi-space-size=1`: any V8 flag on the command line changes V8's flag
 * hash, and node then compiles every built-in module it loads (http, https, tls, crypto …) without the code cache
 * embedded in its binary — ~40 ms more to a function's first answer, more on a busy machine. By the time this
 * module runs, the bundle's built-ins are loaded; only those loaded later (cluster, on listen) compile without it.
 * The growth factor is read by V8 each time it would grow the young generation; if a later node ignored it, the
 * function would only use a few MB more.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--semi-space-growth-factor=1');
