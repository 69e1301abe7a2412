/** The embedded planner's intents. Add one module per intent and list it here. */
import type { Intent } from './intent.js';
import { clusterStatus } from './cluster-status.js';
import { failingPods } from './failing-pods.js';
import { podLogs } from './pod-logs.js';
import { deploy } from './deploy.js';
import { rollback } from './rollback.js';
import { scale } from './scale.js';
import { restart } from './restart.js';
import { codeReview } from './code-review.js';
import { runTests } from './run-tests.js';
import { coverage } from './coverage.js';
import { deployAndVerify } from './deploy-and-verify.js';
import { reviewThenDeploy } from './review-then-deploy.js';
import { monitor } from './monitor.js';
import { stopMonitor } from './stop-monitor.js';
import { runCheck } from './run-check.js';
import { report } from './report.js';
import { ciPipeline } from './ci-pipeline.js';
import { securityAudit } from './security-audit.js';
import { configSync } from './config-sync.js';
import { analyzeLogs } from './analyze-logs.js';
import { workloadStatus } from './workload-status.js';
import { kubeGet } from './kube-get.js';
import { kubeEvents } from './kube-events.js';
import { kubeTop } from './kube-top.js';
import { createWorkload } from './create-workload.js';
import { createAccess } from './create-access.js';
import { deleteObjects } from './delete-objects.js';
import { nodeAction } from './node-action.js';
import { canaryAbort, canaryPromote, canaryStart, canaryStatus } from './canary.js';
import { trainAndCompare } from './train-and-compare.js';

export const INTENTS: Intent[] = [
  clusterStatus, failingPods, podLogs, deploy, rollback, scale, restart,
  codeReview, runTests, coverage, deployAndVerify, reviewThenDeploy,
  monitor, stopMonitor, runCheck, report, ciPipeline, securityAudit, configSync, analyzeLogs, workloadStatus,
  kubeGet, kubeEvents, kubeTop,
  createWorkload, createAccess, deleteObjects, nodeAction,
  canaryStart, canaryStatus, canaryPromote, canaryAbort, trainAndCompare,
];

export type { Intent, IntentMatch } from './intent.js';
export { step, tidy, toCount, objectPhrase } from './intent.js';
