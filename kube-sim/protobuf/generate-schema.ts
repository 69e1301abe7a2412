/**
 * Regenerates kube-sim/protobuf/k8s-proto-schema.json from checkouts of kubernetes/api and kubernetes/apimachinery:
 * `node kube-sim/dist/protobuf/generate-schema.js <api-checkout> <apimachinery-checkout>`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_DIR } from '../package-dir.js';
import { parseProtoText, type ProtoSchema } from './proto-schema.js';

const GROUP_DIRS = ['core/v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'networking/v1', 'discovery/v1', 'policy/v1',
  'rbac/v1', 'storage/v1', 'coordination/v1', 'scheduling/v1', 'authorization/v1', 'authentication/v1'];
const MACHINERY = ['pkg/apis/meta/v1', 'pkg/api/resource', 'pkg/util/intstr', 'pkg/runtime'];

const [apiDir, machineryDir] = process.argv.slice(2);
if (!apiDir || !machineryDir) {
  process.stderr.write('usage: generate-schema <kubernetes/api checkout> <kubernetes/apimachinery checkout>\n');
  process.exit(2);
}
const schema: ProtoSchema = {};
for (const dir of GROUP_DIRS) Object.assign(schema, parseProtoText(readFileSync(path.join(apiDir, dir, 'generated.proto'), 'utf8')));
for (const dir of MACHINERY) Object.assign(schema, parseProtoText(readFileSync(path.join(machineryDir, dir, 'generated.proto'), 'utf8')));
const target = path.join(PACKAGE_DIR, 'protobuf', 'k8s-proto-schema.json');
writeFileSync(target, `${JSON.stringify(schema)}\n`);
process.stdout.write(`${Object.keys(schema).length} messages → ${target}\n`);
