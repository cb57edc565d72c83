import { objectStoreSpec, scheduledBackupSpec } from './cnpg-backup-schemas.ts';
import { clusterSpec } from './cnpg-cluster-schema.ts';
import { name, stringMap } from './cnpg-common-types.ts';
import { type Check, obj, str } from './strict-schema.ts';

/**
 * The CloudNativePG custom resources the chart renders, described field by field from the
 * operator's published API (api/v1 of cloudnative-pg: cluster_types.go, backup_types.go and
 * the ScheduledBackup CRD; the Barman Cloud plugin's api/v1/objectstore_types.go and the
 * barman-cloud BarmanObjectStoreConfiguration it embeds). Every level the chart writes
 * lists all of that type's fields, so an unknown one is an error; types the chart does not
 * write into are accepted as objects. The kubebuilder enums, minimums, patterns and CEL
 * rules of those types are checked too.
 */

const metadata = obj(
  {
    name: str({ pattern: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/ }),
    namespace: name,
    labels: stringMap,
    annotations: stringMap,
  },
  ['name'],
);

function resource(apiVersion: string, kindName: string, spec: Check): Check {
  return obj(
    {
      apiVersion: str({ enum: [apiVersion] }),
      kind: str({ enum: [kindName] }),
      metadata,
      spec,
    },
    ['apiVersion', 'kind', 'metadata', 'spec'],
  );
}

/** The checks by apiVersion and kind. */
export const CNPG_KINDS: Record<string, Record<string, Check>> = {
  'postgresql.cnpg.io/v1': {
    Cluster: resource('postgresql.cnpg.io/v1', 'Cluster', clusterSpec),
    ScheduledBackup: resource('postgresql.cnpg.io/v1', 'ScheduledBackup', scheduledBackupSpec),
  },
  'barmancloud.cnpg.io/v1': {
    ObjectStore: resource('barmancloud.cnpg.io/v1', 'ObjectStore', objectStoreSpec),
  },
};
