/**
 * The real service (`ardzagank start`, compiled by `npm run build`) as a
 * child process, for benchmarks and fault tests that measure it from the
 * outside (memory) or kill it (SIGKILL). Its log lines are kept, its
 * readiness awaited on `/readyz`, its memory read from `/proc`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from `bench/support` or `dist/bench/support`. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (package.json)');
    dir = up;
  }
  return dir;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every line it wrote to stdout and stderr so far. */
  output(): string;
  /** Resident set size now and its peak so far (VmHWM), in bytes; undefined once it exited. */
  memory(): { rss: number; peak: number } | undefined;
  /** SIGTERM, then waits for the exit (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL now, and waits for the exit. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * The node options production starts the service with (`npm start` in
 * package.json, the same as the Dockerfile's CMD), so a measured service is
 * the one that runs.
 */
export function productionNodeArgs(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const start = pkg.scripts?.start ?? '';
  const m = /^node\s+(.*?)\s*bin\/ardzagank\.js\s+start$/.exec(start.trim());
  return m ? m[1]!.split(/\s+/).filter(Boolean) : [];
}

export interface StartServiceProcessOptions {
  /**
   * The service's environment (DATABASE_URL, REDIS_URL, QUEUE_PREFIX, …);
   * HTTP_PORT is chosen here unless given (and chosen again if another
   * program takes it before the service binds it).
   */
  env: Record<string, string>;
  /** Give up waiting for `/readyz` after this long; default 60 s. */
  readyTimeoutMs?: number;
  /** Node options; default those of `npm start` ({@link productionNodeArgs}). */
  nodeArgs?: string[];
}

function readProcMemory(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const rss = kb('VmRSS');
    const peak = kb('VmHWM');
    return Number.isFinite(rss) ? { rss, peak: Number.isFinite(peak) ? peak : rss } : undefined;
  } catch {
    return undefined;
  }
}

/** Starts `node bin/ardzagank.js start` and waits until `/readyz` answers 200. */
export async function startServiceProcess(options: StartServiceProcessOptions): Promise<ServiceProcess> {
  if (options.env.HTTP_PORT !== undefined) return launch(options, options.env.HTTP_PORT);
  // A port found free and closed again may be taken by another program before the service binds it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(options, String(await freePort()));
    } catch (error) {
      if (attempt >= 5 || (error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
    }
  }
}

async function launch(options: StartServiceProcessOptions, port: string): Promise<ServiceProcess> {
  const root = repoRoot();
  const bin = path.join(root, 'bin', 'ardzagank.js');
  if (!existsSync(path.join(root, 'dist', 'src', 'cli.js'))) throw new Error('dist/src/cli.js is missing: run "npm run build" first');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HTTP_HOST: '127.0.0.1',
    ...options.env,
    HTTP_PORT: port,
  };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? productionNodeArgs()), bin, 'start'], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  // Only the last megabyte is kept: a long run must not grow the parent.
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  // 'close' comes once its output is read to the end too.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (gone) {
      await closed;
      const error = new Error(`the service exited before it was ready:\n${out.slice(-4000)}`);
      if (/EADDRINUSE/.test(out)) Object.assign(error, { code: 'EADDRINUSE' });
      throw error;
    }
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service was not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${out.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    child,
    pid: child.pid!,
    url,
    output: () => out,
    memory: () => (gone ? undefined : readProcMemory(child.pid!)),
    exited,
    stop: async (timeoutMs = 20_000) => {
      if (gone) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    kill: async () => {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}
