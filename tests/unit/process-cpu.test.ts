import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMachineStat, parseProcStat, processGroups, readProcesses, startCpuMeter } from '../../bench/support/process-cpu.js';

const onLinux = existsSync('/proc/self/stat');

/** Spends `ms` of CPU time (not wall time: a busy machine only makes it take longer). */
function burnCpu(ms: number): void {
  const start = process.cpuUsage();
  let x = 0;
  while (true) {
    for (let i = 0; i < 10_000; i++) x += Math.sqrt(i);
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) break;
  }
  if (x < 0) throw new Error('unreachable');
}

describe('process CPU of the benchmarks', () => {
  it('reads the name and the CPU ticks of a /proc/<pid>/stat line, whatever the name holds', () => {
    // Fields after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14th) stime(15th) …
    const line = '4242 (node (a) b) S 1 4242 4242 0 -1 4194560 900 0 0 0 1234 56 0 0 20 0 11 0 100 0 0';
    expect(parseProcStat(4242, line)).toEqual({ pid: 4242, comm: 'node (a) b', ticks: 1290 });
    expect(parseProcStat(1, 'garbage')).toBeUndefined();
    expect(parseProcStat(1, '1 (x) S 1 2')).toBeUndefined();
  });

  it('counts user, nice, system and interrupt time as busy, not idle, I/O wait or steal', () => {
    const stat = 'cpu  100 5 40 9000 30 2 3 7 0 0\ncpu0 50 2 20 4500 15 1 1 3 0 0\nintr 1\n';
    expect(parseMachineStat(stat)).toEqual({ busy: 150, steal: 7 });
    expect(parseMachineStat('intr 1\n')).toBeUndefined();
  });

  it.runIf(onLinux)('measures the CPU this process spends in the window', () => {
    const meter = startCpuMeter([processGroups.pid('me', process.pid), processGroups.executable('nothing', 'no-such-program-x')]);
    burnCpu(300);
    const reading = meter.stop();
    expect(reading.available).toBe(true);
    expect(reading.seconds.me).toBeGreaterThanOrEqual(0.2);
    expect(reading.seconds.nothing).toBe(0);
    expect(reading.machineBusySeconds).toBeGreaterThanOrEqual(0.2);
    expect(readProcesses().some((p) => p.pid === process.pid)).toBe(true);
  });

  it.runIf(onLinux)('counts a process that starts and exits within the window up to its last reading', async () => {
    let childPid = -1;
    const meter = startCpuMeter([{ name: 'child', matches: (p) => p.pid === childPid }], { intervalMs: 50 });
    const script = `const s = process.cpuUsage(); let x = 0; for (;;) { for (let i = 0; i < 10000; i++) x += Math.sqrt(i); const u = process.cpuUsage(s); if ((u.user + u.system) / 1000 >= 600) break; } setTimeout(() => process.exit(x < 0 ? 1 : 0), 300);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    childPid = child.pid!;
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const reading = meter.stop();
    // 600 ms of its own CPU, read every 50 ms while it idles its last 300 ms: nothing of it is lost.
    expect(reading.available).toBe(true);
    expect(reading.seconds.child).toBeGreaterThanOrEqual(0.5);
  }, 30_000);
});
