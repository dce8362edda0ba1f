/**
 * The bad-input corpus of the command line: every file in
 * `tests/fixtures/bad-input/cli/` is an `ardzagank` invocation with wrong
 * arguments. The compiled command (built by `npm test`) must exit 2, say what
 * is wrong, show the command's usage (or the list of commands), and never
 * print a stack trace. It runs against a real database of its own, so a
 * mistake that slipped through would show as a wrong exit code, not a
 * connection error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli.js';
import { runCli } from '../support/run-cli.js';
import { createTestDatabase, queueEnv, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

const DIR = path.resolve('tests/fixtures/bad-input/cli');

interface Case {
  description: string;
  args: string[];
  exit: number;
  /** Whose usage is shown; null: the list of commands. */
  usageOf: string | null;
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, spec: JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Case }));

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.close();
});

const run = (args: string[]) =>
  runCli(args, {
    env: { DATABASE_URL: tdb.url, ...queueEnv(), QUEUE_PREFIX: uniqueQueuePrefix('badcli'), LOG_LEVEL: 'warn' },
    cwd: path.resolve('tests/fixtures/bad-input'),
    timeoutMs: 30_000,
  });

describe('bad command-line arguments', () => {
  it('has a corpus', () => expect(cases.length).toBeGreaterThanOrEqual(15));

  for (const { file, spec } of cases) {
    it(`${file}: ${spec.description}`, async () => {
      const r = await run(spec.args);
      expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: spec.exit });
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr).not.toMatch(/failed: \w*Error/);
      const usage = spec.usageOf === null ? 'Usage: ardzagank <command>' : COMMANDS.find((c) => c.name === spec.usageOf)!.usage.split('\n')[0]!;
      expect(r.stderr).toContain(usage);
      // The first line says what was wrong, before the usage.
      const first = r.stderr.split('\n')[0]!;
      expect(first.length).toBeGreaterThan(10);
      expect(first).not.toBe(usage);
    }, 40_000);
  }
});
