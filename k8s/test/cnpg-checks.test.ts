import { beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors, unknownFieldErrors } from './kube-schemas.ts';
import { chartHelm, type Helm, type KubeObject, type Manifest, render } from './render.ts';
import { CLOUDNATIVE_PG } from './value-sets.ts';

const found = chartHelm();
const skip = 'skip' in found ? ` (skipped: ${found.skip})` : '';
const helm = found as Helm;

describe.skipIf('skip' in found)(`chart: the CloudNativePG checks themselves${skip}`, () => {
  let m: Manifest[];
  beforeAll(async () => {
    m = await render(helm, { values: [CLOUDNATIVE_PG] });
  });
  const broken = (kind: string, change: (o: KubeObject) => void) => {
    const copy = structuredClone(m.find((x) => x.object.kind === kind)) as Manifest;
    change(copy.object);
    return [copy];
  };

  it('catch a misspelt field at any depth, with its path', () => {
    const typo = broken('Cluster', (o) => {
      o.spec.affinity.podAntiAffinityTyp = 'required';
    });
    expect(schemaErrors(typo).join()).toMatch(/spec\.affinity\.podAntiAffinityTyp: unknown field/);
    expect(unknownFieldErrors(typo).join()).toMatch(/podAntiAffinityTyp: unknown field/);
    const top = broken('ObjectStore', (o) => {
      o.spec.configuration.destinationPat = 's3://x';
    });
    expect(schemaErrors(top).join()).toMatch(/configuration\.destinationPat: unknown field/);
  });

  it('catch what the API server or the operator would refuse', () => {
    const cases: [string, (o: KubeObject) => void, RegExp][] = [
      [
        'Cluster',
        (o) => {
          o.spec.instances = 0;
        },
        /spec\.instances: must be at least 1/,
      ],
      [
        'Cluster',
        (o) => {
          o.spec.postgresql.parameters.max_connections = 200;
        },
        /max_connections: must be a string/,
      ],
      [
        'Cluster',
        (o) => {
          o.spec.affinity.podAntiAffinityType = 'soft';
        },
        /podAntiAffinityType: must be one of/,
      ],
      [
        'Cluster',
        (o) => {
          o.spec.postgresql.synchronous.number = 0;
        },
        /synchronous\.number: must be at least 1/,
      ],
      [
        'Cluster',
        (o) => {
          o.spec.plugins.push({ ...o.spec.plugins[0] });
        },
        /at most one plugin can be the WAL archiver/,
      ],
      [
        'Cluster',
        (o) => {
          o.spec.imageCatalogRef = { kind: 'ImageCatalog', name: 'pg', major: 17 };
        },
        /mutually exclusive/,
      ],
      [
        'ScheduledBackup',
        (o) => {
          o.spec.schedule = '0 3 * * *';
        },
        /spec\.schedule: "0 3 \* \* \*" does not match/,
      ],
      [
        'ScheduledBackup',
        (o) => {
          delete o.spec.pluginConfiguration;
        },
        /method plugin needs pluginConfiguration/,
      ],
      [
        'ScheduledBackup',
        (o) => {
          delete o.spec.cluster;
        },
        /spec\.cluster: required/,
      ],
      [
        'ObjectStore',
        (o) => {
          o.spec.configuration.serverName = 'x';
        },
        /'serverName' plugin parameter in the Cluster/,
      ],
      [
        'ObjectStore',
        (o) => {
          o.spec.retentionPolicy = '30 days';
        },
        /retentionPolicy: "30 days" does not match/,
      ],
      [
        'ObjectStore',
        (o) => {
          delete o.spec.configuration.s3Credentials.secretAccessKey;
        },
        /both accessKeyId and secretAccessKey/,
      ],
      [
        'ObjectStore',
        (o) => {
          o.spec.configuration.wal.compression = 'brotli';
        },
        /wal\.compression: must be one of/,
      ],
    ];
    for (const [kind, change, message] of cases) expect(schemaErrors(broken(kind, change)).join('\n')).toMatch(message);
  });
});
