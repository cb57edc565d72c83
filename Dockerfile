# syntax=docker/dockerfile:1
#
# The self-hosted image: the Node entry bundled to JavaScript (dist/node, `npm run
# build:node`) and the dashboard build, on a slim Node 20 with production dependencies only.
# No TypeScript is compiled when a container starts.
#
#   docker build -t edgeplane .
#   docker run --read-only -p 8787:8787 -e DATABASE_URL=postgres://… -e JWT_SIGNING_KEYS=… edgeplane
#
# The container runs as uid/gid 10001 and writes nothing to its filesystem, so it runs
# with a read-only root. It needs DATABASE_URL: the embedded PGlite database (DATA_DIR)
# is for `npm start` on a laptop, not for containers. /tmp is the only path the process
# may write (os.tmpdir()); mount an emptyDir there if a read-only root is enforced
# (the Helm chart does). Migrations: `node dist/node/db-cli.js migrate` with the same image
# (the chart's pre-install/pre-upgrade hook), or MIGRATE_ON_START=true.

# The base image, written once as a stage of its own: Dependabot updates a literal FROM
# (it does not follow an ARG), and every stage below starts from this one.
FROM node:20-bookworm-slim AS node

# Dependencies for the build (dev dependencies included: vite, the Solid plugin, esbuild).
FROM node AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web && npm run build:node

# Production dependencies only, in a stage of their own so the runtime copies nothing else.
FROM node AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM node AS runtime
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="edgeplane" \
      org.opencontainers.image.description="Edgeplane API and dashboard (Node entry)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# npm is not needed at run time (the command starts node directly): removing it leaves
# less to patch. The app's own files stay owned by root, read-only to the app user.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
 && groupadd --system --gid 10001 edgeplane \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin edgeplane
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    WEB_DIR=/app/dist/web
COPY --from=deps /app/node_modules ./node_modules
# package.json says the bundle's .js files are ES modules. The bundle finds the migrations
# where the sources keep them (db/migrations), as it finds every path relative to a source.
COPY package.json ./
COPY db/migrations ./db/migrations
COPY --from=build /app/dist/node ./dist/node
COPY --from=build /app/dist/web ./dist/web
USER 10001:10001
EXPOSE 8787
# Liveness only (no dependencies): a database outage should not get the container
# restarted. Slim images have no curl; Node 20 has fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8787) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The entry drains on SIGTERM (readiness 503, in-flight requests finish within
# SHUTDOWN_DRAIN_MS, jobs handed back, pools closed) and exits 0. It runs as PID 1
# with its own signal handlers and starts no child processes.
STOPSIGNAL SIGTERM
CMD ["node", "dist/node/node.js"]
