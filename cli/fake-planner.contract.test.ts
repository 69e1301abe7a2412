import { plannerContract } from '../testing/planner-contract.js';
import { startFakePlanner } from './testing/fake-planner.js';

plannerContract('the CLI fake planner', async () => {
  const fake = await startFakePlanner();
  return { url: fake.url, stop: () => fake.close() };
}).run();
