import { localRef, resources, secretKeySelector, stringMap, strings } from './cnpg-common-types.ts';
import { bool, int, list, obj, opaqueObject, str } from './strict-schema.ts';

/**
 * barmancloud.cnpg.io/v1 ObjectStore (the Barman Cloud plugin's api/v1/objectstore_types.go and
 * barman-cloud's BarmanObjectStoreConfiguration) and postgresql.cnpg.io/v1 ScheduledBackup (its CRD).
 */

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

export const objectStoreSpec = obj(
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

export const scheduledBackupSpec = obj(
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
