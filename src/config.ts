/**
 * Configuration: the only module that reads `process.env`.
 *
 * Every variable of DESIGN.md (Interfaces) is validated here with one zod
 * schema; `loadConfig` throws one {@link ConfigError} that lists every missing
 * or malformed variable with how to fix it, so an admin fixes `.env` once.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { BusinessHours } from './domain/business-time.js';
import { LOCALES, type Locale } from './domain/locale.js';
import { parseSecretKey } from './lib/secret-box.js';

/** Thrown by {@link loadConfig}; `problems` holds one line per bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(
      `Configuration is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSet these in the environment or in .env (see .env.example and the README).',
    );
  }
}

const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)$/i;

/** Parses `90m`, `4h`, `1.5h`, `2d` into minutes. */
export function parseDurationMinutes(text: string): number | undefined {
  const m = DURATION_RE.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  const minutes = unit === 'd' ? value * 24 * 60 : unit === 'h' ? value * 60 : value;
  return Math.round(minutes);
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Parses `Mon-Fri 09:00-18:00` (also `Mon,Wed,Fri 10:00-17:30`). */
export function parseBusinessHours(text: string): BusinessHours | undefined {
  const m = /^([A-Za-z]{3}(?:\s*[-,]\s*[A-Za-z]{3})*)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const dayIndex = (name: string): number => DAY_NAMES.indexOf(name.toLowerCase() as (typeof DAY_NAMES)[number]);
  const days = new Set<number>();
  for (const part of m[1]!.split(',')) {
    const [a, b] = part.split('-').map((s) => dayIndex(s.trim()));
    if (a === undefined || a < 0 || (b !== undefined && b < 0)) return undefined;
    if (b === undefined) days.add(a);
    else for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  const startMinute = Number(m[2]) * 60 + Number(m[3]);
  const endMinute = Number(m[4]) * 60 + Number(m[5]);
  if (startMinute >= endMinute || endMinute > 24 * 60) return undefined;
  return { days: [...days].sort((a, b) => a - b), startMinute, endMinute };
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function isValidCron(expr: string): boolean {
  const fields = expr.trim().split(/\s+/);
  return (fields.length === 5 || fields.length === 6) && fields.every((f) => /^[\d*/,\-A-Za-z?LW#]+$/.test(f));
}

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => URL.canParse(v), { message: `must be a URL (${what})` })
    .transform((v) => v.replace(/\/+$/, ''));

const intList = (what: string) =>
  z
    .string()
    .trim()
    .default('')
    .transform((v, ctx) => {
      const items = v.split(/[\s,]+/).filter(Boolean);
      const out: number[] = [];
      for (const item of items) {
        if (!/^-?\d+$/.test(item)) {
          ctx.addIssue({ code: 'custom', message: `"${item}" is not a number; expected a comma-separated list of ${what}` });
          return z.NEVER;
        }
        out.push(Number(item));
      }
      return out;
    });

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .default('false')
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', ''].includes(v), { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * A duration (`90m`, `4h`, `2d`): its minutes, and the number of days when
 * it was written in days (on the business clock a day is a business day,
 * see {@link onSlaClock}).
 */
const clockDuration = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((v, ctx) => {
      const minutes = parseDurationMinutes(v);
      if (minutes === undefined || minutes <= 0) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration; write it like 90m, 4h or 2d` });
        return z.NEVER;
      }
      const days = /d$/i.test(v) ? Number(DURATION_RE.exec(v)![1]) : undefined;
      return { minutes, days };
    });

/** A duration in minutes (a day is 24 hours). */
const duration = (fallback: string) => clockDuration(fallback).transform((d) => d.minutes);

/**
 * Minutes of a duration on the SLA clock: on the business clock `2d` is two
 * business days (each as long as the configured working day), not 48 hours
 * of business time; on the wall clock a day is 24 hours.
 */
function onSlaClock(d: { minutes: number; days: number | undefined }, clock: 'business' | 'wall', hours: BusinessHours): number {
  return clock === 'business' && d.days !== undefined ? Math.round(d.days * (hours.endMinute - hours.startMinute)) : d.minutes;
}

const positiveInt = (fallback: number, what: string) =>
  z
    .string()
    .trim()
    .default(String(fallback))
    .transform((v, ctx) => {
      if (!/^\d+$/.test(v) || Number(v) < 1) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a whole number ≥ 1 (${what})` });
        return z.NEVER;
      }
      return Number(v);
    });

const envSchema = z
  .object({
    NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATA_DIR: z.string().trim().default('./data'),
    DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'must start with postgres:// (or leave it unset to use the embedded database in DATA_DIR)',
    }),
    REDIS_URL: optionalText.refine((v) => v === undefined || /^rediss?:\/\//.test(v), {
      message: 'must start with redis:// or rediss:// (or leave it unset to run the queues in PostgreSQL)',
    }),
    INSTANCE_LEASE_SECONDS: z.coerce
      .number({ message: 'must be a whole number of seconds (for example 30)' })
      .int({ message: 'must be a whole number of seconds (for example 30)' })
      .min(3, { message: 'must be at least 3 seconds' })
      .max(300, { message: 'must be at most 300 seconds' })
      .default(30),
    QUEUE_PREFIX: z
      .string()
      .trim()
      .default('ardzagank')
      .refine((v) => /^[A-Za-z0-9_-]+$/.test(v), { message: 'letters, digits, _ and - only' }),
    HTTP_HOST: z.string().trim().default('0.0.0.0'),
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: optionalText.pipe(url('the address citizens and Facebook reach this service at').optional()),

    TELEGRAM_BOT_TOKEN: optionalText.refine((v) => v === undefined || /^\d+:[A-Za-z0-9_-]{20,}$/.test(v), {
      message: 'does not look like a bot token (digits:letters, as @BotFather gives it)',
    }),
    TELEGRAM_API_ROOT: url('Telegram Bot API root').default('https://api.telegram.org'),
    TELEGRAM_STAFF_CHAT_ID: optionalText.refine((v) => v === undefined || /^-?\d+$/.test(v), {
      message: 'must be the numeric chat id of the staff group (for example -1001234567890)',
    }),
    TELEGRAM_ADMIN_IDS: intList('Telegram user ids'),
    TELEGRAM_WEBHOOK_URL: optionalText.pipe(url('public HTTPS address of POST /webhooks/telegram').optional()),
    TELEGRAM_WEBHOOK_SECRET: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), {
      message: '1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram rule for secret_token)',
    }),
    TELEGRAM_CHANNEL_ID: optionalText.refine((v) => v === undefined || /^-100\d+$/.test(v), {
      message: 'must be the numeric id of the city\'s channel (for example -1001234567890; getChat of @username gives it)',
    }),
    TELEGRAM_DISCUSSION_CHAT_ID: optionalText.refine((v) => v === undefined || /^-100\d+$/.test(v), {
      message: 'must be the numeric id of the channel\'s linked discussion group (for example -1001234567891)',
    }),
    TELEGRAM_GROUP_MESSAGES_PER_MINUTE: positiveInt(20, 'messages a minute into the staff group (Telegram allows about 20)'),
    TELEGRAM_MESSAGES_PER_SECOND: positiveInt(30, 'messages a second to all chats together (Telegram allows about 30)'),
    REQUIRE_APPROVAL: bool,
    REMIND_UNCLAIMED_AFTER: clockDuration('30m'),
    REMIND_CLAIMED_AFTER: clockDuration('2h'),
    LOW_PRIORITY_SUMMARY_EVERY: duration('1h'),
    WAVES: z.enum(['on', 'off']).default('on'),
    WAVE_CARD_EVERY_SECONDS: positiveInt(10, 'seconds between two edits of one wave card'),
    STATEMENT_REPLIES_PER_MINUTE: positiveInt(20, 'replies of statements a minute on one source'),
    RUMOUR_ALERT_AFTER: positiveInt(10, 'questions after a rebuttal that make the supervisors be told'),

    SOURCES_SECRET_KEY: optionalText.refine((v) => v === undefined || parseSecretKey(v) !== undefined, {
      message: 'must be 32 random bytes written as 64 hex digits or base64 (openssl rand -hex 32)',
    }),

    FACEBOOK_PAGE_ID: optionalText.refine((v) => v === undefined || /^\d+$/.test(v), { message: 'must be the numeric Page id' }),
    FACEBOOK_PAGE_ACCESS_TOKEN: optionalText,
    FACEBOOK_APP_SECRET: optionalText,
    INSTAGRAM_ACCOUNT_ID: optionalText.refine((v) => v === undefined || /^\d+$/.test(v), { message: 'must be the numeric Instagram professional account id (17841…)' }),
    FACEBOOK_VERIFY_TOKEN: optionalText,
    GRAPH_API_URL: url('Graph API root').default('https://graph.facebook.com'),
    GRAPH_API_VERSION: z
      .string()
      .trim()
      .default('v24.0')
      .refine((v) => /^v\d+\.\d+$/.test(v), { message: 'must look like v24.0' }),
    FACEBOOK_POLL_EVERY: z
      .string()
      .trim()
      .default('5m')
      .transform((v, ctx) => {
        if (v.toLowerCase() === 'off') return undefined;
        const minutes = parseDurationMinutes(v);
        if (minutes === undefined || minutes <= 0) {
          ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration; write it like 5m or 1h, or off to rely on webhooks alone` });
          return z.NEVER;
        }
        return minutes;
      }),
    FACEBOOK_POLL_LOOKBACK_DAYS: z.coerce
      .number({ message: 'must be a whole number of days (for example 14)' })
      .int({ message: 'must be a whole number of days (for example 14)' })
      .min(1, { message: 'must be at least 1 day' })
      .max(90, { message: 'must be at most 90 days' })
      .default(14),

    TIMEZONE: z
      .string()
      .trim()
      .default('Asia/Yerevan')
      .refine(isValidTimeZone, { message: 'is not an IANA time zone (for example Asia/Yerevan)' }),
    BUSINESS_HOURS: z
      .string()
      .trim()
      .default('Mon-Fri 09:00-18:00')
      .transform((v, ctx) => {
        const parsed = parseBusinessHours(v);
        if (!parsed) {
          ctx.addIssue({ code: 'custom', message: `"${v}" is not understood; write it like Mon-Fri 09:00-18:00` });
          return z.NEVER;
        }
        return parsed;
      }),
    HOLIDAYS: z
      .string()
      .trim()
      .default('')
      .transform((v, ctx) => {
        const days = v.split(/[\s,]+/).filter(Boolean);
        for (const d of days) {
          if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) {
            ctx.addIssue({ code: 'custom', message: `"${d}" is not a date; list extra days off as YYYY-MM-DD, comma-separated` });
            return z.NEVER;
          }
        }
        return days;
      }),
    SLA_FIRST_RESPONSE: clockDuration('8h'),
    SLA_CLOCK: z.enum(['business', 'wall']).default('business'),
    SLA_RESOLUTION: clockDuration('5d'),
    FOLLOW_UP_WINDOW: z
      .string()
      .trim()
      .default('3d')
      .transform((v, ctx) => {
        if (v.toLowerCase() === 'off') return 0;
        const minutes = parseDurationMinutes(v);
        if (minutes === undefined || minutes <= 0) {
          ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration; write it like 12h or 3d, or off so that every follow-up opens a new inquiry` });
          return z.NEVER;
        }
        return minutes;
      }),
    ASK_IF_SOLVED: z
      .string()
      .trim()
      .toLowerCase()
      .default('off')
      .refine((v) => v === 'on' || v === 'off', { message: 'must be on or off' })
      .transform((v) => v === 'on'),
    ASK_IF_SOLVED_AFTER: duration('3d'),
    DIGEST_CRON: z
      .string()
      .trim()
      .default('0 9 * * 1')
      .refine(isValidCron, { message: 'is not a cron expression (five fields, for example "0 9 * * 1")' }),
    DIGEST_CHAT_IDS: intList('Telegram chat ids'),
    LOCALE: z.enum(LOCALES).default('hy'),
    PUBLIC_PAGE: z
      .string()
      .trim()
      .toLowerCase()
      .default('off')
      .refine((v) => v === 'on' || v === 'off' || v === '', { message: 'must be on or off' })
      .transform((v) => v === 'on'),
  });

