/**
 * The HTTP server: health, readiness, Prometheus metrics, and the webhook
 * routes that the connectors and the bot register.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface CreateHttpServerOptions {
  logger: Logger;
  metrics: Metrics;
  readiness: ReadinessCheck[];
  /** Route plugins of the parts that are on (webhooks). */
  routes?: Array<(app: FastifyInstance) => void | Promise<void>>;
  /** Largest request body accepted; larger ones get 413. Default 1 MiB. */
  bodyLimit?: number;
}

export async function createHttpServer(options: CreateHttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger.child({ part: 'http' }) as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Health probes every few seconds would drown the log.
    logController: new LogController({ disableRequestLogging: (req) => QUIET_PATHS.has(req.url) }),
    trustProxy: true,
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const results = await Promise.all(
      options.readiness.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 3_000);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, error instanceof Error ? error.message : String(error)] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const ready = results.every(([, r]) => r === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });

  app.get('/metrics', async (_req, reply) => {
    const body = await options.metrics.registry.metrics();
    return reply.header('content-type', options.metrics.registry.contentType).send(body);
  });

  for (const register of options.routes ?? []) await app.register(async (scope) => register(scope));
  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
