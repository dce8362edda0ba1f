/**
 * The command a user types: the compiled `ardzagank` (built by `npm test`
 * before vitest runs) started as a child process.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../support/run-cli.js';
import { queueEnv, testRedisUrl, uniqueQueuePrefix } from '../support/test-env.js';

const BIN = path.resolve('bin/ardzagank.js');

// CWD in `env` is the directory it runs in.
const run = (args: string[], env: Record<string, string>, timeoutMs?: number): Promise<CliRun> =>
  runCli(args, { env, ...(env.CWD ? { cwd: env.CWD } : {}), ...(timeoutMs ? { timeoutMs } : {}) });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ardzagank-cli-'));
  chmodSync(dir, 0o755); // as root the embedded server runs as "postgres", which must reach DATA_DIR
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ardzagank command', () => {
  it('--help lists the commands', async () => {
    const r = await run(['--help'], { CWD: dir });
    expect(r.code).toBe(0);
    for (const name of ['start', 'migrate']) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('migrate twice: the second run applies nothing', async () => {
    const env = { CWD: dir, DATA_DIR: path.join(dir, 'migrate-data') };
    const first = await run(['migrate'], env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/Applied \d+ migration\(s\)/);
    const second = await run(['migrate'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/is up to date; nothing to apply/);
  }, 120_000);

  it('with a wrong DATABASE_URL, exits with one clear sentence', async () => {
    const r = await run(['start'], { CWD: dir, DATABASE_URL: 'postgres://nobody:pw12345678@127.0.0.1:1/none', ...queueEnv(), LOG_LEVEL: 'silent' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^Cannot connect to PostgreSQL at .* Check DATABASE_URL/);
    expect(r.stderr).not.toContain('pw12345678');
  });

  it('with an unreachable Redis, exits with one clear sentence', async () => {
    const r = await run(['start'], { CWD: dir, REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^Cannot connect to Redis at redis:\/\/127\.0\.0\.1:1 .*Start Redis/);
  });

  it('with a malformed variable, lists it and exits 2', async () => {
    const r = await run(['start'], { CWD: dir, HTTP_PORT: 'eighty', LOCALE: 'fr' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HTTP_PORT/);
    expect(r.stderr).toMatch(/LOCALE/);
  });

  it('start with no configuration comes up on the embedded database, says which parts are off, answers health checks, stops on SIGTERM', async () => {
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: path.join(dir, 'start-data'), HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', ...queueEnv(), QUEUE_PREFIX: uniqueQueuePrefix('cli') };
    const child = spawn(process.execPath, [BIN, 'start'], { env, cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await expect.poll(() => stdout, { timeout: 60_000, interval: 200 }).toMatch(/ardzagank is running/);
      const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; address?: string });
      const messages = lines.map((l) => l.msg);
      expect(messages).toContain('Telegram bot is off: set TELEGRAM_BOT_TOKEN (and TELEGRAM_STAFF_CHAT_ID) to turn it on.');
      expect(messages.some((m) => m.startsWith('Facebook connector is off: set FACEBOOK_PAGE_ID'))).toBe(true);
      expect(messages.some((m) => m.startsWith('using the embedded PostgreSQL'))).toBe(true);
      const address = lines.find((l) => l.msg === 'ardzagank is running')!.address!;
      const health = await fetch(`${address}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`${address}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', queues: 'ok' } });
      const metrics = await (await fetch(`${address}/metrics`)).text();
      expect(metrics).toMatch(/ardzagank_inquiries\{status="new"\} 0/);
      expect(metrics).toMatch(/ardzagank_queue_jobs\{queue="ingest",state="waiting"\} 0/);

      // A command beside it uses its PostgreSQL; a second service on the same DATA_DIR is refused.
      const staff = await run(['staff', 'add', '5550001', 'Anna Hakobyan'], { ...env, CWD: dir, LOG_LEVEL: 'silent' });
      expect(staff.stderr).toBe('');
      expect(staff.code).toBe(0);
      expect((await run(['staff'], { ...env, CWD: dir, LOG_LEVEL: 'silent' })).stdout).toContain('Anna Hakobyan');
      const second = await run(['start'], { ...env, CWD: dir, LOG_LEVEL: 'silent' });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/^Cannot start the embedded PostgreSQL in .*Another process \(pid \d+\) runs the embedded PostgreSQL/);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/"msg":"stopped"/);
    expect(stderr).toBe('');
    // Its PostgreSQL stopped with it.
    expect(existsSync(path.join(env.DATA_DIR, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 120_000);

  it('a start killed with SIGKILL leaves its PostgreSQL running; the next start shuts that one down and comes up', async () => {
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: path.join(dir, 'killed-data'), HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', ...queueEnv(), QUEUE_PREFIX: uniqueQueuePrefix('cli') };
    const postmasterPid = () => Number(readFileSync(path.join(env.DATA_DIR, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const start = async () => {
      const child = spawn(process.execPath, [BIN, 'start'], { env, cwd: dir });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await expect.poll(() => stdout, { timeout: 60_000, interval: 200 }).toMatch(/ardzagank is running/);
      const address = (JSON.parse(stdout.split('\n').find((l) => l.includes('ardzagank is running'))!) as { address: string }).address;
      return { child, exited, address };
    };
    const first = await start();
    const orphan = postmasterPid();
    first.child.kill('SIGKILL');
    await first.exited;
    expect(alive(orphan)).toBe(true);

    const second = await start();
    try {
      expect((await fetch(`${second.address}/readyz`)).status).toBe(200);
      expect(alive(orphan)).toBe(false);
      expect(postmasterPid()).not.toBe(orphan);
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await second.exited).toBe(0);
    expect(existsSync(path.join(env.DATA_DIR, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 180_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
