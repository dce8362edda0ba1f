import path from 'node:path';
import { loadConfig } from '../config.js';
import { checkQueueTransport } from '../queue/transport.js';
import { UsageError, parseCommandArgs, type Command } from './command.js';

const USAGE = `ardzagank demo [--month YYYY-MM] [--png FILE] [--database-url URL] [--verbose]

Runs the whole service against loopback stand-ins of the Facebook Graph API
and the Telegram Bot API (no accounts, no credentials, no network): plays a
scripted month on a virtual clock (citizens ask on Facebook; staff claim and
answer through the bot; the Page answers some on Facebook directly; a few are
dismissed; a few stay open), prints the month's report in Armenian and writes
the weekly digest chart.

  --month         the month to play (default: the last full month)
  --png           where to write the digest chart (default ./ardzagank-demo-digest.png)
  --database-url  a throwaway PostgreSQL for the demo's data (default: an
                  embedded database in a temporary folder, removed at the end)
  --verbose       show the service's own log lines (warnings and errors)

The queues run on Redis when REDIS_URL is set, else in the demo's PostgreSQL;
they use a prefix of their own and are removed at the end.`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'play a scripted month against loopback stand-ins, print the report, write the digest chart',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseCommandArgs({
      args,
      options: { month: { type: 'string' }, png: { type: 'string' }, 'database-url': { type: 'string' }, verbose: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month)) throw new UsageError(`--month: "${values.month}" is not a month like 2026-10`);
    const config = loadConfig();
    await checkQueueTransport({ redisUrl: config.redisUrl });
    const { runDemo } = await import('../demo/demo.js');
    await runDemo({
      out: io.out,
      ...(values.month ? { month: values.month } : {}),
      pngPath: path.resolve(values.png ?? 'ardzagank-demo-digest.png'),
      ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
      ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
      timezone: config.timezone,
      logLevel: values.verbose ? 'warn' : 'silent',
    });
    return 0;
  },
};
