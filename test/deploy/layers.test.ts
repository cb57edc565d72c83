import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderCycles, type Import, layerViolations, repositoryImports } from '../../dev/layer-rules.ts';

const root = resolve(import.meta.dirname, '../..');

describe('layers: imports flow one way', () => {
  const imports = repositoryImports(root);

  it('reads the imports of the whole tree, type-only imports included', () => {
    expect(imports.length).toBeGreaterThan(500);
    expect(imports).toContainEqual({ from: 'api/app.ts', to: 'core/deps.ts', typeOnly: true });
    expect(imports).toContainEqual({ from: 'db/schema.ts', to: 'vocabulary/enums.ts', typeOnly: false });
  });

  it('has no import from a lower tier into a higher one, and no folders that import each other', () => {
    expect([...layerViolations(imports), ...folderCycles(imports)]).toEqual([]);
  });

  it('names an upward import, a type-only one included', () => {
    const upward: Import[] = [
      { from: 'db/queries/items.ts', to: 'api/lib/types.ts', typeOnly: true },
      { from: 'jobs/runner.ts', to: 'api/app.ts', typeOnly: false },
      { from: 'core/deps.ts', to: 'jobs/registry.ts', typeOnly: true },
      { from: 'vocabulary/enums.ts', to: 'db/schema.ts', typeOnly: false },
    ];
    const found = layerViolations(upward);
    expect(found).toHaveLength(4);
    expect(found[0]).toBe(
      'db/queries/items.ts imports api/lib/types.ts: db is below api (entries → server → api → jobs → core → db → vocabulary)',
    );
  });

  it('lets the dashboard import the vocabulary, and the other tiers only as types', () => {
    const found = layerViolations([
      { from: 'web/src/lib/api.ts', to: 'api/app.ts', typeOnly: true },
      { from: 'web/src/routes.ts', to: 'vocabulary/permissions.ts', typeOnly: false },
      { from: 'web/src/pages/jobs/job-types.ts', to: 'jobs/registry.ts', typeOnly: false },
    ]);
    expect(found).toEqual([
      'web/src/pages/jobs/job-types.ts imports jobs/registry.ts: the dashboard imports only vocabulary/ and types',
    ]);
  });

  it('keeps tooling out of the product, and lets tooling and tests import anything', () => {
    expect(
      layerViolations([
        { from: 'api/server/app-server.ts', to: 'dev/child-process.ts', typeOnly: false },
        { from: 'db/queries/items.test.ts', to: 'api/app.ts', typeOnly: false },
        { from: 'bench/run.ts', to: 'api/entries/node.ts', typeOnly: false },
      ]),
    ).toEqual([
      'api/server/app-server.ts imports dev/child-process.ts: the product never imports tooling (dev/, bench/, test/)',
    ]);
  });

  it('names two folders that import each other, at any depth', () => {
    const cycles = folderCycles([
      { from: 'api/lib/route.ts', to: 'api/middleware/rate-limit.ts', typeOnly: false },
      { from: 'api/middleware/access-log.ts', to: 'api/lib/route-template.ts', typeOnly: false },
    ]);
    expect(cycles).toEqual([
      'api/lib ⇄ api/middleware: api/lib/route.ts → api/middleware/rate-limit.ts, and api/middleware/access-log.ts → api/lib/route-template.ts',
    ]);
  });
});
