import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as monitoringV1 from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as coreV1 from 'kubernetes-models/v1';
import ts from 'typescript';
import { CNPG_KINDS } from './cnpg-schemas.ts';
import type { Manifest } from './render.ts';
import { problems } from './strict-schema.ts';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

// The kinds the chart may render, by apiVersion, with the npm package that models each:
// upstream Kubernetes schemas (kubernetes-models) and the Prometheus Operator CRDs.
const MODELS: Record<string, { pkg: string; module: Record<string, unknown> }> = {
  v1: { pkg: 'kubernetes-models/v1', module: coreV1 },
  'apps/v1': { pkg: 'kubernetes-models/apps/v1', module: appsV1 },
  'batch/v1': { pkg: 'kubernetes-models/batch/v1', module: batchV1 },
  'policy/v1': { pkg: 'kubernetes-models/policy/v1', module: policyV1 },
  'autoscaling/v2': { pkg: 'kubernetes-models/autoscaling/v2', module: autoscalingV2 },
  'networking.k8s.io/v1': { pkg: 'kubernetes-models/networking.k8s.io/v1', module: networkingV1 },
  'monitoring.coreos.com/v1': {
    pkg: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
    module: monitoringV1,
  },
};

function label(m: Manifest): string {
  return `${m.object.kind} ${m.object.metadata?.name} (${m.source})`;
}

/** The CloudNativePG kinds have no npm model: they are checked by cnpg-schemas.ts, unknown fields included. */
function cnpgCheck(m: Manifest) {
  return CNPG_KINDS[m.object.apiVersion]?.[m.object.kind];
}

/**
 * Validates each object against the JSON schema of its apiVersion/kind (types, required
 * fields, formats, enums); returns one message per invalid or unknown object.
 */
export function schemaErrors(manifests: Manifest[]): string[] {
  const errors: string[] = [];
  for (const m of manifests) {
    const check = cnpgCheck(m);
    if (check) {
      errors.push(...problems(check, m.object, label(m)));
      continue;
    }
    const Model = MODELS[m.object.apiVersion]?.module[m.object.kind] as ModelClass | undefined;
    if (!Model) {
      errors.push(`${label(m)}: no schema for ${m.object.apiVersion} ${m.object.kind}`);
      continue;
    }
    try {
      new Model(m.object).validate();
    } catch (error) {
      errors.push(`${label(m)}: ${(error as Error).message}`);
    }
  }
  return errors;
}

const ROOT = dirname(fileURLToPath(import.meta.url));

/**
 * The schemas above accept fields they do not know, as the API server would not (it
 * rejects or drops them: a misspelt `readOnlyRootFilesystem` is silently ignored). So each
 * object is also type-checked as an object literal of the package's interface for its
 * kind: TypeScript's excess-property check names every unknown field.
 */
export function unknownFieldErrors(all: Manifest[]): string[] {
  // The CloudNativePG checks refuse unknown fields themselves.
  const cnpgErrors = all
    .filter(cnpgCheck)
    .flatMap((m) => problems(cnpgCheck(m) as NonNullable<ReturnType<typeof cnpgCheck>>, m.object, label(m)))
    .filter((e) => e.endsWith(': unknown field'));
  const manifests = all.filter((m) => !cnpgCheck(m));
  const imports = new Map<string, string>();
  const lines = manifests.map((m, i) => {
    const model = MODELS[m.object.apiVersion];
    const alias = `T${i}`;
    imports.set(alias, `import type { I${m.object.kind} as ${alias} } from '${model?.pkg}/${m.object.kind}';`);
    return `export const m${i}: ${alias} = ${JSON.stringify(m.object)};`;
  });
  const header = [...imports.values()];
  const file = join(ROOT, '__rendered_manifests__.ts');
  const text = [...header, ...lines].join('\n');

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => name === file || ts.sys.fileExists(name);
  host.readFile = (name) => (name === file ? text : readFile(name));
  host.getSourceFile = (name, version) =>
    name === file ? ts.createSourceFile(name, text, version) : getSourceFile(name, version);
  const program = ts.createProgram([file], options, host);
  return [
    ...cnpgErrors,
    ...ts.getPreEmitDiagnostics(program).map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (d.file?.fileName !== file || d.start === undefined) return message;
      const line = d.file.getLineAndCharacterOfPosition(d.start).line - header.length;
      const m = manifests[line];
      return m ? `${label(m)}: ${message}` : message;
    }),
  ];
}
