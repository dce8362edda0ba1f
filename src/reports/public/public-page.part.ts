/**
 * The public page as a part of the service (PUBLIC_PAGE=on): `GET /`
 * (Armenian), `/en`, `/ru` and the JSON twin `/public.json`, on the same
 * Fastify server as the webhooks. Off, none of these routes exist (404).
 *
 * The figures are computed at most once per TTL (five minutes) by the
 * report code, whatever the traffic: concurrent requests share one
 * computation, and every response carries `Cache-Control: public,
 * max-age=…` and a strong ETag (a matching `If-None-Match` gets 304), so a
 * city's proxy or CDN in front can cache it too.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/create-db.js';
import type { Locale } from '../../domain/locale.js';
import type { Logger } from '../../observability/logger.js';
import type { OffPart, ServiceContext, ServicePart } from '../../service-part.js';
import type { ReportConfig } from '../report-config.js';
import { buildPublicFigures, type PublicFigures } from './public-figures.js';
import { JSON_PATH, PAGE_PATHS, renderPublicPage } from './public-page.html.js';

export const PUBLIC_PAGE_TTL_MS = 5 * 60_000;

interface Rendered {
  body: string;
  etag: string;
  contentType: string;
}

interface Snapshot {
  at: number;
  figures: PublicFigures;
  rendered: Map<string, Rendered>;
}

export interface PublicPageDeps {
  db: Db;
  config: ReportConfig;
  logger: Logger;
  now: () => Date;
  /** How long computed figures are served before they are computed again (default five minutes). */
  ttlMs?: number;
}

/** The in-process cache of the figures and of their renderings. */
export function createPublicPageCache(deps: PublicPageDeps) {
  const ttlMs = deps.ttlMs ?? PUBLIC_PAGE_TTL_MS;
  let snapshot: Snapshot | undefined;
  let pending: Promise<Snapshot> | undefined;

  const fresh = async (): Promise<Snapshot> => {
    const at = Date.now();
    if (snapshot && at - snapshot.at < ttlMs) return snapshot;
    pending ??= buildPublicFigures(deps.db, deps.config, deps.now())
      .then((figures) => (snapshot = { at: Date.now(), figures, rendered: new Map() }))
      .finally(() => (pending = undefined));
    return pending;
  };

  const rendered = (s: Snapshot, key: string, contentType: string, render: () => string): Rendered => {
    let r = s.rendered.get(key);
    if (!r) {
      const body = render();
      r = { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      s.rendered.set(key, r);
    }
    return r;
  };

  return {
    ttlMs,
    async page(lang: Locale): Promise<Rendered> {
      const s = await fresh();
      return rendered(s, lang, 'text/html; charset=utf-8', () => renderPublicPage(s.figures, lang));
    },
    async json(): Promise<Rendered> {
      const s = await fresh();
      return rendered(s, 'json', 'application/json; charset=utf-8', () => `${JSON.stringify(s.figures, null, 2)}\n`);
    },
  };
}

type PublicPageCache = ReturnType<typeof createPublicPageCache>;

function send(request: FastifyRequest, reply: FastifyReply, r: Rendered, ttlMs: number): FastifyReply {
  reply
    .header('cache-control', `public, max-age=${Math.floor(ttlMs / 1000)}`)
    .header('etag', r.etag)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    // Nothing on the page runs or is fetched: inline styles, and the empty icon (`data:,`) that stops browsers asking for /favicon.ico.
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'");
  const match = request.headers['if-none-match'];
  if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === r.etag)) return reply.code(304).send();
  return reply.header('content-type', r.contentType).send(r.body);
}

/** The routes of the public page over a cache. */
export function publicPageRoutes(cache: PublicPageCache, logger: Logger) {
  return (app: FastifyInstance) => {
    const failed = (reply: FastifyReply, error: unknown) => {
      logger.error({ err: error }, 'the public page could not be computed');
      return reply.code(503).header('cache-control', 'no-store').header('retry-after', '60').type('text/plain; charset=utf-8').send('Temporarily unavailable.\n');
    };
    for (const [lang, url] of Object.entries(PAGE_PATHS) as Array<[Locale, string]>) {
      app.get(url, async (request, reply) => {
        try {
          return send(request, reply, await cache.page(lang), cache.ttlMs);
        } catch (error) {
          return failed(reply, error);
        }
      });
    }
    app.get(JSON_PATH, async (request, reply) => {
      try {
        return send(request, reply.header('access-control-allow-origin', '*'), await cache.json(), cache.ttlMs);
      } catch (error) {
        return failed(reply, error);
      }
    });
  };
}

/** The public page part for `DEFAULT_PARTS`: off unless PUBLIC_PAGE=on. */
export async function publicPagePart(ctx: ServiceContext): Promise<ServicePart | OffPart> {
  if (!ctx.config.publicPage) return { off: 'Public page is off: GET / answers 404 (set PUBLIC_PAGE=on to serve it).' };
  const logger = ctx.logger.child({ part: 'public-page' });
  const cache = createPublicPageCache({ db: ctx.database.db, config: ctx.config, logger, now: ctx.now });
  return { name: 'public-page', routes: [publicPageRoutes(cache, logger)] };
}
