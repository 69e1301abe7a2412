/** A stack.yml of test fixture functions (echo, mirror, counter, and echo as "slow" with a 1 s exec_timeout) for tests and bench. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = './testing/fixtures/functions';

export function fixtureStackYaml(extra = ''): string {
  return `version: 1.0
provider:
  name: openfaas
  gateway: \${OPENFAAS_URL:-http://127.0.0.1:8080}
functions:
  echo:
    lang: ganglion-ts
    handler: ${FIXTURES}/echo
    image: \${REGISTRY:-ghcr.io/ganglion}/fixture-echo:test
    labels:
      tier: test
  mirror:
    lang: ganglion-ts
    handler: ${FIXTURES}/mirror
    image: ghcr.io/ganglion/fixture-mirror:test
  counter:
    lang: ganglion-ts
    handler: ${FIXTURES}/counter
    image: ghcr.io/ganglion/fixture-counter:test
  slow:
    lang: ganglion-ts
    handler: ${FIXTURES}/echo
    image: ghcr.io/ganglion/fixture-echo:test
    environment:
      exec_timeout: 1s
${extra}`;
}

/** Writes the fixture stack into `dir` and returns its path. */
export function writeFixtureStack(dir: string, extra = ''): string {
  const file = path.join(dir, 'stack.yml');
  writeFileSync(file, fixtureStackYaml(extra));
  return file;
}
