/** The small manifests task setups apply, written once: a namespace, a Deployment, a Service. */

export const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n---\n`;

export function deployment(name: string, ns: string, image: string, { replicas = 1, labels = {}, resources }: { replicas?: number; labels?: Record<string, string>; resources?: string } = {}): string {
  const all = Object.entries({ app: name, ...labels }).map(([k, v]) => `${k}: ${v}`).join(', ');
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}, labels: {${all}}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {${all}}}
    spec:
      containers:
        - name: ${name}
          image: ${image}
          ports: [{containerPort: 8080}]${resources ? `\n          resources: ${resources}` : ''}
---
`;
}

export const service = (name: string, ns: string, selector: string, port = 80, targetPort = 8080) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {app: ${selector}}
  ports: [{port: ${port}, targetPort: ${targetPort}}]
---
`;
