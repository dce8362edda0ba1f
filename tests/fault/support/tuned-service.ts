/**
 * Starts `tuned-service.process.ts` (the compiled service with shortened
 * waits) as a child process a fault test can kill with SIGKILL mid-work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../../bench/support/service-process.js';

/** The waits of the child's Facebook part and queues, in milliseconds. */
export interface TunedServiceTuning {
  /** The Graph client's deadline for one call. */
  graphTimeoutMs: number;
  /** How long a delivery attempt owns a reply (longer than `graphTimeoutMs`). */
  leaseMs: number;
  /** Delay before a reply is tried again after a transient failure. */
  retryDelayMs: number;
  /** How long a reply of a paused source waits before it checks again. */
  parkDelayMs: number;
  /** Attempts before a transient failure becomes permanent. */
  maxAttempts: number;
  /** Replies published at once by the child's deliver worker. */
  concurrency: number;
  /** How often the reconciler queues again what Postgres says is pending. */
  reconcileEveryMs: number;
}

export interface TunedService {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  address: string;
  /** What it wrote to stdout and stderr so far (its JSON log lines). */
  output(): string;
  /** SIGKILL now, and waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM, and waits for the exit (SIGKILL after 20 s). */
  stop(): Promise<void>;
}

export async function startTunedService(env: Record<string, string>, tuning: TunedServiceTuning, readyTimeoutMs = 60_000): Promise<TunedService> {
  const root = repoRoot();
  const script = path.join(root, 'tests', 'fault', 'support', 'tuned-service.process.ts');
  const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', script], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env, ARDZAGANK_FAULT_TUNING: JSON.stringify(tuning) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 4_000_000) out = out.slice(-2_000_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = Date.now() + readyTimeoutMs;
  let address: string | undefined;
  while (!address) {
    address = /^ready (\S+)$/m.exec(out)?.[1];
    if (address) break;
    if (gone) throw new Error(`the tuned service exited before it was ready:\n${out.slice(-4_000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the tuned service was not ready within ${readyTimeoutMs} ms:\n${out.slice(-4_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    address,
    output: () => out,
    kill: async () => {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited.finally(() => clearTimeout(timer));
    },
  };
}
