# syntax=docker/dockerfile:1
# Multi-stage build of the Rapport engine. better-sqlite3 is compiled from source in the build stage
# (no prebuilt binary download), so the image works on any architecture Node supports.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Build native modules from source; install scripts are needed for better-sqlite3.
ENV npm_config_build_from_source=true
RUN npm ci
COPY nest-cli.json tsconfig.json tsconfig.build.json .swcrc ./
COPY tools/build ./tools/build
COPY apps ./apps
COPY libs ./libs
COPY projections ./projections
# SWC build of the engine and the CLI (and the JSON assets the code loads) into dist/.
RUN npm run build \
 && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
RUN groupadd --system rapport && useradd --system --gid rapport --home /app rapport \
 && mkdir -p /data && chown rapport:rapport /data
COPY --from=build --chown=rapport:rapport /app/node_modules ./node_modules
COPY --from=build --chown=rapport:rapport /app/dist ./dist
COPY --from=build --chown=rapport:rapport /app/package.json ./package.json
# The web console's static files are read at start-up from apps/engine/console.
COPY --from=build --chown=rapport:rapport /app/apps/engine/console ./apps/engine/console
# The CLI (import, verify, export, rebuild, ...) on the PATH: `docker compose exec engine rapport --help`.
RUN printf '#!/bin/sh\nexec node /app/dist/apps/cli/src/main.js "$@"\n' > /usr/local/bin/rapport \
 && chmod 755 /usr/local/bin/rapport
USER rapport
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/engine/src/main.js"]
