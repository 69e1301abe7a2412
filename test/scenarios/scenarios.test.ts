/** The scenario suite (testing/scenario-suite.ts) against the gateway in shared mode, the embedded default. */
import { scenarioSuite } from '../../testing/scenario-suite.js';

scenarioSuite('shared').run();
