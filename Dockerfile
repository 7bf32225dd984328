# Satu Pintu: the compiled server (npm run build) on Node.js 20 (.nvmrc), run as the unprivileged
# `node` user. One image for every role: ROLE=all (the default), api or worker (compose.yaml).
#
#   docker build -t satu-pintu .
#   docker run -p 3000:3000 -p 2525:2525 -v satu-pintu-data:/data satu-pintu
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# The toolchain of native modules: better-sqlite3 compiles itself when no prebuilt binary downloads.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# Every dependency, then the TypeScript compiled into dist/. --ignore-scripts: the package's own
# prepare script (npm run build) would run before the sources are here; the compiler needs no
# install script.
FROM toolchain AS build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig*.json ./
COPY src src
COPY channels channels
COPY migrations migrations
COPY web web
RUN npm run build

# Production dependencies only, their native parts built here, where the toolchain is (the runtime
# image has none). Only better-sqlite3 (the SQLite driver) and msgpackr-extract (BullMQ's fast
# encoder) have install scripts the server needs.
FROM toolchain AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm rebuild better-sqlite3 msgpackr-extract \
  && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
  DATA_DIR=/data
WORKDIR /app
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
# SQLite's file (ROLE=all without DATABASE_URL) and the attachments live here; the directory is the
# node user's, so a fresh named volume mounted on it is too.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
# HTTP (the API, the webhooks, /metrics) and the SMTP listener for inbound mail.
EXPOSE 3000 2525
# /healthz on PORT; a ROLE=worker process serves it on METRICS_PORT. No curl in a slim image: node.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "const port = process.env.ROLE === 'worker' ? process.env.METRICS_PORT : process.env.PORT || 3000; fetch('http://127.0.0.1:' + port + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "--max-semi-space-size=32", "--no-allocation-site-pretenuring", "dist/src/main.js"]
