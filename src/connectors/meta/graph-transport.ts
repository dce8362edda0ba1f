/**
 * The Graph API transport shared by the Meta connectors (Facebook today,
 * Instagram next): the only module that imports
 * `facebook-nodejs-business-sdk`. A connector's client (e.g.
 * `connectors/facebook/graph-client.ts`) calls Graph through
 * {@link createGraphTransport} and gets parsed JSON and the two typed errors
 * of `graph-errors.ts`, never the SDK's objects. One transport is bound to
 * one access token; it adds the deadline, the usage headers, the
 * `appsecret_proof`, the call report ({@link GraphCallInfo}) and the
 * scrubbing of secrets.
 *
 * How the SDK is used, and why (facebook-nodejs-business-sdk 24.x,
 * `src/api.js`, `src/http.js`, `src/exceptions.js`):
 *
 * - Requests go through `FacebookAdsApi#call`, the SDK's own HTTP path
 *   (`Http.request` → axios, errors wrapped in `FacebookRequestError`).
 * - Base URL and version: with an array path, `call` builds
 *   `[urlOverride || FacebookAdsApi.GRAPH, FacebookAdsApi.VERSION, ...path]`,
 *   where `GRAPH` (https://graph.facebook.com) and `VERSION` (v24.0) are
 *   static getters read through the class name, so neither a subclass nor
 *   configuration can change the version, and `urlOverride` (the sixth
 *   argument) only replaces the host. With a string path, `call` uses it as
 *   the full URL (this is how the SDK's own `Cursor` follows `paging.next`).
 *   We use that form: the URL is built here from `baseUrl` (`GRAPH_API_URL`)
 *   and `version` (`GRAPH_API_VERSION`), so both are configurable.
 * - The token: like the SDK's array form, the token travels as the
 *   `access_token` query parameter (the SDK has no way to set an
 *   Authorization header). It therefore appears in the URL the SDK keeps on
 *   `FacebookRequestError#url`, and POST bodies on `#data`. Those objects never
 *   leave this module: errors are rebuilt from scrubbed parts, and `cause` is a
 *   scrubbed copy holding only name, message and stack.
 * - Crash reporter: `new FacebookAdsApi(token, locale, crashLog)` enables the
 *   SDK's `CrashReporter` unless `crashLog` is false. It installs a global
 *   `uncaughtException` handler that sends stack traces to Facebook; it is
 *   always constructed with `false`, and `FacebookAdsApi.init` (which also
 *   sets a process-wide default API) is not used. `setDebug(true)` would
 *   `console.log` every URL with its token; it stays off.
 * - Timeouts, headers and transport errors: the SDK gives axios no timeout,
 *   and it loses information on failure (a non-JSON error body makes its
 *   error constructor throw a `SyntaxError`; a refused connection becomes
 *   "The request was made but no response was received" without the error
 *   code). The SDK calls the default instance of its own `axios`, so this
 *   module registers one request and one response interceptor on exactly
 *   that instance (resolved from the SDK's location). They act only inside
 *   an `AsyncLocalStorage` context that this transport opens around each call:
 *   the request interceptor attaches the call's `AbortSignal` (so a timeout
 *   really closes the socket), the response interceptor records the status,
 *   the headers (`x-app-usage`, `x-business-use-case-usage`, `x-fb-trace-id`)
 *   and the raw body or transport error code. Other users of axios are not
 *   affected. If a future SDK stopped using that axios instance, the deadline
 *   still holds (a timer races the call), usage headers would be missing, and
 *   throttling would be known from the error codes alone.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Logger } from '../../observability/logger.js';
import { scrubSecrets } from '../../observability/redact.js';
import { GraphApiError, GraphHttpError, type GraphUsage } from './graph-errors.js';

// ---------------------------------------------------------------------------
// The SDK, typed as far as this module uses it (the package ships no types).

interface SdkApi {
  call(method: string, path: string, params?: Record<string, unknown>): Promise<unknown>;
  setDebug(flag: boolean): SdkApi;
}

interface SdkModule {
  FacebookAdsApi: {
    new (accessToken: string, locale?: string, crashLog?: boolean): SdkApi;
    readonly VERSION: string;
    readonly GRAPH: string;
  };
  CrashReporter: { disable(): void };
}

interface AxiosConfigLike {
  signal?: unknown;
}
interface AxiosResponseLike {
  status: number;
  headers: unknown;
  data: unknown;
}
interface AxiosErrorLike {
  code?: unknown;
  message?: unknown;
  response?: AxiosResponseLike;
}
interface AxiosLike {
  interceptors: {
    request: { use(onFulfilled: (config: AxiosConfigLike) => AxiosConfigLike): number };
    response: { use(onFulfilled: (response: AxiosResponseLike) => AxiosResponseLike, onRejected: (error: unknown) => unknown): number };
  };
}

/**
 * The SDK and the very axios instance its `Http` calls (CommonJS, resolved
 * from the SDK's own location), loaded at the first Graph call: a service
 * without a connected Page never loads them (~15 MB of resident memory,
 * README, Memory). `require`, not `import()`: the interceptors must sit on
 * the CommonJS axios the SDK itself requires.
 */
