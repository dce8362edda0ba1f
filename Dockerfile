# The app image: compiled TypeScript on Node 22 LTS.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
USER node
EXPOSE 3000
# The heap budget keeps the service under 250 MB resident (bench/memory.ts); its live heap is ~50 MB.
CMD ["node", "--enable-source-maps", "--max-old-space-size=192", "bin/ardzagank.js", "start"]
