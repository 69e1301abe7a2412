/** Input fields every cluster tool shares, so the planner sees them described the same way everywhere. */
import * as z from 'zod';

// Empty means all namespaces, so `echo | faas-cli invoke …` (a bare newline) still works.
const DNS_LABEL_OR_EMPTY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/;

export const clusterField = z.string().min(1).max(253).optional()
  .describe('kubeconfig context of the cluster to ask (several contexts = several clusters); default: the configured one');

export const namespaceField = z.string().max(63).regex(DNS_LABEL_OR_EMPTY, 'must be a namespace name (lower-case letters, digits, "-")').optional()
  .describe('limit to this namespace; default: all namespaces');
