/**
 * The connector registry: Platform → {@link ConnectorModule}, built from
 * configuration at start. Everything platform-specific the workflows need
 * goes through it: ingest parses a stored payload with its platform's
 * module, the ONE `reply.deliver` worker and the ONE `source.poll` handler
 * find the connected account of an inquiry's or a poll's source here.
 */
import type { Platform } from '../db/schema.js';
import type { InboundItem } from '../domain/inquiry.js';
import type { ServiceContext } from '../service-part.js';
import type { ConnectedAccount, ConnectorModule } from './connector.js';
import { facebookModule } from './facebook/facebook.module.js';
import { instagramModule } from './instagram/instagram.module.js';
import { telegramChannelModule } from './telegram-channel/telegram-channel.module.js';
import { PayloadError } from './payload-error.js';

/** No connector of ours reads this platform's payloads; the payload waits as failed. */
export class UnknownPlatformError extends PayloadError {}

/** Builds one platform's module from the service's context. */
export type ConnectorFactory = (ctx: ServiceContext) => Promise<ConnectorModule>;

/** The platforms the service knows. */
export const DEFAULT_CONNECTORS: ConnectorFactory[] = [facebookModule, instagramModule, telegramChannelModule];

export interface ConnectorRegistry {
  readonly modules: readonly ConnectorModule[];
  /** A stored payload of `platform` → items; throws a `PayloadError` for one that can never be parsed. */
  parse(platform: Platform, payload: unknown): InboundItem[];
  /**
   * The connected account that answers for `sourceId` on `platform`: the
   * module's account of that source, or, when the item names no source
   * (inquiries stored before sources were recorded on them), the platform's
   * only account (with several, no guess is made).
   */
  route(platform: Platform, sourceId: number | null): ConnectedAccount | undefined;
  /** Whether any platform can publish replies. */
  readonly publishes: boolean;
}

/** A registry over modules already built (the service builds them with {@link buildConnectorRegistry}). */
export function createConnectorRegistry(modules: readonly ConnectorModule[]): ConnectorRegistry {
  const byPlatform = new Map<Platform, ConnectorModule>();
  for (const module of modules) {
    if (byPlatform.has(module.platform)) throw new Error(`two connector modules for the platform "${module.platform}": keep one`);
    byPlatform.set(module.platform, module);
  }
  return {
    modules,
    parse: (platform, payload) => {
      // A payload another module claims (Instagram webhooks stored by the Page's endpoint).
      const claimant = modules.find((m) => m.alsoParses?.platform === platform && m.alsoParses.accepts(payload));
      if (claimant) return claimant.parse(payload);
      const module = byPlatform.get(platform);
      if (!module) throw new UnknownPlatformError(`no connector parses ${platform} payloads`);
      return module.parse(payload);
    },
    route: (platform, sourceId) => {
      const accounts = byPlatform.get(platform)?.accounts ?? [];
      if (sourceId === null) return accounts.length === 1 ? accounts[0] : undefined;
      return accounts.find((a) => a.sourceId === sourceId);
    },
    publishes: modules.some((m) => (m.accounts ?? []).length > 0),
  };
}

/** Builds every platform's module from configuration. */
export async function buildConnectorRegistry(ctx: ServiceContext, factories: readonly ConnectorFactory[] = DEFAULT_CONNECTORS): Promise<ConnectorRegistry> {
  const modules: ConnectorModule[] = [];
  for (const factory of factories) modules.push(await factory(ctx));
  return createConnectorRegistry(modules);
}
