/** A stand-in for the embedded planner in brain tests: answers a fixed plan and records what it was asked. */
import type { Plan, PlanRequest, Planner } from '../../functions/planner/plan.js';

export interface FakePlanner extends Planner {
  asked: string[];
}

export function fakeEmbeddedPlanner(plan: Plan = { steps: [{ id: 's1', fn: 'cluster-status', input: {}, dependsOn: [], mutates: false }], intent: 'cluster-status' }): FakePlanner {
  const asked: string[] = [];
  return {
    name: 'embedded',
    asked,
    async plan(req: PlanRequest) {
      asked.push(req.text);
      return { plan, planner: 'embedded' };
    },
  };
}
