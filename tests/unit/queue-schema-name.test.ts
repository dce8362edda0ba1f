import { describe, expect, it } from 'vitest';
import { appDatabaseUrl, queueSchemaName, queueTransportKind } from '../../src/queue/transport.js';

describe('the queues in PostgreSQL', () => {
  it('live in a schema named after QUEUE_PREFIX, a plain identifier PostgreSQL accepts', () => {
    expect(queueSchemaName('ardzagank')).toBe('ardzagank_queues');
    expect(queueSchemaName('test-bot-0a1B2c')).toBe('test_bot_0a1b2c_queues');
    expect(queueSchemaName('2city')).toBe('q_2city_queues');
  });

  it('two long prefixes that differ only at the end get two schemas, each within 63 characters', () => {
    const a = queueSchemaName(`${'x'.repeat(70)}-a`);
    const b = queueSchemaName(`${'x'.repeat(70)}-b`);
    expect(a).not.toBe(b);
    for (const name of [a, b]) expect(name).toMatch(/^[a-z_][a-z0-9_]{0,62}$/);
  });

  it('run on Redis only when REDIS_URL is set', () => {
    expect(queueTransportKind({ redisUrl: undefined })).toBe('postgres');
    expect(queueTransportKind({ redisUrl: 'redis://127.0.0.1:6379' })).toBe('redis');
  });

  it('find the database at DATABASE_URL, else at the address the embedded database gives (none: undefined)', () => {
    expect(appDatabaseUrl('postgres://a@h/db', { url: 'postgres://b@127.0.0.1:5433/x' })).toBe('postgres://a@h/db');
    expect(appDatabaseUrl(undefined, { url: 'postgres://b@127.0.0.1:5433/x' })).toBe('postgres://b@127.0.0.1:5433/x');
    expect(appDatabaseUrl(undefined, { kind: 'embedded' })).toBeUndefined();
  });
});
