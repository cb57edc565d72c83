import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { staleReason } from '../../dev/ensure-web-build.ts';
import { API_REFERENCE_SCRIPT } from '../../vocabulary/paths.ts';

/** `npm start` rebuilds the dashboard when its sources are newer than the build (after a `git pull`). */
const root = mkdtempSync(join(tmpdir(), 'edgeplane-web-build-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dist = join(root, 'dist/web');

function write(path: string, at: number): void {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, 'x');
  utimesSync(full, at / 1000, at / 1000);
}

describe('whether the dashboard build is current', () => {
  const t0 = Date.now() - 3_600_000;

  it('Should build on a first start, or when the build lacks the API reference script', () => {
    expect(staleReason(dist, root)).toBe('first start');
    write('dist/web/index.html', t0);
    expect(staleReason(dist, root)).toBe('first start');
  });

  it('Should keep a build newer than every source', () => {
    write('web/src/pages/items/items-page.tsx', t0 - 60_000);
    write('vocabulary/enums.ts', t0 - 60_000);
    write(`dist/web/${API_REFERENCE_SCRIPT}`, t0);
    // Folders take the time of their last entry change; set them back too.
    for (const dir of ['web/src/pages/items', 'web/src/pages', 'web/src', 'web', 'vocabulary']) {
      utimesSync(join(root, dir), (t0 - 60_000) / 1000, (t0 - 60_000) / 1000);
    }
    expect(staleReason(dist, root)).toBeUndefined();
  });

  it('Should rebuild when a source file deep in the tree, or the vocabulary, changed after the build', () => {
    write('web/src/pages/items/items-page.tsx', t0 + 60_000);
    expect(staleReason(dist, root)).toBe('web/src changed since the last build');
    write('dist/web/index.html', t0 + 120_000);
    expect(staleReason(dist, root)).toBeUndefined();
    write('vocabulary/enums.ts', t0 + 180_000);
    expect(staleReason(dist, root)).toBe('vocabulary changed since the last build');
  });
});
