# newswatch service image. tsx runs the TypeScript at run time and is a production dependency,
# so `npm ci --omit=dev` installs everything the service needs and nothing it does not.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lockfile changes.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# .dockerignore admits only the runtime tree (bin, src, workers, data with the demo's site, tsconfig.json).
# Files stay owned by root: the service can read its code but not rewrite it.
COPY . .

# The image's unprivileged `node` user (uid 1000); feeds.yml and subscribers.yml are mounted read-only.
USER node
EXPOSE 8080

# Readiness, not mere liveness: unhealthy when Redis does not answer, a stage worker is closed or the
# scheduler stopped ticking (/readyz names which). node's global fetch, so the slim image needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "bin/newswatch", "start"]
