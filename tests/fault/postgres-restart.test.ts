/**
 * PostgreSQL restarted (a private throwaway cluster, `pg_ctl restart -m
 * fast`) while webhooks keep arriving. Deliveries that cannot be stored are
 * answered 5xx and Facebook delivers them again (the sender here does the
 * same); the service reconnects by itself, and every comment becomes exactly
 * one inquiry.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type OpenedDatabase } from '../../src/db/create-db.js';
import { startService, type RunningService } from '../../src/main.js';
import { sendDeliveries } from '../../bench/support/facebook-load.js';
import { removeTestQueues, testRedisUrl, silentLogger, uniqueQueuePrefix } from '../support/test-env.js';
import { citizenComments, count, faultServiceEnv, inquiryTally } from './support/fault-service.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-servers.js';

const TOTAL = 600;
let server: PrivatePostgres;
let database: OpenedDatabase;
let service: RunningService | undefined;
const prefix = uniqueQueuePrefix('pgrestart');

beforeAll(async () => {
  server = await startPrivatePostgres();
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query('create database ardzagank');
  await admin.end();
  database = await openDatabase({ databaseUrl: server.databaseUrl('ardzagank'), dataDir: '/nonexistent', logger: silentLogger() });
});

afterAll(async () => {
  await service?.close();
  await database?.close();
  if (server) await removeTestQueues(server.databaseUrl('ardzagank'), prefix).catch(() => undefined);
  await server?.destroy();
});

describe('PostgreSQL restarted under load', () => {
  it('the service reconnects; webhooks refused meanwhile come again and none is lost or doubled', async () => {
    const config = loadConfig({ env: faultServiceEnv({ databaseUrl: server.databaseUrl('ardzagank'), redisUrl: testRedisUrl(), prefix }) });
    service = await startService({ config, logger: silentLogger(), reconcileEveryMs: 2_000 });
    const base = service.address!;

    let accepted = 0;
    let restarted: Promise<void> | undefined;
    const sent = await sendDeliveries(citizenComments(TOTAL, 'pr'), {
      baseUrl: base,
      concurrency: 8,
      intervalMs: 4,
      retryDelayMs: 100,
      giveUpAfterMs: 60_000,
      onAccepted: () => {
        accepted++;
        if (accepted === 150) restarted = server.restart();
      },
    });
    await restarted;

    // Some deliveries were refused while the database was away, and all were stored in the end.
    const refused = Object.entries(sent.refusals).filter(([status]) => status !== '200');
    expect(refused.length).toBeGreaterThan(0);
    expect(Object.keys(sent.refusals).every((status) => status === '503' || status === '500' || status === 'network')).toBe(true);
    expect(sent.records.filter(Boolean)).toHaveLength(TOTAL);

    await expect.poll(async () => (await inquiryTally(database.db)).total, { timeout: 60_000, interval: 200 }).toBe(TOTAL);
    await expect.poll(() => count(database.db, 'inboundEvents', { column: 'status', value: 'pending' }), { timeout: 30_000, interval: 200 }).toBe(0);
    expect(await inquiryTally(database.db)).toEqual({ total: TOTAL, distinctExternalIds: TOTAL, ingestedEvents: TOTAL });
    expect(await count(database.db, 'inboundEvents')).toBe(TOTAL);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
  }, 120_000);
});
