/**
 * The bad-input corpus of configuration: every file in
 * `tests/fixtures/bad-input/config/` is an environment with mistakes, and
 * `loadConfig` must refuse it with one error that names each bad variable and
 * says how to fix it. The compiled command, started with such an
 * environment, exits 2 with that message alone: no stack trace, no start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { runCli } from '../support/run-cli.js';

const DIR = path.resolve('tests/fixtures/bad-input/config');

interface Case {
  description: string;
  env: Record<string, string>;
  problems: string[];
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, spec: JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Case }));

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`loadConfig threw something else than a ConfigError: ${String(error)}`);
  }
  throw new Error('loadConfig accepted it');
}

const runStart = (env: Record<string, string>) => runCli(['start'], { env, cwd: path.resolve('tests/fixtures/bad-input'), timeoutMs: 30_000 });

describe('bad configuration', () => {
  it('has a corpus', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  for (const { file, spec } of cases) {
    it(`${file}: ${spec.description}`, () => {
      const error = refusal(spec.env);
      const lines = error.problems;
      for (const name of spec.problems) {
        const line = lines.find((l) => l.startsWith(`${name}`));
        expect(line, `no problem reported for ${name} in:\n${error.message}`).toBeDefined();
        // Says what is expected, not only that it is wrong.
        expect(line!.length).toBeGreaterThan(name.length + 15);
      }
      // Nothing else is blamed.
      for (const line of lines) expect(spec.problems.some((name) => line.startsWith(name))).toBe(true);
      expect(error.message).toMatch(/Set these in the environment or in \.env/);
      expect(error.message).not.toMatch(/\n\s+at /);
    });
  }

  it('the command refuses to start with one clear message and exit code 2, for each kind of mistake', async () => {
    for (const name of ['many-at-once.json', 'telegram-webhook-url-alone.json', 'timezone-unknown.json']) {
      const spec = cases.find((c) => c.file === name)!.spec;
      const r = await runStart(spec.env);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^Configuration is not valid \(\d+ problems?\):/);
      for (const variable of spec.problems) expect(r.stderr).toContain(variable);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  }, 60_000);
});
