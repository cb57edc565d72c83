import {
  coreSecretKeySelector,
  localRef,
  name,
  podAffinity,
  resources,
  secretKeySelector,
  stringMap,
  strings,
  toleration,
} from './cnpg-common-types.ts';
import { bool, int, list, obj, oneOf, opaqueObject, quantity, str } from './strict-schema.ts';

/** postgresql.cnpg.io/v1 Cluster: api/v1/cluster_types.go of cloudnative-pg (see cnpg-schemas.ts). */

/** CNPG-I: a plugin the Cluster loads (PluginConfiguration). */
const pluginConfiguration = obj(
  { name: str({ minLength: 1 }), enabled: bool, isWALArchiver: bool, parameters: stringMap },
  ['name'],
);

const synchronous = obj(
  {
    method: str({ enum: ['any', 'first'] }),
    number: int({ min: 1 }),
    maxStandbyNamesFromCluster: int(),
    standbyNamesPre: strings,
    standbyNamesPost: strings,
    dataDurability: str({ enum: ['required', 'preferred'] }),
    failoverQuorum: bool,
  },
  ['method', 'number'],
  [
    (o) =>
      o.dataDurability === 'preferred' &&
      ((o.standbyNamesPre as unknown[] | undefined)?.length || (o.standbyNamesPost as unknown[] | undefined)?.length)
        ? "dataDurability set to 'preferred' requires empty 'standbyNamesPre' and empty 'standbyNamesPost'"
        : undefined,
  ],
);

const postgresConfiguration = obj({
  // map[string]string: a number here would be refused by the API server.
  parameters: stringMap,
  synchronous,
  pg_hba: strings,
  pg_ident: strings,
  syncReplicaElectionConstraint: opaqueObject,
  shared_preload_libraries: strings,
  ldap: opaqueObject,
  promotionTimeout: int(),
  enableAlterSystem: bool,
  extensions: list(opaqueObject),
});

const initdb = obj({
  database: name,
  owner: name,
  secret: localRef,
  options: strings,
  dataChecksums: bool,
  encoding: str(),
  localeCollate: str(),
  localeCType: str(),
  locale: str(),
  localeProvider: str(),
  icuLocale: str(),
  icuRules: str(),
  builtinLocale: str(),
  walSegmentSize: int({ min: 1, max: 1024 }),
  postInitSQL: strings,
  postInitApplicationSQL: strings,
  postInitTemplateSQL: strings,
  import: opaqueObject,
  postInitApplicationSQLRefs: opaqueObject,
  postInitTemplateSQLRefs: opaqueObject,
  postInitSQLRefs: opaqueObject,
});

/** RFC 3339, or Postgres's own timestamp form; without a zone it is read as UTC. */
const targetTime = str({ pattern: /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)?$/ });

const recoveryTarget = obj(
  {
    backupID: str(),
    targetTLI: str({ pattern: /^(latest|[1-9]\d*)$/ }),
    targetXID: str(),
    targetName: str(),
    targetLSN: str(),
    targetTime,
    targetImmediate: bool,
    exclusive: bool,
  },
  [],
  // All the target options except targetTLI are mutually exclusive.
  [oneOf('targetXID', 'targetName', 'targetLSN', 'targetTime', 'targetImmediate')],
);

const recovery = obj(
  {
    backup: obj({ name: str({ minLength: 1 }), endpointCA: secretKeySelector }, ['name']),
    source: str({ minLength: 1 }),
    volumeSnapshots: opaqueObject,
    recoveryTarget,
    database: name,
    owner: name,
    secret: localRef,
  },
  [],
  [oneOf('backup', 'source'), oneOf('backup', 'volumeSnapshots')],
);

const bootstrap = obj(
  { initdb, recovery, pg_basebackup: opaqueObject },
  [],
  [oneOf('initdb', 'recovery', 'pg_basebackup')],
);

const externalCluster = obj(
  {
    name: str({ minLength: 1 }),
    connectionParameters: stringMap,
    sslCert: coreSecretKeySelector,
    sslKey: coreSecretKeySelector,
    sslRootCert: coreSecretKeySelector,
    password: coreSecretKeySelector,
    barmanObjectStore: opaqueObject,
    plugin: pluginConfiguration,
  },
  ['name'],
);