let loaded: { sdk: SdkModule; axios: AxiosLike } | undefined;
function loadSdk(): { sdk: SdkModule; axios: AxiosLike } {
  if (!loaded) {
    const requireHere = createRequire(import.meta.url);
    const entry = requireHere.resolve('facebook-nodejs-business-sdk');
    loaded = { sdk: requireHere(entry) as SdkModule, axios: createRequire(entry)('axios') as AxiosLike };
  }
  return loaded;
}

/** Default Graph API root (the SDK's `FacebookAdsApi.GRAPH`). */
const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';
/** Default deadline of one HTTP request, in milliseconds. */
const DEFAULT_TIMEOUT_MS = 20_000;

/** What the interceptors learn about one HTTP request made inside {@link callContext}. */
interface CallContext {
  signal: AbortSignal;
  intercepted: boolean;
  response?: { status: number; headers: Record<string, string>; data: unknown };
  transportCode?: string;
  transportMessage?: string;
}

const callContext = new AsyncLocalStorage<CallContext>();
let interceptorsInstalled = false;

function plainHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers || typeof headers !== 'object') return out;
  const source =
    typeof (headers as { toJSON?: unknown }).toJSON === 'function'
      ? ((headers as { toJSON(): unknown }).toJSON() as Record<string, unknown>)
      : (headers as Record<string, unknown>);
  for (const [name, value] of Object.entries(source)) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
    else if (Array.isArray(value)) out[name.toLowerCase()] = value.join(', ');
    else if (typeof value === 'number') out[name.toLowerCase()] = String(value);
  }
  return out;
}

function recordResponse(context: CallContext, response: AxiosResponseLike): void {
  context.response = { status: response.status, headers: plainHeaders(response.headers), data: response.data };
}

/** Registers the two interceptors on the SDK's axios once per process; they are inert outside a call. */
function installInterceptors(sdkAxios: AxiosLike): void {
  if (interceptorsInstalled) return;
  interceptorsInstalled = true;
  sdkAxios.interceptors.request.use((config) => {
    const context = callContext.getStore();
    if (context) {
      context.intercepted = true;
      config.signal = context.signal;
    }
    return config;
  });
  sdkAxios.interceptors.response.use(
    (response) => {
      const context = callContext.getStore();
      if (context) recordResponse(context, response);
      return response;
    },
    (error: unknown) => {
      const context = callContext.getStore();
      if (context && error && typeof error === 'object') {
        const e = error as AxiosErrorLike;
        if (e.response) recordResponse(context, e.response);
        if (typeof e.code === 'string') context.transportCode = e.code;
        if (typeof e.message === 'string') context.transportMessage = e.message;
      }
      return Promise.reject(error);
    },
  );
}

// ---------------------------------------------------------------------------
// What callers pass and get.

/** One page of an edge, as Graph sends it. */
export interface GraphPage<T> {
  data: T[];
  paging?: {
    cursors?: { before?: string; after?: string };
    next?: string;
    previous?: string;
  };
  summary?: Record<string, unknown>;
}

/** Parameter values: arrays of strings are joined with commas (`fields`), objects sent as JSON. */
export type GraphParamValue = string | number | boolean | readonly string[] | { readonly [key: string]: unknown } | undefined;

/** Query (GET) or body (POST) parameters of a call. */
export type GraphParams = Readonly<Record<string, GraphParamValue>>;

