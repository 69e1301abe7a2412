import { gatewayContract } from './testing/gateway-contract.js';

const { suite } = gatewayContract('shared');
suite.run();
