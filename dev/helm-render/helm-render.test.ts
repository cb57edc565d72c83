import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRenderer, type Renderer, type RenderOptions, render, renderNotes } from '../../k8s/test/render.ts';

const found = findRenderer();
const skip = 'skip' in found ? ` (skipped: ${found.skip})` : '';

// A small chart using each Helm feature the renderer reproduces; the expectations are what
// `helm template` prints for it, quirks included (a float64 1000000 quotes as 1e+06).
const FIXTURE: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: fixture\nversion: 1.2.3\nappVersion: "9.8.7"\nkubeVersion: ">=1.20.0-0"\n',
  'values.yaml': [
    'greeting: hello',
    'count: 3',
    'big: 1000000',
    'nested: {a: {b: c}}',
    'list: [x, w]',
    'template: "{{ .Values.greeting }} from {{ .Release.Name }}"',
    'requireIt: {}',
    'failIt: false',
  ].join('\n'),
  'values.schema.json': JSON.stringify({ type: 'object', properties: { count: { type: 'integer' } } }),
  '.helmignore': '# not part of the chart\nignored.txt\n',
  'ignored.txt': 'must not be visible',
  'files/a.txt': 'A\nB',
  'files/b.txt': 'bee',
  'templates/_helpers.tpl': '{{- define "fixture.hello" -}}hi {{ . }}{{- end }}',
  'templates/NOTES.txt': 'Thanks for installing {{ .Release.Name }} {{ .Chart.Version }}.',
  'templates/checks.yaml': `{{- if index .Values.requireIt "on" }}{{ required "set requireIt.name" (index .Values.requireIt "name") }}{{ end }}
{{- if .Values.failIt }}{{ fail "failIt was set" }}{{ end }}`,
  'templates/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}
  namespace: {{ .Release.Namespace }}
data:
  include: {{ include "fixture.hello" "there" | quote }}
  tpl: {{ tpl .Values.template . | quote }}
  toYaml: |
    {{- toYaml .Values.nested | nindent 4 }}
  toJson: {{ toJson .Values.list | quote }}
  fromYaml: {{ (fromYaml "k: v").k | quote }}
  lookup: {{ lookup "v1" "Secret" "ns" "x" | len | quote }}
  file: {{ .Files.Get "files/b.txt" | quote }}
  glob: {{ $found := list }}{{ range $path, $_ := .Files.Glob "files/*" }}{{ $found = append $found $path }}{{ end }}{{ join "," $found | quote }}
  lines: {{ .Files.Lines "files/a.txt" | len | quote }}
  ignored: {{ .Files.Get "ignored.txt" | quote }}
  asConfig: |
    {{- (.Files.Glob "files/*").AsConfig | nindent 4 }}
  template: {{ .Template.Name | quote }}
  basePath: {{ .Template.BasePath | quote }}
  appVersion: {{ .Chart.AppVersion | quote }}
  isInstall: {{ .Release.IsInstall | quote }}
  service: {{ .Release.Service | quote }}
  capsApps: {{ .Capabilities.APIVersions.Has "apps/v1" | quote }}
  capsOther: {{ .Capabilities.APIVersions.Has "example.com/v1" | quote }}
  kube: {{ semverCompare ">=1.20.0-0" .Capabilities.KubeVersion.Version | quote }}
  big: {{ .Values.big | quote }}
  count: {{ .Values.count | quote }}
  sha: {{ "abc" | sha256sum | trunc 12 | quote }}
`,
};

describe.skipIf('skip' in found)(`renderer: Helm's template language and objects${skip}`, () => {
  let chartDir: string;
  const renderFixture = async (options: RenderOptions = {}) => {
    const manifests = await render(found as Renderer, { name: 'rel', namespace: 'ns', chartDir, ...options });
    expect(manifests.map((m) => m.source)).toEqual(['fixture/templates/cm.yaml']);
    return manifests[0]?.object.data as Record<string, string>;
  };

  beforeAll(() => {
    chartDir = join(mkdtempSync(join(tmpdir(), 'helm-render-fixture-')), 'fixture');
    for (const [path, text] of Object.entries(FIXTURE)) {
      mkdirSync(dirname(join(chartDir, path)), { recursive: true });
      writeFileSync(join(chartDir, path), text);
    }
  });
  afterAll(() => rmSync(dirname(chartDir), { recursive: true, force: true }));

  it('renders sprig and Helm functions, .Files, .Template, .Chart, .Release and .Capabilities', async () => {
    expect(await renderFixture()).toEqual({
      include: 'hi there',
      tpl: 'hello from rel',
      toYaml: 'a:\n  b: c\n',
      toJson: '["x","w"]',
      fromYaml: 'v',
      lookup: '0',
      file: 'bee',
      glob: 'files/a.txt,files/b.txt',
      lines: '2',
      ignored: '',
      asConfig: 'a.txt: |-\n  A\n  B\nb.txt: bee\n',
      template: 'fixture/templates/cm.yaml',
      basePath: 'fixture/templates',
      appVersion: '9.8.7',
      isInstall: 'true',
      service: 'Helm',
      capsApps: 'true',
      capsOther: 'false',
      kube: 'true',
      big: '1e+06',
      count: '3',
      sha: 'ba7816bf8f01',
    });
  });

  it('types and nests --set values as Helm does (an index replaces the whole list, escaped commas, leading zeros)', async () => {
    const data = await renderFixture({
      set: ['count=5,list[1]=z,nested.a.b=d', 'greeting=a\\,b', 'nested.a.z=007'],
    });
    expect(data).toMatchObject({
      count: '5',
      toJson: '[null,"z"]',
      tpl: 'a,b from rel',
      toYaml: 'a:\n  b: d\n  z: "007"\n',
    });
  });

  it('lays values files over values.yaml, later files winning', async () => {
    const data = await renderFixture({ values: [{ greeting: 'one', count: 1 }, { greeting: 'two' }] });
    expect(data).toMatchObject({ tpl: 'two from rel', count: '1' });
  });

  it('refuses values against values.schema.json, and stops at required and fail with their messages', async () => {
    await expect(renderFixture({ set: ['count=many'] })).rejects.toThrow(/count/);
    await expect(renderFixture({ set: ['requireIt.on=true'] })).rejects.toThrow('set requireIt.name');
    await expect(renderFixture({ set: ['failIt=true'] })).rejects.toThrow('failIt was set');
  });

  it('renders NOTES.txt apart from the manifests', async () => {
    expect((await renderNotes(found as Renderer, { name: 'rel', chartDir })).trim()).toBe(
      'Thanks for installing rel 1.2.3.',
    );
  });
});
