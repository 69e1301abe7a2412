/** Where kube-sim's own data files live (scenarios/, protobuf/k8s-proto-schema.json, test data): its package folder. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// this module always runs compiled, as <package>/dist/package-dir.js; the data files stay beside the sources
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