/** One HTTP request made by the transport, reported to {@link GraphTransportOptions.onCall}. */
export interface GraphCallInfo {
  /** What the call was for: the client method that made it (`getPagePostsWithComments`, `replyToComment`, …) or `get`/`post`. */
  purpose: string;
  method: 'GET' | 'POST';
  /** The path with ids replaced, e.g. `{id}/comments`: bounded, safe as a metric label. */
  endpoint: string;
  outcome: 'ok' | 'api_error' | 'http_error' | 'timeout';
  /** HTTP status when a response arrived. */
  httpStatus: number | undefined;
  /** Graph error code for `api_error`. */
  errorCode: number | undefined;
  durationMs: number;
  usage: GraphUsage | undefined;
}

/** Options of {@link createGraphTransport}. */
export interface GraphTransportOptions {
  /** Graph API root without version; default `https://graph.facebook.com` (tests pass the stand-in's URL). */
  baseUrl?: string;
  /** Graph API version like `v24.0`; default the version the SDK release was built for (`FacebookAdsApi.VERSION`). */
  version?: string;
  /** The access token (a Page token for Facebook). */
  accessToken: string;
  /** When set, every call carries `appsecret_proof` (needed when the app requires it). */
  appSecret?: string;
  logger: Logger;
  /** Deadline of one HTTP request in milliseconds; default 20 000. */
  timeoutMs?: number;
  /** More values to scrub from error messages and logs (the token and app secret always are). */
  secrets?: readonly string[];
  /** Called once per HTTP request, after it ended (to count calls in Prometheus). Must not throw. */
  onCall?: (call: GraphCallInfo) => void;
  /** Usage percentage from which a warning is logged (at most once a minute); default 80. */
  usageWarnPercent?: number;
}

/** Options of edge reads that follow `paging.next`. */
export interface PagingOptions {
  /** Stop after this many pages (a guard against endless paging); default 50. */
  maxPages?: number;
}

/**
 * The transport returned by {@link createGraphTransport}. `purpose` names the
 * call in {@link GraphCallInfo} (a metric label): pass the endpoint method's
 * name; it defaults to the transport method's own name.
 */
export interface GraphTransport {
  /** Deadline of one HTTP request in milliseconds (after it, the call may or may not have taken effect). */
  readonly timeoutMs: number;
  /** `GET /{version}/{path}` with query `params`; resolves with the parsed JSON. */
  get<T>(path: string, params?: GraphParams, purpose?: string): Promise<T>;
  /** `POST /{version}/{path}` with a JSON body of `params`; resolves with the parsed JSON. */
  post<T>(path: string, params?: GraphParams, purpose?: string): Promise<T>;
  /** Every page of an edge, following `paging.next` (rebased onto `baseUrl`, with this transport's token). */
  iteratePages<T>(path: string, params?: GraphParams, options?: PagingOptions, purpose?: string): AsyncGenerator<GraphPage<T>, void, undefined>;
  /** Every item of an edge, all pages concatenated. */
  getAllPages<T>(path: string, params?: GraphParams, options?: PagingOptions, purpose?: string): Promise<T[]>;
  /** Usage from the most recent response that carried usage headers; undefined before. */
  lastUsage(): GraphUsage | undefined;
}

// ---------------------------------------------------------------------------
// Small pure helpers.

/** `123_456/comments` → `{id}/comments`: edge names are lower-case words, everything else is an id. */
function endpointOf(path: string): string {
  return path
    .split('/')
    .map((segment) => (/^[a-z_]+$/.test(segment) ? segment : '{id}'))
    .join('/');
}

function normalizePath(path: string): string {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '' || /[?#]/.test(trimmed) || /^[a-z]+:/i.test(trimmed)) {
    throw new TypeError(`Graph path must be like "{id}/comments" without query or host, got ${JSON.stringify(path)}`);
  }
  return trimmed.split('/').map(encodeURIComponent).join('/');
}

function encodeValue(value: Exclude<GraphParamValue, undefined>): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.join(',');
  return JSON.stringify(value);
}

function queryParams(params: GraphParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = encodeValue(value);
  return out;
}

