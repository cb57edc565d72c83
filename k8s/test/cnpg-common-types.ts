import { bool, int, list, obj, opaqueObject, quantity, record, str } from './strict-schema.ts';

/** Kubernetes and CloudNativePG building blocks the custom resources share (see cnpg-schemas.ts). */

export const name = str({ pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/ });
export const strings = list(str());
export const stringMap = record(str());

// Kubernetes core types used inside the specs.
export const localRef = obj({ name: str({ minLength: 1 }) }, ['name']);
export const coreSecretKeySelector = obj({ name: str(), key: str({ minLength: 1 }), optional: bool }, ['key']);
/** github.com/cloudnative-pg/machinery SecretKeySelector: both fields required. */
export const secretKeySelector = obj({ name: str({ minLength: 1 }), key: str({ minLength: 1 }) }, ['name', 'key']);
export const resources = obj({ limits: record(quantity), requests: record(quantity), claims: list(opaqueObject) });
export const labelSelector = obj({ matchLabels: stringMap, matchExpressions: list(opaqueObject) });
export const podAffinityTerm = obj(
  {
    labelSelector,
    namespaceSelector: labelSelector,
    namespaces: strings,
    topologyKey: str({ minLength: 1 }),
    matchLabelKeys: strings,
    mismatchLabelKeys: strings,
  },
  ['topologyKey'],
);
export const podAffinity = obj({
  requiredDuringSchedulingIgnoredDuringExecution: list(podAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: list(
    obj({ weight: int({ min: 1, max: 100 }), podAffinityTerm }, ['weight', 'podAffinityTerm']),
  ),
});
export const toleration = obj({
  key: str(),
  operator: str({ enum: ['Exists', 'Equal'] }),
  value: str(),
  effect: str({ enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] }),
  tolerationSeconds: int(),
});
