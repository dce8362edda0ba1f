/**
 * Where a benchmark's CPU goes: the CPU time of the processes it involves
 * (the service, PostgreSQL, Redis, the benchmark's own process) and of the
 * whole machine over a measured window, read from `/proc` (Linux only; on
 * another system the meter reads nothing and says so).
 *
 * Processes are read every `intervalMs` and at the end, so a process that
 * starts during the window counts from its start and one that exits counts
 * up to its last reading (what it did after that is lost, at most one
 * interval's worth).
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** One process as `/proc/<pid>/stat` shows it. */
export interface ProcessInfo {
  pid: number;
  /** The executable's name as the kernel keeps it (`postgres`, `redis-server`, `node`). */
  comm: string;
  /** User + system CPU time, in clock ticks. */
  ticks: number;
}

/** A named set of processes whose CPU is added up. */
export interface ProcessGroup {
  name: string;
  matches(process: ProcessInfo): boolean;
}

export interface CpuReading {
  /** False where `/proc` cannot be read: every figure below is then 0. */
  available: boolean;
  elapsedSeconds: number;
  /** CPU seconds of each group over the window. */
  seconds: Record<string, number>;
  /** CPU seconds the whole machine was busy (user, system, interrupts; not idle, not I/O wait, not steal). */
  machineBusySeconds: number;
  /** CPU seconds the hypervisor gave to others (steal). */
  stealSeconds: number;
  cpus: number;
}

export interface CpuMeter {
  /** Ends the window and returns what each group used in it. */
  stop(): CpuReading;
}

/**
 * `getconf CLK_TCK`: 100 on every Linux this runs on (x86-64 and arm64
 * kernels fix USER_HZ at 100).
 */
const TICKS_PER_SECOND = 100;

/** Parses one `/proc/<pid>/stat` line (the name may contain spaces and parentheses). */
export function parseProcStat(pid: number, line: string): ProcessInfo | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // After the name: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime …
  const fields = line.slice(close + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return { pid, comm: line.slice(open + 1, close), ticks: utime + stime };
}

/** Every process now; an empty list where `/proc` cannot be read. */
export function readProcesses(): ProcessInfo[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const info = parseProcStat(pid, readFileSync(`/proc/${pid}/stat`, 'utf8'));
      if (info) out.push(info);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Busy and steal ticks of the whole machine (the `cpu` line of `/proc/stat`). */
export function parseMachineStat(text: string): { busy: number; steal: number } | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return { busy: user + nice + system + irq + softirq, steal };
}

function readMachine(): { busy: number; steal: number } | undefined {
  try {
    return parseMachineStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

export const processGroups = {
  /** One process and nothing else (the service, a worker, this benchmark). */
  pid: (name: string, pid: number): ProcessGroup => ({ name, matches: (p) => p.pid === pid }),
  /** Every process of one executable (`postgres` covers the server, its backends and autovacuum). */
  executable: (name: string, comm: string): ProcessGroup => ({ name, matches: (p) => p.comm === comm }),
};

/** Starts measuring the groups' CPU (and the machine's) from now. */
export function startCpuMeter(groups: ProcessGroup[], options: { intervalMs?: number } = {}): CpuMeter {
  const started = performance.now();
  const machineAtStart = readMachine();
  // Per pid: the group, its ticks at the start of the window (0 for one started later) and at its last reading.
  const seen = new Map<number, { group: string; comm: string; first: number; last: number }>();
  const read = (atStart: boolean) => {
    for (const p of readProcesses()) {
      const known = seen.get(p.pid);
      if (known && known.comm === p.comm) {
        known.last = p.ticks;
        continue;
      }
      const group = groups.find((g) => g.matches(p));
      if (group) seen.set(p.pid, { group: group.name, comm: p.comm, first: atStart ? p.ticks : 0, last: p.ticks });
    }
  };
  read(true);
  const available = machineAtStart !== undefined;
  const timer = setInterval(() => read(false), options.intervalMs ?? 500);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      read(false);
      const machineAtEnd = readMachine();
      const seconds: Record<string, number> = Object.fromEntries(groups.map((g) => [g.name, 0]));
      for (const p of seen.values()) seconds[p.group] = (seconds[p.group] ?? 0) + (p.last - p.first) / TICKS_PER_SECOND;
      const machine = machineAtStart && machineAtEnd ? { busy: machineAtEnd.busy - machineAtStart.busy, steal: machineAtEnd.steal - machineAtStart.steal } : { busy: 0, steal: 0 };
      return {
        available,
        elapsedSeconds: (performance.now() - started) / 1000,
        seconds,
        machineBusySeconds: machine.busy / TICKS_PER_SECOND,
        stealSeconds: machine.steal / TICKS_PER_SECOND,
        cpus: os.cpus().length,
      };
    },
  };
}