function bodyParams(params: GraphParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

function parseJsonHeader(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Reads `x-app-usage` and `x-business-use-case-usage`; undefined when neither was sent. */
function parseUsageHeaders(headers: Readonly<Record<string, string>>): GraphUsage | undefined {
  const app = parseJsonHeader(headers['x-app-usage']);
  const buc = parseJsonHeader(headers['x-business-use-case-usage']);
  if (app === undefined && buc === undefined) return undefined;
  const usage: GraphUsage = { maxPercent: 0, regainAccessInMs: 0 };
  if (app && typeof app === 'object') {
    const a = app as Record<string, unknown>;
    usage.app = { call_count: numberOr0(a.call_count), total_time: numberOr0(a.total_time), total_cputime: numberOr0(a.total_cputime) };
    usage.maxPercent = Math.max(usage.app.call_count, usage.app.total_time, usage.app.total_cputime);
  }
  if (buc && typeof buc === 'object') {
    usage.businessUseCase = {};
    for (const [objectId, entries] of Object.entries(buc as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue;
      usage.businessUseCase[objectId] = entries
        .filter((e): e is Record<string, unknown> => Boolean(e) && typeof e === 'object')
        .map((e) => {
          const entry = {
            type: typeof e.type === 'string' ? e.type : undefined,
            call_count: numberOr0(e.call_count),
            total_time: numberOr0(e.total_time),
            total_cputime: numberOr0(e.total_cputime),
            estimated_time_to_regain_access: numberOr0(e.estimated_time_to_regain_access),
          };
          usage.maxPercent = Math.max(usage.maxPercent, entry.call_count, entry.total_time, entry.total_cputime);
          usage.regainAccessInMs = Math.max(usage.regainAccessInMs, entry.estimated_time_to_regain_access * 60_000);
          return entry;
        });
    }
  }
  return usage;
}

/** The fields of Graph's error envelope, as sent on the wire. */
interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
}

/** The Graph error envelope of a response body, if it is one. */
function graphErrorOf(data: unknown): GraphErrorBody | undefined {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
  if (!body || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (!error || typeof error !== 'object') return undefined;
  const e = error as Record<string, unknown>;
  if (typeof e.code !== 'number') return undefined;
  return {
    code: e.code,
    message: typeof e.message === 'string' ? e.message : undefined,
    type: typeof e.type === 'string' ? e.type : undefined,
    error_subcode: typeof e.error_subcode === 'number' ? e.error_subcode : undefined,
    is_transient: e.is_transient === true,
    error_user_title: typeof e.error_user_title === 'string' ? e.error_user_title : undefined,
    error_user_msg: typeof e.error_user_msg === 'string' ? e.error_user_msg : undefined,
    fbtrace_id: typeof e.fbtrace_id === 'string' ? e.fbtrace_id : undefined,
  };
}

/**
 * A copy of an SDK or axios error that is safe to keep as `cause`: name,
 * scrubbed message and stack only. The originals carry the request URL (with
 * the token), the POST body and axios' request config.
 */
function scrubbedCause(error: unknown, scrub: (text: string) => string): Error {
  if (!(error instanceof Error)) return new Error(scrub(String(error)));
  const copy = new Error(scrub(error.message));
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : scrub(error.stack);
  return copy;
}

/**
 * `https://graph.facebook.com/v24.0/123_456/comments?after=X&access_token=…` →
 * path and params without the credentials, to follow a `paging.next` (also a
 * nested one, such as a post's comments) through {@link GraphTransport}.
 * Undefined when `next` is not a Graph URL.
 */
export function parseNextUrl(next: string): { path: string; params: Record<string, string> } | undefined {
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    return undefined;
  }
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (segments.length > 0 && /^v\d+\.\d+$/.test(segments[0]!)) segments.shift();
  if (segments.length === 0) return undefined;
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key !== 'access_token' && key !== 'appsecret_proof') params[key] = value;
  }
  return { path: segments.join('/'), params };
}

// ---------------------------------------------------------------------------

/**
 * Creates a Graph API transport bound to one access token (one Page).
 *
 * @example
 * const graph = createGraphTransport({ baseUrl: config.facebook.graphApiUrl, version: config.facebook.graphApiVersion,
 *   accessToken: config.facebook.pageAccessToken, logger, onCall: (c) => metrics.graphApiCalls.inc({ source: 'facebook', purpose: c.purpose }) });
 */
