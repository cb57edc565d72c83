/**
 * The actions the workflows use, at the major version they are pinned to, with the inputs
 * each one's action.yml declares (from the actions' own documentation). A `with:` key not
 * listed here is a typo the runner would only warn about, and the step would run without it.
 */
export const ACTIONS: Record<string, { major: number; inputs: string[] }> = {
  'actions/checkout': {
    major: 7,
    inputs: [
      'repository',
      'ref',
      'token',
      'ssh-key',
      'persist-credentials',
      'path',
      'clean',
      'filter',
      'sparse-checkout',
      'fetch-depth',
      'fetch-tags',
      'lfs',
      'submodules',
    ],
  },
  'actions/setup-node': {
    major: 7,
    inputs: ['node-version', 'node-version-file', 'architecture', 'check-latest', 'registry-url', 'scope', 'cache'],
  },
  'docker/setup-buildx-action': { major: 4, inputs: ['version', 'driver', 'driver-opts', 'platforms', 'use', 'name'] },
  'docker/login-action': { major: 4, inputs: ['registry', 'username', 'password', 'ecr', 'logout'] },
  'docker/metadata-action': {
    major: 6,
    inputs: ['images', 'tags', 'flavor', 'labels', 'annotations', 'sep-tags', 'sep-labels', 'github-token'],
  },
  'docker/build-push-action': {
    major: 7,
    inputs: [
      'context',
      'file',
      'push',
      'load',
      'tags',
      'labels',
      'annotations',
      'build-args',
      'target',
      'platforms',
      'cache-from',
      'cache-to',
      'provenance',
      'sbom',
      'secrets',
      'outputs',
      'no-cache',
      'pull',
    ],
  },
  'cloudflare/wrangler-action': {
    major: 4,
    inputs: [
      'apiToken',
      'accountId',
      'command',
      'environment',
      'workingDirectory',
      'wranglerVersion',
      'secrets',
      'vars',
      'preCommands',
      'postCommands',
      'quiet',
      'packageManager',
      'gitHubToken',
    ],
  },
  'azure/setup-helm': { major: 5, inputs: ['version', 'token', 'downloadBaseURL'] },
  'helm/kind-action': {
    major: 1,
    inputs: ['version', 'config', 'node_image', 'cluster_name', 'wait', 'verbosity', 'kubectl_version', 'install_only'],
  },
};
