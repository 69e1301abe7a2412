/**
 * The scenario suite (testing/scenario-suite.ts) against the gateway in isolated mode, the production form: every
 * function its own process with its own HOME and only its stack.yml secrets, sharing nothing but the gateway and the cluster.
 */
import { scenarioSuite } from '../../testing/scenario-suite.js';

scenarioSuite('isolated').run();
