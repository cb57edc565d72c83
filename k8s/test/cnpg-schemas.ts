import { bool, type Check, int, list, obj, oneOf, opaqueObject, quantity, record, str } from './strict-schema.ts';

/**
 * The CloudNativePG custom resources the chart renders, described field by field from the
 * operator's published API (api/v1 of cloudnative-pg: cluster_types.go, backup_types.go and
 * the ScheduledBackup CRD; the Barman Cloud plugin's api/v1/objectstore_types.go and the
 * barman-cloud BarmanObjectStoreConfiguration it embeds). Every level the chart writes
 * lists all of that type's fields, so an unknown one is an error; types the chart does not
 * write into are accepted as objects. The kubebuilder enums, minimums, patterns and CEL
 * rules of those types are checked too.
 */

const name = str({ pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/ });
const strings = list(str());
const stringMap = record(str());

// Kubernetes core types used inside the specs.
const localRef = obj({ name: str({ minLength: 1 }) }, ['name']);
const coreSecretKeySelector = obj({ name: str(), key: str({ minLength: 1 }), optional: bool }, ['key']);
/** github.com/cloudnative-pg/machinery SecretKeySelector: both fields required. */
const secretKeySelector = obj({ name: str({ minLength: 1 }), key: str({ minLength: 1 }) }, ['name', 'key']);
const resources = obj({ limits: record(quantity), requests: record(quantity), claims: list(opaqueObject) });
const labelSelector = obj({ matchLabels: stringMap, matchExpressions: list(opaqueObject) });
const podAffinityTerm = obj(
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
const podAffinity = obj({
  requiredDuringSchedulingIgnoredDuringExecution: list(podAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: list(
    obj({ weight: int({ min: 1, max: 100 }), podAffinityTerm }, ['weight', 'podAffinityTerm']),
  ),
});
const toleration = obj({
  key: str(),
  operator: str({ enum: ['Exists', 'Equal'] }),
  value: str(),
  effect: str({ enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] }),
  tolerationSeconds: int(),
});

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

const clusterSpec = obj(
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

const compression = str({ enum: ['bzip2', 'gzip', 'lz4', 'snappy', 'xz', 'zstd'] });
const encryption = str({ enum: ['AES256', 'aws:kms'] });

const s3Credentials = obj(
  {
    accessKeyId: secretKeySelector,
    secretAccessKey: secretKeySelector,
    region: secretKeySelector,
    sessionToken: secretKeySelector,
    inheritFromIAMRole: bool,
  },
  [],
  [
    (o) => {
      const keys = Number(o.accessKeyId !== undefined) + Number(o.secretAccessKey !== undefined);
      if (keys === 1) return 'when using AWS credentials both accessKeyId and secretAccessKey must be provided';
      if (keys === 0 && !o.inheritFromIAMRole) return 'give accessKeyId and secretAccessKey, or inheritFromIAMRole';
      return undefined;
    },
  ],
);

const objectStoreConfiguration = obj(
  {
    googleCredentials: opaqueObject,
    s3Credentials,
    azureCredentials: opaqueObject,
    endpointURL: str({ pattern: /^https?:\/\/\S+$/ }),
    endpointCA: secretKeySelector,
    destinationPath: str({ minLength: 1, pattern: /^(s3|gs|https?):\/\/\S+$/ }),
    serverName: str(),
    wal: obj({
      compression,
      encryption,
      maxParallel: int({ min: 1 }),
      archiveAdditionalCommandArgs: strings,
      restoreAdditionalCommandArgs: strings,
    }),
    data: obj({
      compression,
      encryption,
      jobs: int({ min: 1 }),
      immediateCheckpoint: bool,
      additionalCommandArgs: strings,
      restoreAdditionalCommandArgs: strings,
    }),
    tags: stringMap,
    historyTags: stringMap,
  },
  ['destinationPath'],
  [
    // The plugin's CEL rule: the server name is the Cluster's plugin parameter.
    (o) => (o.serverName !== undefined ? "use the 'serverName' plugin parameter in the Cluster resource" : undefined),
    (o) =>
      [o.s3Credentials, o.googleCredentials, o.azureCredentials].filter((c) => c !== undefined).length > 1
        ? 'only one of s3Credentials, googleCredentials and azureCredentials'
        : undefined,
  ],
);

const objectStoreSpec = obj(
  {
    configuration: objectStoreConfiguration,
    retentionPolicy: str({ pattern: /^[1-9][0-9]*[dwm]$/ }),
    instanceSidecarConfiguration: obj({
      env: list(opaqueObject),
      retentionPolicyIntervalSeconds: int(),
      resources,
    }),
  },
  ['configuration'],
);

/**
 * robfig/cron with seconds, as the operator parses ScheduledBackup schedules: six fields
 * (seconds first), or a descriptor. A CronJob's five fields would be read shifted by one.
 */
const cronWithSeconds = str({
  pattern: /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|@every \S+|\S+( \S+){5})$/,
});

const scheduledBackupSpec = obj(
  {
    suspend: bool,
    immediate: bool,
    schedule: cronWithSeconds,
    cluster: localRef,
    backupOwnerReference: str({ enum: ['none', 'self', 'cluster'] }),
    target: str({ enum: ['primary', 'prefer-standby'] }),
    method: str({ enum: ['barmanObjectStore', 'volumeSnapshot', 'plugin'] }),
    pluginConfiguration: obj({ name: str({ minLength: 1 }), parameters: stringMap }, ['name']),
    online: bool,
    onlineConfiguration: obj({ waitForArchive: bool, immediateCheckpoint: bool }),
  },
  ['cluster', 'schedule'],
  [(o) => (o.method === 'plugin' && !o.pluginConfiguration ? 'method plugin needs pluginConfiguration' : undefined)],
);

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
