# One image for the API server and the trainer (docker-compose.yml picks the command).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends dataset-fashion-mnist && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production NASHUB_DATA=/data
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY presets ./presets
EXPOSE 4000
# Garbage collection on the main thread only: on a few cores shared with PostgreSQL (and, in the benches, the clients),
# V8's parallel GC threads wait for cores and each pause grows (docs/configuration.md#v8-flags-of-the-server).
ENTRYPOINT ["node", "--single-threaded-gc", "dist/cli/main.js"]
CMD ["serve"]
