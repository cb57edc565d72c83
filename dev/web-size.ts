/**
 * `npm run size:web`: what the dashboard costs to load, from the build's manifest. The
 * initial JavaScript is the entry chunk and everything it imports statically; each page
 * adds its lazy chunk (and that chunk's own static imports) on top. Sizes are gzip -9,
 * as a CDN serves them. Fails when the initial load is over budget.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WEB_DIST } from '../web/vite.config.ts';

const BUDGET_KIB = 60;

interface Chunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  css?: string[];
}

const manifest = JSON.parse(readFileSync(join(WEB_DIST, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
const gz = new Map<string, number>();
const gzipSize = (file: string) => {
  let size = gz.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(join(WEB_DIST, file)), { level: 9 }).length;
    gz.set(file, size);
  }
  return size;
};

/** A chunk's JS files with everything it imports statically. */
function closure(key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const dep of chunk.imports ?? []) closure(dep, seen);
  return seen;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const sum = (files: Iterable<string>) => [...files].reduce((total, file) => total + gzipSize(file), 0);

const entryKey = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
if (!entryKey) throw new Error('no entry chunk in the manifest: run npm run build:web first');
const initial = closure(entryKey);
const initialBytes = sum(initial);
console.log(`initial JavaScript (entry + static imports): ${kib(initialBytes)} gzip, budget ${BUDGET_KIB} KiB`);
for (const file of initial) console.log(`  ${file.padEnd(44)} ${kib(gzipSize(file))}`);

console.log('\nper page, on top of the initial load:');
const pages = Object.entries(manifest).filter(([, chunk]) => chunk.isDynamicEntry && chunk.src?.includes('/pages/'));
for (const [key, chunk] of pages.sort(([a], [b]) => a.localeCompare(b))) {
  const extra = [...closure(key)].filter((file) => !initial.has(file));
  console.log(`  ${(chunk.src ?? key).replace('src/pages/', '').padEnd(36)} +${kib(sum(extra))}`);
}

if (initialBytes > BUDGET_KIB * 1024) {
  console.error(`\nover budget: ${kib(initialBytes)} > ${BUDGET_KIB} KiB`);
  process.exit(1);
}