const storage = obj({
  storageClass: str({ minLength: 1 }),
  size: quantity,
  resizeInUseVolumes: bool,
  pvcTemplate: opaqueObject,
});

const affinity = obj({
  enablePodAntiAffinity: bool,
  topologyKey: str({ minLength: 1 }),
  nodeSelector: stringMap,
  nodeAffinity: opaqueObject,
  tolerations: list(toleration),
  // "preferred" (default if empty) or "required".
  podAntiAffinityType: str({ enum: ['preferred', 'required'] }),
  additionalPodAntiAffinity: podAffinity,
  additionalPodAffinity: podAffinity,
});

const monitoring = obj({
  disableDefaultQueries: bool,
  customQueriesConfigMap: list(opaqueObject),
  customQueriesSecret: list(opaqueObject),
  enablePodMonitor: bool,
  tls: obj({ enabled: bool }),
  podMonitorMetricRelabelings: list(opaqueObject),
  podMonitorRelabelings: list(opaqueObject),
  metricsQueriesTTL: str(),
});

export const clusterSpec = obj(
  {
    description: str(),
    inheritedMetadata: obj({ labels: stringMap, annotations: stringMap }),
    imageName: str({ pattern: /^[^:@\s]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/ }),
    imageCatalogRef: opaqueObject,
    imagePullPolicy: str({ enum: ['Always', 'Never', 'IfNotPresent'] }),
    schedulerName: str(),
    postgresUID: int(),
    postgresGID: int(),
    instances: int({ min: 1 }),
    minSyncReplicas: int({ min: 0 }),
    maxSyncReplicas: int({ min: 0 }),
    postgresql: postgresConfiguration,
    replicationSlots: opaqueObject,
    bootstrap,
    replica: opaqueObject,
    superuserSecret: localRef,
    enableSuperuserAccess: bool,
    certificates: opaqueObject,
    imagePullSecrets: list(localRef),
    storage,
    serviceAccountTemplate: opaqueObject,
    walStorage: storage,
    ephemeralVolumeSource: opaqueObject,
    startDelay: int(),
    stopDelay: int(),
    smartShutdownTimeout: int(),
    switchoverDelay: int(),
    failoverDelay: int(),
    livenessProbeTimeout: int(),
    affinity,
    topologySpreadConstraints: list(opaqueObject),
    resources,
    ephemeralVolumesSizeLimit: obj({ shm: quantity, temporaryData: quantity }),
    priorityClassName: str(),
    primaryUpdateStrategy: str({ enum: ['unsupervised', 'supervised'] }),
    primaryUpdateMethod: str({ enum: ['switchover', 'restart'] }),
    backup: opaqueObject,
    nodeMaintenanceWindow: obj({ reusePVC: bool, inProgress: bool }),
    monitoring,
    externalClusters: list(externalCluster),
    logLevel: str({ enum: ['error', 'warning', 'info', 'debug', 'trace'] }),
    projectedVolumeTemplate: opaqueObject,
    env: list(opaqueObject),
    envFrom: list(opaqueObject),
    managed: opaqueObject,
    seccompProfile: opaqueObject,
    podSecurityContext: opaqueObject,
    securityContext: opaqueObject,
    tablespaces: list(opaqueObject),
    enablePDB: bool,
    plugins: list(pluginConfiguration),
    probes: opaqueObject,
  },
  ['instances'],
  [
    oneOf('imageCatalogRef', 'imageName'),
    (o) => {
      const archivers = ((o.plugins as { isWALArchiver?: boolean }[] | undefined) ?? []).filter((p) => p.isWALArchiver);
      if (archivers.length > 1) return 'at most one plugin can be the WAL archiver';
      const inTree = (o.backup as { barmanObjectStore?: unknown } | undefined)?.barmanObjectStore;
      return archivers.length && inTree
        ? 'a WAL archiver plugin and backup.barmanObjectStore exclude each other'
        : undefined;
    },
    (o) => {
      // bootstrap.recovery.source names one of externalClusters.
      const source = (o.bootstrap as { recovery?: { source?: string } } | undefined)?.recovery?.source;
      const names = ((o.externalClusters as { name: string }[] | undefined) ?? []).map((c) => c.name);
      return source && !names.includes(source)
        ? `bootstrap.recovery.source ${source} is not in externalClusters`
        : undefined;
    },
  ],
);
