/** The embedded planner's intents. Add one module per intent and list it here. */
import type { Intent } from './intent.js';
import { clusterStatus } from './cluster-status.js';
import { failingPods } from './failing-pods.js';
import { podLogs } from './pod-logs.js';
import { deploy } from './deploy.js';
import { rollback } from './rollback.js';
import { scale } from './scale.js';
import { restart } from './restart.js';

export const INTENTS: Intent[] = [clusterStatus, failingPods, podLogs, deploy, rollback, scale, restart];

export type { Intent, IntentMatch } from './intent.js';
export { step, tidy, toCount, objectPhrase } from './intent.js';
