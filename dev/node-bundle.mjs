// @ts-check
/**
 * The Node server as plain JavaScript (`dist/node/`): the entries and the packages they
 * import bundled with esbuild. Node then starts it without running TypeScript through
 * tsx's hooks (about a second of every start on two cores) and without finding, reading
 * and compiling some 300 package files one by one (a further 0.15 s of a warm start).
 * Plain JavaScript itself, so `npm start` can check and build it before any TypeScript
 * can run. `npm run build:node` builds it; `npm start` rebuilds it when a file it was
 * built from changed since (`bundleStaleReason`), which takes well under a second.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where the bundle goes; `dist/` is build output, kept out of git and the image's build context. */
export const BUNDLE_DIR = join(ROOT, 'dist/node');
/** The entries, by the name of the file each becomes in `BUNDLE_DIR`. */
export const BUNDLE_ENTRIES = {
  node: 'api/entries/node.ts',
  'db-cli': 'api/entries/db-cli.ts',
  'ensure-web-build': 'dev/ensure-web-build.ts',
};
/**
 * Packages that stay in node_modules: PGlite finds its WebAssembly and data files beside
 * its own modules; pg, node-redis and Neon's driver are loaded only by the configurations
 * that use them (and are CommonJS, or bring a WebSocket client); vite only builds the dashboard.
 */
export const EXTERNAL_PACKAGES = ['@electric-sql/pglite', 'pg', 'redis', '@neondatabase/serverless', 'vite'];
const RECORD = 'build.json';
/** Besides the bundled sources, what shapes the output: this file (the options) and the TypeScript settings. */
const BUILD_INPUTS = ['dev/node-bundle.mjs', 'tsconfig.json'];

/**
 * @typedef {object} BuildRecord
 * @property {number} builtAt when the build started (ms since the epoch)
 * @property {string[]} inputs repository paths of every file the build read
 * @property {string[]} outputs file names in the bundle directory
 */

/**
 * @param {string} dir
 * @returns {BuildRecord | undefined}
 */
function readRecord(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, RECORD), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Why the bundle needs building, or undefined when it is current: a file it was built
 * from (a source, a bundled package's file, the build's own settings) changed or went
 * away since the build started; an install that changes a bundled package rebuilds it.
 * @param {string} [dir] the bundle directory
 * @param {string} [root] the repository the record's paths are relative to
 * @returns {string | undefined}
 */
export function bundleStaleReason(dir = BUNDLE_DIR, root = ROOT) {
  const record = readRecord(dir);
  if (!record?.outputs.every((file) => existsSync(join(dir, file)))) return 'no build yet';
  for (const input of record.inputs) {
    let changed;
    try {
      changed = statSync(join(root, input)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    if (changed > record.builtAt) return `${input} changed since the last build`;
  }
  return undefined;
}

/**
 * Every bundled module's `import.meta.url` stays the URL of its source file, worked out
 * from where the bundle runs, so a path found relative to a module (the migrations folder,
 * the dashboard's build) is the same from the bundle as from the sources. This holds
 * wherever the checkout (or the image's /app) lies, as long as dist/node stays beside the sources.
 * @param {string} outdir
 * @returns {import('esbuild').Plugin}
 */
function sourceLocations(outdir) {
  return {
    name: 'source-locations',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (/\bimport\.meta\.(dirname|filename)\b/.test(source)) {
          const file = relative(build.initialOptions.absWorkingDir ?? ROOT, args.path);
          return {
            errors: [
              { text: `${file}: use import.meta.url (import.meta.dirname and .filename are not kept for the bundle)` },
            ],
          };
        }
        const fromBundle = JSON.stringify(relative(outdir, args.path).split('\\').join('/'));
        return {
          contents: source.replace(/\bimport\.meta\.url\b/g, `new URL(${fromBundle}, import.meta.url).href`),
          loader: 'ts',
        };
      });
    },
  };
}

/**
 * Builds the bundle into `dir`. Each file is written whole and renamed into place, so a
 * start running at the same moment never loads half a file; the previous build's chunks
 * stay, for a server still running from it, and older ones are removed.
 * @param {{ dir?: string, root?: string }} [options]
 */
export async function buildNodeBundle(options = {}) {
  const dir = options.dir ?? BUNDLE_DIR;
  const root = options.root ?? ROOT;
  // Loaded only to build: most starts find the bundle current.
  const esbuild = await import('esbuild');
  const builtAt = Date.now();
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(BUNDLE_ENTRIES).map(([name, path]) => [name, join(root, path)])),
    outdir: dir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL_PACKAGES.flatMap((name) => [name, `${name}/*`]),
    // A bundled CommonJS module's require() of a Node built-in needs a require to call.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    // For debuggers and `node --enable-source-maps` (off by default: reading them costs start-up).
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
    plugins: [sourceLocations(dir)],
  });
  await mkdir(dir, { recursive: true });
  const outputs = [];
  for (const file of result.outputFiles) {
    const name = relative(dir, file.path);
    outputs.push(name);
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
  const inputs = [...Object.keys(result.metafile.inputs), ...BUILD_INPUTS];
  const previous = readRecord(dir)?.outputs ?? [];
  /** @type {BuildRecord} */
  const record = { builtAt, inputs, outputs };
  await writeFile(join(dir, RECORD), `${JSON.stringify(record, null, 2)}\n`);
  const keep = new Set([...outputs, ...previous, RECORD]);
  for (const name of await readdir(dir)) {
    if (!keep.has(name)) await rm(join(dir, name), { force: true, recursive: true });
  }
  return record;
}

/** Builds the bundle when it is missing or stale (`npm start` runs this first). */
export async function ensureNodeBundle() {
  const reason = bundleStaleReason();
  if (!reason) return;
  const started = performance.now();
  await buildNodeBundle();
  console.log(`Built the Node bundle in ${Math.round(performance.now() - started)} ms (${reason}).`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildNodeBundle();
}
