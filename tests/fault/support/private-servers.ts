/**
 * Servers a fault test may break at will: a Redis and a PostgreSQL of its
 * own, in temporary folders, removed at the end. The shared Redis and
 * PostgreSQL of the machine are never touched. Redis listens on a free
 * loopback port (another one if that port is taken before it binds it);
 * PostgreSQL on a Unix socket in its folder only, so no other program can
 * take its address while it restarts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort } from '../../../bench/support/service-process.js';
import { embeddedPostgresBinaries } from '../../../src/db/embedded-postgres.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

export interface PrivateRedis {
  url: string;
  /** FLUSHALL: Redis emptied, as after a restart without persistence. */
  flushAll(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server without persistence on a free port. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  for (let attempt = 1; ; attempt++) {
    const started = await startRedisOn(await freePort());
    if (started) return started;
    // It exited at once: another program took the port between freePort() and its bind.
    if (attempt >= 5) throw new Error('the private redis-server exited at start, 5 times (ports taken?)');
  }
}

/** Undefined when the server exits before answering (its port was taken). */
async function startRedisOn(port: number): Promise<PrivateRedis | undefined> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ardzagank-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  let gone = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => (gone = true));
  const url = `redis://127.0.0.1:${port}`;
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  admin.on('error', () => undefined);
  const abandon = async () => {
    admin.disconnect();
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  // Ours answers with its own pid: a server someone else runs on this port does not count (nor wait us out).
  const ours = () =>
    Promise.race([
      admin.info('server').then((info) => new RegExp(`^process_id:${child.pid}\\r?$`, 'm').test(info), () => false),
      sleep(1_000).then(() => false),
    ]);
  const deadline = Date.now() + 10_000;
  while (!(await ours())) {
    if (gone) {
      await abandon();
      return undefined;
    }
    if (Date.now() > deadline) {
      await abandon();
      throw new Error('the private redis-server did not answer within 10000 ms');
    }
    await sleep(50);
  }
  return {
    url,
    flushAll: async () => void (await admin.flushall()),
    stop: async () => {
      admin.disconnect();
      child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgres {
  /** `postgres://postgres@localhost:5432/postgres?host=<its folder>` (the Unix socket there). */
  adminUrl: string;
  databaseUrl(name: string): string;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is back within a second or two. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** The machine's PostgreSQL binaries, else the embedded server's (a machine with no PostgreSQL installed). */
async function postgresBinDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(path.join(root, v, 'bin', 'initdb'))) return path.join(root, v, 'bin');
  return path.dirname((await embeddedPostgresBinaries()).initdb);
}

/** The uid/gid to run the server as: postgres refuses to run as root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** A throwaway cluster (initdb, pg_ctl) listening on a Unix socket in its own folder only. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await postgresBinDir();
  const user = serverUser();
  const dir = mkdtempSync(path.join(tmpdir(), 'ardzagank-pg-'));
  const data = path.join(dir, 'data');
  if (user) chownSync(dir, user.uid, user.gid);
  // No TCP: a loopback port freed by a restart could be taken by another program before the server is back.
  // The port only names the socket file (.s.PGSQL.5432), which no one else can create in this folder.
  const port = 5432;
  const run = (cmd: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child: ChildProcess = spawn(path.join(bin, cmd), args, { stdio: ['ignore', 'ignore', 'pipe'], ...(user ? { uid: user.uid, gid: user.gid } : {}), cwd: dir });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`))));
    });
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const options = `-c listen_addresses='' -p ${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=50`;
  const urlOf = (name: string) => `postgres://postgres@localhost:${port}/${name}?host=${encodeURIComponent(dir)}`;
  const adminUrl = urlOf('postgres');
  const ready = () =>
    until(
      async () => {
        const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1_000 });
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.query('select 1');
          return true;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      20_000,
      'the private PostgreSQL did not answer',
    );
  const start = async () => {
    await run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', 'start']);
    await ready();
  };
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  return {
    adminUrl,
    databaseUrl: urlOf,
    restart: async () => {
      await stop();
      await start();
    },
    stop,
    start,
    destroy: async () => {
      await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Queues a fault test may empty at will, on the run's transport: a private
 * redis-server (FLUSHALL) when the run uses Redis, else the PostgreSQL
 * queues of `prefix` in the test's database (every queue table truncated).
 */
export interface EmptiableQueues {
  /** REDIS_URL for the service; undefined: the queues run in PostgreSQL (DATABASE_URL). */
  redisUrl: string | undefined;
  /** Every job, scheduler and event gone, as after Redis lost its data. */
  empty(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmptiableQueues(databaseUrl: string, prefix: string): Promise<EmptiableQueues> {
  const { openQueueTransport } = await import('../../../src/queue/transport.js');
  const { testRedisUrl } = await import('../../support/test-env.js');
  if (testRedisUrl()) {
    const redis = await startPrivateRedis();
    return { redisUrl: redis.url, empty: () => redis.flushAll(), stop: () => redis.stop() };
  }
  return {
    redisUrl: undefined,
    empty: async () => {
      const transport = await openQueueTransport({ redisUrl: undefined, databaseUrl, prefix, name: 'fault-test' });
      try {
        await transport.empty();
      } finally {
        await transport.close();
      }
    },
    stop: async () => undefined,
  };
}
