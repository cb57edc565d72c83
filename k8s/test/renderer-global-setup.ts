import { findRenderer } from './render.ts';

/** Builds dev/helm-render once before the chart's test files, which would otherwise race to build it. */
export default function buildRenderer(): void {
  const found = findRenderer();
  if ('skip' in found) console.warn(`chart tests will be skipped: ${found.skip}`);
}