/**
 * Rules across variables, checked on the raw strings so they are reported
 * together with every other problem (zod skips object refinements when a
 * field already failed).
 */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const problems: string[] = [];
  if (set('TELEGRAM_WEBHOOK_URL') !== set('TELEGRAM_WEBHOOK_SECRET')) {
    const missing = set('TELEGRAM_WEBHOOK_URL') ? 'TELEGRAM_WEBHOOK_SECRET' : 'TELEGRAM_WEBHOOK_URL';
    problems.push(`${missing} (not set): TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET go together: set both, or neither for long polling`);
  }
  if (set('TELEGRAM_CHANNEL_ID') !== set('TELEGRAM_DISCUSSION_CHAT_ID')) {
    const missing = set('TELEGRAM_CHANNEL_ID') ? 'TELEGRAM_DISCUSSION_CHAT_ID' : 'TELEGRAM_CHANNEL_ID';
    problems.push(`${missing} (not set): TELEGRAM_CHANNEL_ID and TELEGRAM_DISCUSSION_CHAT_ID go together (the channel and its linked discussion group): set both, or neither`);
  }
  if (set('FACEBOOK_PAGE_ACCESS_TOKEN') && !set('FACEBOOK_PAGE_ID')) {
    problems.push('FACEBOOK_PAGE_ID (not set): is required when FACEBOOK_PAGE_ACCESS_TOKEN is set');
  }
  return problems;
}

