# syntax=docker/dockerfile:1
#
# vibeguard GitHub App. Build:  docker build -t vibeguard .
# Run:    docker run -p 3000:3000 -e APP_ID=... -e PRIVATE_KEY="$(cat key.pem)" -e WEBHOOK_SECRET=... vibeguard
# GitHub Enterprise Server: add -e GHE_HOST=github.example.com (and GHE_PROTOCOL=http if not https).
# Redis mode (docs/deploy.md): add -e REDIS_URL=redis://host:6379 to the server, and run workers
# from the same image: docker run -e REDIS_URL=... -e APP_ID=... -e PRIVATE_KEY=... vibeguard node dist/worker.js
#
# The App is compiled with tsc (npm run build -> dist/) and runs with plain node; the rule
# YAML sits in /app/rules, which dist/engine resolves as ../../rules, as src/engine does.
# tree-sitter's native bindings compile with node-gyp during `npm ci`, so both install stages
# have python3/make/g++; the final image has neither, only the installed node_modules.

# Pin the exact Node release (matches engines >=20.18.1 and CI). For fully reproducible builds
# pin the digest too: node:20.20.2-bookworm-slim@sha256:<digest>.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS toolchain
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

# ---- build: all dependencies, compile TypeScript to dist/ ----------------------------------
FROM toolchain AS build
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- production dependencies only (native modules built here, against the same image) ------
FROM toolchain AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev \
 && npm cache clean --force

# ---- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    npm_config_update_notifier=false
# Owned by root and read-only to the app user: the running App cannot rewrite its own code.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json package-lock.json app.yml ./
COPY rules ./rules
# Popular package names for the dependency typosquat check (dist/deps resolves ../../data).
COPY data ./data
COPY --from=build /app/dist ./dist

# The official image's unprivileged user (uid 1000).
USER node
EXPOSE 3000

# No curl in slim images: node's own fetch. Fails until Probot has loaded the App and listens.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node directly (not npm) so SIGTERM from `docker stop` reaches the server, which stops cleanly.
# A worker is the same image with the command `node dist/worker.js` (it answers /healthz on PORT too).
CMD ["node", "dist/server.js"]
