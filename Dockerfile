# The worker image. TypeScript runs through tsx, so there is no separate build step to forget.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY config ./config
COPY workflows ./workflows
COPY activities ./activities
COPY integrations ./integrations
COPY store ./store
COPY workers ./workers
COPY client ./client
COPY bin ./bin
COPY tsconfig.json ./
USER node
ENV NODE_ENV=production
CMD ["node", "--import", "tsx", "workers/main.ts"]
