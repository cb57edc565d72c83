import { chartHelm } from './render.ts';

/** Says once, before the chart's test files, which Helm renders the chart, or why those tests skip. */
export default function announceHelm(): void {
  const found = chartHelm();
  if ('skip' in found) console.warn(`chart tests that need helm will be skipped: ${found.skip}`);
  else console.log(`chart tests use helm ${found.version} (${found.from}): ${found.bin}`);
}
