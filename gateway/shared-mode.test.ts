import { gatewayContract } from './gateway.contract.js';

const { suite } = gatewayContract('shared');
suite.run();
