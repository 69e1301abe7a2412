/** The planner API contract suite against the real planner behind the real gateway, on kube-sim's home lab. */
import { plannerContract } from '../../testing/planner-contract.js';
import { startHomeLabGateway } from '../../testing/scenario-stack.js';

plannerContract('the real planner on kube-sim', async () => {
  const { gw, stop } = await startHomeLabGateway();
  return { url: gw.url, token: gw.adminToken, stop };
}).run();
