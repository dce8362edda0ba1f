/**
 * The compiled `ardzagank` command (bin/ardzagank.js, built by `npm test`
 * before vitest runs) as a child process with only the given environment
 * (and PATH), as a user starts it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = path.resolve('bin/ardzagank.js');

/** Runs `ardzagank <args>` and resolves when it exits; rejects (and kills it) after `timeoutMs`. */
export function runCli(args: string[], options: { env: Record<string, string>; cwd?: string; timeoutMs?: number }): Promise<CliRun> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...options.env }, cwd: options.cwd ?? process.cwd() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ardzagank ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