type Env = z.output<typeof envSchema>;

/** Validated configuration, grouped by the part of the service that uses it. */
export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  /** Absolute directory for the embedded database and other local files. */
  dataDir: string;
  /** Unset: a PostgreSQL the process starts in `dataDir`/postgres (src/db/embedded-postgres.ts). */
  databaseUrl: string | undefined;
  /** Set: the queues run on Redis. Unset: in PostgreSQL, in the app's database (`queue/transport.ts`). */
  redisUrl: string | undefined;
  /** Names the queues: the prefix of their keys in Redis, or their schema in PostgreSQL (`<prefix>_queues`); tests use a unique one. */
  queuePrefix: string;
  /**
   * Several instances on one database: each renews its leases (that it is
   * alive; for one of them, that it long-polls Telegram) every third of this
   * many seconds. When one dies, within this and a third another takes its
   * polling over and queues its unfinished work again.
   */
  instanceLeaseSeconds: number;
  http: { host: string; port: number; publicUrl: string | undefined };
  telegram: {
    botToken: string | undefined;
    apiRoot: string;
    staffChatId: number | undefined;
    adminIds: number[];
    webhookUrl: string | undefined;
    webhookSecret: string | undefined;
    /** Pace of messages and edits into the staff group (Telegram: about 20 a minute). */
    groupMessagesPerMinute: number;
    /** Messages a second to all chats together (Telegram: about 30). */
    messagesPerSecond: number;
    /** The quick way for one channel: its id and its linked discussion group's (both or neither). */
    channel: { channelId: number; discussionChatId: number } | undefined;
  };
  facebook: {
    pageId: string | undefined;
    pageAccessToken: string | undefined;
    appSecret: string | undefined;
    verifyToken: string | undefined;
    graphApiUrl: string;
    graphApiVersion: string;
    /** Minutes between polls of the Page; undefined: no polling (webhooks alone). */
    pollEveryMinutes: number | undefined;
    /** Polls look for new comments on posts of this many last days. */
    pollLookbackDays: number;
    /** The Instagram professional account linked to the Page (read and answered with the Page's token). */
    instagramAccountId: string | undefined;
  };
  /** Credentials of the sources added with `ardzagank sources add`. */
  sources: {
    /** Key that encrypts the credentials stored in the database (SOURCES_SECRET_KEY); undefined: none can be stored or read. */
    secretKey: Buffer | undefined;
    /**
     * The environment's variables whose names end in `_TOKEN`: a source's
     * `credentials_ref` names one of them (the name is stored, never the value).
     */
    tokenVariables: Readonly<Record<string, string>>;
  };
  timezone: string;
  businessHours: BusinessHours;
  /** Extra days off (YYYY-MM-DD) on top of the legal calendar. */
  holidays: string[];
  /**
   * Targets in minutes on the SLA clock: the first response, and the
   * resolution (the final answer, `SLA_RESOLUTION`).
   */
  sla: { firstResponseMinutes: number; resolutionMinutes: number; clock: 'business' | 'wall' };
  /** After the final answer (issue 18). */
  followThrough: {
    /** A citizen writing again in the thread this long (wall clock) after the final answer reopens the inquiry; 0: never. */
    followUpWindowMinutes: number;
    /** Ask the citizen privately whether it was solved, once, `askIfSolvedAfterMinutes` after the final answer. */
    askIfSolved: boolean;
    askIfSolvedAfterMinutes: number;
  };
  digest: { cron: string; chatIds: number[] };
  locale: Locale;
  /** `GET /`, `/en`, `/ru` and `/public.json`: the public page of how fast the city answers (PUBLIC_PAGE=on). */
  publicPage: boolean;
  /** The staff's workflow in Telegram: approvals, reminders, low-priority summaries. */
  workflow: {
    /** Answers of agents wait for a supervisor's approval before they are published. */
    requireApproval: boolean;
    /** A card nobody claimed this long (SLA clock) gets one reminder in the group. */
    remindUnclaimedMinutes: number;
    /** A claimed inquiry unanswered this long (SLA clock) gets one private reminder to its claimant. */
    remindClaimedMinutes: number;
    /** How often low-priority items are posted as one summary message. */
    lowPrioritySummaryMinutes: number;
  };
  /** Waves, statements and rumours. */
  waves: {
    /** Whether new questions are grouped into waves (`WAVES`, on by default). */
    enabled: boolean;
    /** At least this long between two edits of one wave card (changes meanwhile are shown together). */
    cardEverySeconds: number;
    /** Statement replies published on one source per minute, at most (spread evenly). */
    statementRepliesPerMinute: number;
    /** Every this many questions joining a rumour after its rebuttal, the supervisors are told. */
    rumourAlertAfter: number;
  };
}