export function createGraphTransport(options: GraphTransportOptions): GraphTransport {
  if (!options.accessToken) throw new TypeError('createGraphTransport needs an access token');
  const baseUrl = (options.baseUrl ?? DEFAULT_GRAPH_URL).replace(/\/+$/, '');
  if (!URL.canParse(baseUrl)) throw new TypeError(`Graph API base URL is not a URL: ${JSON.stringify(baseUrl)}`);
  // Without a version, the one this SDK release was built for (which loads the SDK now).
  const version = options.version ?? loadSdk().sdk.FacebookAdsApi.VERSION;
  if (!/^v\d+\.\d+$/.test(version)) throw new TypeError(`Graph API version must look like v24.0, got ${JSON.stringify(version)}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const usageWarnPercent = options.usageWarnPercent ?? 80;
  const accessToken = options.accessToken;
  const appSecretProof = options.appSecret ? createHmac('sha256', options.appSecret).update(accessToken).digest('hex') : undefined;
  const secrets = [accessToken, ...(options.appSecret ? [options.appSecret] : []), ...(appSecretProof ? [appSecretProof] : []), ...(options.secrets ?? [])];
  const scrub = (text: string): string => scrubSecrets(text, secrets);
  const log = options.logger.child({ component: 'graph-client' });

  let sdkApi: SdkApi | undefined;
  const api = (): SdkApi => {
    if (!sdkApi) {
      const { sdk, axios } = loadSdk();
      installInterceptors(axios);
      sdk.CrashReporter.disable();
      sdkApi = new sdk.FacebookAdsApi(accessToken, 'en_US', false).setDebug(false);
    }
    return sdkApi;
  };

  let latestUsage: GraphUsage | undefined;
  let lastUsageWarningAt = 0;

  function noteUsage(usage: GraphUsage | undefined, endpoint: string): void {
    if (!usage) return;
    latestUsage = usage;
    const now = Date.now();
    if (usage.maxPercent >= usageWarnPercent && now - lastUsageWarningAt >= 60_000) {
      lastUsageWarningAt = now;
      log.warn(
        { endpoint, usage },
        `Graph API usage is at ${usage.maxPercent}% of the allowed quota; calls will be throttled at 100%. Poll less often until it drops.`,
      );
    }
  }

  function report(info: GraphCallInfo): void {
    if (!options.onCall) return;
    try {
      options.onCall(info);
    } catch (error) {
      log.warn({ err: scrubbedCause(error, scrub) }, 'onCall callback of the Graph client threw; the call itself is unaffected');
    }
  }

  async function request<T>(method: 'GET' | 'POST', rawPath: string, params: GraphParams, purpose: string): Promise<T> {
    const path = normalizePath(rawPath);
    const endpoint = endpointOf(path);
    const query: Record<string, string> = method === 'GET' ? queryParams(params) : {};
    query.access_token = accessToken;
    if (appSecretProof) query.appsecret_proof = appSecretProof;
    const url = `${baseUrl}/${version}/${path}?${new URLSearchParams(query).toString()}`;
    const body = method === 'POST' ? bodyParams(params) : {};

    // The SDK loads at the first call (synchronously, a few hundred ms on a busy machine): before the deadline starts, so that it counts the request alone.
    const client = api();
    const controller = new AbortController();
    const context: CallContext = { signal: controller.signal, intercepted: false };
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        reject(new Error(`deadline of ${timeoutMs} ms expired`));
      }, timeoutMs);
    });
    const started = performance.now();
    const finish = (
      outcome: GraphCallInfo['outcome'],
      httpStatus: number | undefined,
      errorCode: number | undefined,
      usage: GraphUsage | undefined,
      err?: GraphApiError | GraphHttpError,
    ): void => {
      const durationMs = Math.round(performance.now() - started);
      report({ purpose, method, endpoint, outcome, httpStatus, errorCode, durationMs, usage });
      // Failures are logged here at debug level only: the caller decides whether they matter (and logs them then).
      log.debug({ purpose, method, endpoint, outcome, httpStatus, errorCode, durationMs, ...(err ? { err } : {}) }, 'graph api call');
    };

    let result: unknown;
    try {
      result = await Promise.race([callContext.run(context, () => client.call(method, url, body)), deadline]);
    } catch (error) {
      const failure = translateFailure(error, context, { method, endpoint, timedOut });
      const usage = failure instanceof GraphApiError ? failure.usage : undefined;
      noteUsage(usage, endpoint);
      if (failure instanceof GraphApiError) finish('api_error', failure.httpStatus, failure.code, usage, failure);
      else finish(failure.timedOut ? 'timeout' : 'http_error', failure.httpStatus, undefined, undefined, failure);
      throw failure;
    } finally {
      clearTimeout(timer);
    }

    const usage = context.response ? parseUsageHeaders(context.response.headers) : undefined;
    noteUsage(usage, endpoint);
    if (typeof result === 'string' || result === undefined) {
      // axios parses every JSON body, so a string here is an HTML page or other non-JSON answer.
      const failure = new GraphHttpError({
        method,
        endpoint,
        httpStatus: context.response?.status,
        detail: `HTTP ${context.response?.status ?? 200} with a body that is not JSON`,
        fbtraceId: context.response?.headers['x-fb-trace-id'],
      });
      finish('http_error', context.response?.status, undefined, usage, failure);
      throw failure;
    }
    finish('ok', context.response?.status, undefined, usage);
    return result as T;
  }

  function translateFailure(
    error: unknown,
    context: CallContext,
    call: { method: string; endpoint: string; timedOut: boolean },
  ): GraphApiError | GraphHttpError {
    const cause = scrubbedCause(error, scrub);
    if (call.timedOut) {
      return new GraphHttpError({ method: call.method, endpoint: call.endpoint, detail: 'timeout', timedOut: true, timeoutMs, transportCode: 'ETIMEDOUT', cause });
    }
    // Prefer what the interceptor saw; fall back to what the SDK kept on FacebookRequestError.
    let response = context.response;
    if (!response && error && typeof error === 'object' && typeof (error as { status?: unknown }).status === 'number') {
      const e = error as { status: number; headers?: unknown; response?: unknown };
      response = { status: e.status, headers: plainHeaders(e.headers), data: { error: e.response } };
    }
    if (response) {
      const graphError = graphErrorOf(response.data);
      const fbtraceId = graphError?.fbtrace_id ?? response.headers['x-fb-trace-id'];
      if (graphError && graphError.code !== undefined) {
        return new GraphApiError({
          method: call.method,
          endpoint: call.endpoint,
          httpStatus: response.status,
          code: graphError.code,
          subcode: graphError.error_subcode,
          type: graphError.type,
          graphMessage: scrub(graphError.message ?? 'no message'),
          fbtraceId,
          isTransientFlag: graphError.is_transient === true,
          userTitle: graphError.error_user_title === undefined ? undefined : scrub(graphError.error_user_title),
          userMessage: graphError.error_user_msg === undefined ? undefined : scrub(graphError.error_user_msg),
          usage: parseUsageHeaders(response.headers),
          cause,
        });
      }
      return new GraphHttpError({
        method: call.method,
        endpoint: call.endpoint,
        httpStatus: response.status,
        detail: `HTTP ${response.status} without a Graph error body`,
        transportCode: context.transportCode,
        fbtraceId,
        cause,
      });
    }
    const code = context.transportCode;
    const detail = context.transportMessage ? scrub(context.transportMessage) : cause.message;
    return new GraphHttpError({
      method: call.method,
      endpoint: call.endpoint,
      detail: code && !detail.includes(code) ? `${code}: ${detail}` : detail,
      transportCode: code,
      cause,
    });
  }

  async function* iteratePages<T>(
    path: string,
    params: GraphParams = {},
    pagingOptions: PagingOptions = {},
    purpose = 'iteratePages',
  ): AsyncGenerator<GraphPage<T>, void, undefined> {
    const maxPages = pagingOptions.maxPages ?? 50;
    let page = await request<GraphPage<T>>('GET', path, params, purpose);
    const seen = new Set<string>();
    for (let count = 1; ; count++) {
      yield { ...page, data: Array.isArray(page.data) ? page.data : [] };
      const next = page.paging?.next;
      if (!next || seen.has(next)) return;
      seen.add(next);
      if (count >= maxPages) {
        log.warn({ endpoint: endpointOf(normalizePath(path)), maxPages }, 'Stopped following Graph paging at the page limit; later items were not read');
        return;
      }
      const target = parseNextUrl(next);
      if (!target) {
        log.warn({ endpoint: endpointOf(normalizePath(path)) }, 'Graph sent a paging.next that is not a Graph URL; stopped paging');
        return;
      }
      page = await request<GraphPage<T>>('GET', target.path, target.params, purpose);
    }
  }

  async function getAllPages<T>(path: string, params: GraphParams = {}, pagingOptions: PagingOptions = {}, purpose = 'getAllPages'): Promise<T[]> {
    const items: T[] = [];
    for await (const page of iteratePages<T>(path, params, pagingOptions, purpose)) items.push(...page.data);
    return items;
  }

  return {
    timeoutMs,
    get: <T>(path: string, params: GraphParams = {}, purpose = 'get') => request<T>('GET', path, params, purpose),
    post: <T>(path: string, params: GraphParams = {}, purpose = 'post') => request<T>('POST', path, params, purpose),
    iteratePages,
    getAllPages,
    lastUsage: () => latestUsage,
  };
}
