/** The task set `npm run eval` runs: every category, the scenario lines among them. */
import type { EvalTask } from '../task.js';
import { createTasks } from './create.js';
import { debugTasks } from './debug.js';
import { fixTasks } from './fix.js';
import { networkPolicyTasks } from './network-policy.js';
import { rbacTasks } from './rbac.js';
import { refuseTasks } from './refuse.js';
import { rolloutTasks } from './rollout.js';
import { scaleTasks } from './scale.js';

export const allTasks: EvalTask[] = [...createTasks, ...fixTasks, ...scaleTasks, ...rolloutTasks, ...rbacTasks, ...networkPolicyTasks, ...debugTasks, ...refuseTasks];
