/** The `kube-sim` command (`npx kube-sim --scenario home-lab --port 6443 --home .ganglion`): runs kube-sim until interrupted. */
import { parseArgs } from 'node:util';
import { startKubeSim } from './index.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'home-lab' },
    port: { type: 'string', default: '6443' },
    host: { type: 'string', default: '127.0.0.1' },
    home: { type: 'string', default: '.ganglion' },
    token: { type: 'string' },
    'worker-entry': { type: 'string' },
    'proxy-port': { type: 'string', default: '0' },
    // simulate the demo apps instead of running them as processes
    'no-demo-apps': { type: 'boolean', default: false },
    // the store is kept under <home>/kube-sim unless this is given
    ephemeral: { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`kube-sim: --port must be a number 0..65535, got "${values.port}"\n`);
  process.exit(2);
}

const proxyPort = Number(values['proxy-port']);
if (!Number.isInteger(proxyPort) || proxyPort < 0 || proxyPort > 65535) {
  process.stderr.write(`kube-sim: --proxy-port must be a number 0..65535, got "${values['proxy-port']}"\n`);
  process.exit(2);
}

const sim = await startKubeSim({ scenario: values.scenario, port, host: values.host, home: values.home, persist: !values.ephemeral, proxyPort, demoApps: !values['no-demo-apps'], ...(values.token ? { token: values.token } : {}), ...(values['worker-entry'] ? { workerEntry: values['worker-entry'] } : {}) });
const kept = sim.persisted ? (sim.persisted.restored ? `; the store was loaded from ${sim.persisted.dir}` : `; the store is kept in ${sim.persisted.dir}`) : '';
process.stdout.write(`kube-sim (${values.scenario}) listening on ${sim.url}${kept}\n`);
process.stdout.write(`kubectl --kubeconfig ${sim.kubeconfigPath} get pods -A\n`);
if (sim.clusterProxy) process.stdout.write(`curl -x ${sim.clusterProxy} http://<service>.<namespace>.svc.cluster.local/   # Services by cluster DNS name, through kube-sim's cluster proxy\n`);

const shutdown = () => {
  void sim.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
