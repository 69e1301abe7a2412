/** The defaults the real API server fills in on create (the few kubectl and the controllers rely on). */
import type { KubeObject } from './kube-object.js';
import { obj, type JsonMap } from './json-fields.js';
import { defaultDefinition } from './crd/custom-resources.js';

type Json = JsonMap;
const fill = (o: Json, key: string, value: unknown) => { if (o[key] === undefined) o[key] = value; };

function defaultPodSpec(spec: Json, restartPolicy = 'Always'): void {
  fill(spec, 'restartPolicy', restartPolicy);
  fill(spec, 'dnsPolicy', 'ClusterFirst');
  fill(spec, 'schedulerName', 'default-scheduler');
  fill(spec, 'terminationGracePeriodSeconds', 30);
  fill(spec, 'securityContext', {});
  for (const list of [spec.containers, spec.initContainers]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const c = obj(raw);
      const image = typeof c.image === 'string' ? c.image : '';
      const tagged = /:[^/]+$/.test(image) && !image.endsWith(':latest');
      fill(c, 'imagePullPolicy', tagged || image.includes('@') ? 'IfNotPresent' : 'Always');
      fill(c, 'terminationMessagePath', '/dev/termination-log');
      fill(c, 'terminationMessagePolicy', 'File');
      fill(c, 'resources', {});
      if (Array.isArray(c.ports)) for (const p of c.ports) fill(obj(p), 'protocol', 'TCP');
    }
  }
}

let nextServiceIp = 10;

/** Fills missing defaults in place; never overrides what the object says. */
export function applyDefaults(resource: string, o: KubeObject): void {
  // empty label and annotation maps are omitted on the wire (Go omitempty), e.g. after a patch removed the last key
  if (o.metadata.labels && Object.keys(o.metadata.labels).length === 0) delete o.metadata.labels;
  if (o.metadata.annotations && Object.keys(o.metadata.annotations).length === 0) delete o.metadata.annotations;
  const spec = obj(o.spec);
  switch (resource) {
    case 'customresourcedefinitions':
      defaultDefinition(o);
      break;
    case 'namespaces':
      o.metadata.labels = { ...o.metadata.labels, 'kubernetes.io/metadata.name': o.metadata.name };
      o.spec = { finalizers: ['kubernetes'], ...spec };
      o.status = { phase: 'Active', ...obj(o.status) };
      break;
    case 'pods':
      if (o.spec) defaultPodSpec(spec);
      o.status = { phase: 'Pending', ...obj(o.status) };
      break;
    case 'deployments':
      fill(spec, 'replicas', 1);
      fill(spec, 'revisionHistoryLimit', 10);
      fill(spec, 'progressDeadlineSeconds', 600);
      {
        const strategy = { ...obj(spec.strategy) };
        if (!strategy.type) strategy.type = 'RollingUpdate';
        if (strategy.type === 'RollingUpdate') strategy.rollingUpdate = { maxSurge: '25%', maxUnavailable: '25%', ...obj(strategy.rollingUpdate) };
        spec.strategy = strategy;
      }
      if (spec.template) defaultPodSpec(obj(obj(spec.template).spec));
      break;
    case 'replicasets': case 'statefulsets': case 'daemonsets':
      if (resource !== 'daemonsets') fill(spec, 'replicas', 1);
      if (spec.template) defaultPodSpec(obj(obj(spec.template).spec));
      break;
    case 'jobs':
      if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
      fill(spec, 'parallelism', 1);
      fill(spec, 'backoffLimit', 6);
      fill(spec, 'completionMode', 'NonIndexed');
      fill(spec, 'suspend', false);
      if (spec.template) defaultPodSpec(obj(obj(spec.template).spec), 'Never');
      break;
    case 'cronjobs': {
      fill(spec, 'concurrencyPolicy', 'Allow');
      fill(spec, 'suspend', false);
      fill(spec, 'successfulJobsHistoryLimit', 3);
      fill(spec, 'failedJobsHistoryLimit', 1);
      const template = obj(obj(spec.jobTemplate).spec).template;
      if (template) defaultPodSpec(obj(obj(template).spec), 'Never');
      break;
    }
    case 'services': {
      fill(spec, 'type', 'ClusterIP');
      fill(spec, 'sessionAffinity', 'None');
      if (spec.clusterIP === undefined && spec.type !== 'ExternalName') {
        nextServiceIp += 1;
        spec.clusterIP = `10.96.${Math.floor(nextServiceIp / 250) % 250}.${(nextServiceIp % 250) + 1}`;
      }
      if (spec.clusterIP && spec.clusterIPs === undefined) spec.clusterIPs = [spec.clusterIP];
      if (Array.isArray(spec.ports)) {
        for (const raw of spec.ports) {
          const p = obj(raw);
          fill(p, 'protocol', 'TCP');
          fill(p, 'targetPort', p.port);
        }
      }
      o.status = { loadBalancer: {}, ...obj(o.status) };
      break;
    }
    case 'secrets': {
      fill(o, 'type', 'Opaque');
      // stringData is write-only: the API server folds it into data as base64
      const stringData = obj(o.stringData);
      if (o.stringData !== undefined) {
        const data = { ...obj(o.data) };
        for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v)).toString('base64');
        o.data = data;
        delete o.stringData;
      }
      return;
    }
    default:
      return;
  }
  if (o.spec !== undefined || Object.keys(spec).length > 0) o.spec = o.spec ?? spec;
}