/** Every variable name the schema knows, in order (used by docs and tests). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);

export interface LoadConfigOptions {
  /** Defaults to `process.env`. Tests pass their own. */
  env?: Record<string, string | undefined>;
  /** Read `.env` in the working directory first (default: only when `env` is not given). */
  readDotEnv?: boolean;
}

/** Reads and validates the configuration; throws {@link ConfigError}. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const readDotEnv = options.readDotEnv ?? options.env === undefined;
  if (readDotEnv && existsSync('.env')) process.loadEnvFile('.env');
  const source = options.env ?? process.env;
  const parsed = envSchema.safeParse(source);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const given = source[name];
        const hint = given === undefined || given === '' ? ' (not set)' : '';
        return `${name}${hint}: ${issue.message}`;
      });
  problems.push(...crossFieldProblems(source));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    instanceLeaseSeconds: e.INSTANCE_LEASE_SECONDS,
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT, publicUrl: e.PUBLIC_URL },
    telegram: {
      botToken: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT,
      staffChatId: e.TELEGRAM_STAFF_CHAT_ID === undefined ? undefined : Number(e.TELEGRAM_STAFF_CHAT_ID),
      adminIds: e.TELEGRAM_ADMIN_IDS,
      webhookUrl: e.TELEGRAM_WEBHOOK_URL,
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
      groupMessagesPerMinute: e.TELEGRAM_GROUP_MESSAGES_PER_MINUTE,
      messagesPerSecond: e.TELEGRAM_MESSAGES_PER_SECOND,
      channel:
        e.TELEGRAM_CHANNEL_ID !== undefined && e.TELEGRAM_DISCUSSION_CHAT_ID !== undefined
          ? { channelId: Number(e.TELEGRAM_CHANNEL_ID), discussionChatId: Number(e.TELEGRAM_DISCUSSION_CHAT_ID) }
          : undefined,
    },
    facebook: {
      pageId: e.FACEBOOK_PAGE_ID,
      pageAccessToken: e.FACEBOOK_PAGE_ACCESS_TOKEN,
      appSecret: e.FACEBOOK_APP_SECRET,
      verifyToken: e.FACEBOOK_VERIFY_TOKEN,
      graphApiUrl: e.GRAPH_API_URL,
      graphApiVersion: e.GRAPH_API_VERSION,
      pollEveryMinutes: e.FACEBOOK_POLL_EVERY,
      pollLookbackDays: e.FACEBOOK_POLL_LOOKBACK_DAYS,
      instagramAccountId: e.INSTAGRAM_ACCOUNT_ID,
    },
    sources: { secretKey: e.SOURCES_SECRET_KEY === undefined ? undefined : parseSecretKey(e.SOURCES_SECRET_KEY), tokenVariables: tokenVariablesOf(source) },
    timezone: e.TIMEZONE,
    businessHours: e.BUSINESS_HOURS,
    holidays: e.HOLIDAYS,
    sla: {
      firstResponseMinutes: onSlaClock(e.SLA_FIRST_RESPONSE, e.SLA_CLOCK, e.BUSINESS_HOURS),
      resolutionMinutes: onSlaClock(e.SLA_RESOLUTION, e.SLA_CLOCK, e.BUSINESS_HOURS),
      clock: e.SLA_CLOCK,
    },
    followThrough: { followUpWindowMinutes: e.FOLLOW_UP_WINDOW, askIfSolved: e.ASK_IF_SOLVED, askIfSolvedAfterMinutes: e.ASK_IF_SOLVED_AFTER },
    digest: { cron: e.DIGEST_CRON, chatIds: e.DIGEST_CHAT_IDS },
    locale: e.LOCALE,
    publicPage: e.PUBLIC_PAGE,
    workflow: {
      requireApproval: e.REQUIRE_APPROVAL,
      remindUnclaimedMinutes: onSlaClock(e.REMIND_UNCLAIMED_AFTER, e.SLA_CLOCK, e.BUSINESS_HOURS),
      remindClaimedMinutes: onSlaClock(e.REMIND_CLAIMED_AFTER, e.SLA_CLOCK, e.BUSINESS_HOURS),
      lowPrioritySummaryMinutes: e.LOW_PRIORITY_SUMMARY_EVERY,
    },
    waves: {
      enabled: e.WAVES === 'on',
      cardEverySeconds: e.WAVE_CARD_EVERY_SECONDS,
      statementRepliesPerMinute: e.STATEMENT_REPLIES_PER_MINUTE,
      rumourAlertAfter: e.RUMOUR_ALERT_AFTER,
    },
  };
}

/** A name a source's `credentials_ref` may give: an environment variable ending in `_TOKEN`. */
export const CREDENTIALS_REF_PATTERN = /^[A-Z][A-Z0-9_]*_TOKEN$/;

function tokenVariablesOf(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (CREDENTIALS_REF_PATTERN.test(name) && typeof value === 'string' && value.trim() !== '') out[name] = value.trim();
  }
  return out;
}

/** Secrets of a config, so loggers and stored errors can scrub them by value. */
export function configSecrets(config: Config): string[] {
  return [
    config.telegram.botToken,
    config.telegram.webhookSecret,
    config.facebook.pageAccessToken,
    config.facebook.appSecret,
    config.facebook.verifyToken,
    ...Object.values(config.sources.tokenVariables),
    config.sources.secretKey?.toString('hex'),
    config.sources.secretKey?.toString('base64'),
  ].filter((s): s is string => typeof s === 'string' && s.length >= 6);
}
