import type { KubeObject } from './render.ts';

/**
 * Decides whether NetworkPolicies let a connection through, following the Kubernetes
 * semantics for the features the chart uses: pods selected by no policy of a direction are
 * open in it; selected pods allow only what some rule of a selecting policy allows; a peer
 * with both podSelector and namespaceSelector needs both; named ports resolve on the
 * destination pod; ipBlock peers match addresses outside the cluster.
 */

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export interface PodEndpoint {
  namespace: string;
  namespaceLabels: Record<string, string>;
  labels: Record<string, string>;
  /** Named container ports: name → number. */
  ports: Record<string, number>;
}

export type Endpoint = { pod: PodEndpoint } | { ip: string };

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port?: number | string; protocol?: string }[];
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key] as string;
    if (e.operator === 'In' && !(has && e.values?.includes(value))) return false;
    if (e.operator === 'NotIn' && has && e.values?.includes(value)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function ipv4(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
}

function peerMatches(peer: Peer, other: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock) {
    if (!('ip' in other)) return false;
    return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
  }
  if (!('pod' in other)) return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, other.pod.namespaceLabels)
    : other.pod.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector, other.pod.labels);
}

function portMatches(rule: Rule, port: number, protocol: string, destination: Endpoint): boolean {
  if (!rule.ports?.length) return true;
  return rule.ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.port === port;
    return 'pod' in destination && destination.pod.ports[p.port] === port;
  });
}

function selecting(policies: KubeObject[], pod: PodEndpoint, direction: 'Ingress' | 'Egress'): KubeObject[] {
  return policies.filter(
    (p) =>
      (p.metadata.namespace ?? pod.namespace) === pod.namespace &&
      selects(p.spec.podSelector, pod.labels) &&
      (p.spec.policyTypes ?? (direction === 'Ingress' ? ['Ingress'] : p.spec.egress ? ['Egress'] : [])).includes(
        direction,
      ),
  );
}

/**
 * Whether the pod `side` lets the connection pass in `direction`: open when no policy
 * selects it, else some rule of a selecting policy must match the peer and the port.
 */
function sideAllows(
  policies: KubeObject[],
  side: PodEndpoint,
  direction: 'Ingress' | 'Egress',
  peer: Endpoint,
  destination: Endpoint,
  port: number,
  protocol: string,
): boolean {
  const selected = selecting(policies, side, direction);
  const peersOf = (r: Rule) => (direction === 'Ingress' ? r.from : r.to);
  return (
    selected.length === 0 ||
    selected.some((p) =>
      ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? ([] as Rule[])).some(
        (r: Rule) =>
          (!peersOf(r)?.length || peersOf(r)?.some((x) => peerMatches(x, peer, side.namespace))) &&
          portMatches(r, port, protocol, destination),
      ),
    )
  );
}

/** Whether a connection from `from` to `to` on `port`/`protocol` passes every policy in its way. */
export function allowed(
  policies: KubeObject[],
  from: Endpoint,
  to: Endpoint,
  port: number,
  protocol: 'TCP' | 'UDP' = 'TCP',
): boolean {
  if ('pod' in from && !sideAllows(policies, from.pod, 'Egress', to, to, port, protocol)) return false;
  return !('pod' in to) || sideAllows(policies, to.pod, 'Ingress', from, to, port, protocol);
}

/** The pod a workload (Deployment, StatefulSet, Job, CronJob) runs, as a policy sees it. */
export function podOf(workload: KubeObject, namespace: string): PodEndpoint {
  const template = workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : workload.spec.template;
  const ports: Record<string, number> = {};
  for (const c of template.spec.containers) for (const p of c.ports ?? []) if (p.name) ports[p.name] = p.containerPort;
  return {
    namespace,
    namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
    labels: template.metadata.labels,
    ports,
  };
}

/** Some other pod, e.g. an ingress controller in its own namespace. */
export function otherPod(namespace: string, labels: Record<string, string> = {}): PodEndpoint {
  return { namespace, namespaceLabels: { 'kubernetes.io/metadata.name': namespace }, labels, ports: {} };
}
