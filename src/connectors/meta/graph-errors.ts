/**
 * Errors of the Graph API transport (`graph-transport.ts`), shared by the
 * Meta connectors, split the way grammY splits them (`GrammyError` vs
 * `HttpError`):
 *
 * - {@link GraphApiError}: Facebook answered with its error envelope
 *   (`{"error":{"message","type","code","error_subcode","fbtrace_id"}}`) and
 *   refused the call. What to do depends on the code: slow down (4, 17, 32,
 *   613, 80000-80014), pause the source (190), stop publishing for a while
 *   (368, the Page temporarily blocked), tell the staff member (the Messenger
 *   window), retry later (1, 2, `is_transient`), or fix the request.
 * - {@link GraphHttpError}: no Graph answer arrived: timeout, connection
 *   refused or reset, DNS, or an HTTP response without the Graph envelope (a
 *   proxy's HTML page, an empty 502). The call may or may not have taken
 *   effect, so a retried publish can post twice.
 *
 * Messages never contain the access token: the Graph SDK puts it in request
 * URLs and error objects, so every text here is built by the transport from
 * scrubbed parts, and `cause` is a scrubbed copy without the SDK's request
 * objects.
 */

/**
 * Usage the Graph API reported in its response headers, as percentages of
 * the allowed quota (100 means throttled).
 */
export interface GraphUsage {
  /** `x-app-usage`: the app's platform rate limit over the last hour. */
  app?: { call_count: number; total_time: number; total_cputime: number };
  /**
   * `x-business-use-case-usage`, by business object id (the Page for Page
   * tokens). `estimated_time_to_regain_access` is in minutes.
   */
  businessUseCase?: Record<
    string,
    Array<{
      type?: string;
      call_count: number;
      total_time: number;
      total_cputime: number;
      estimated_time_to_regain_access?: number;
    }>
  >;
  /** The highest of all percentages above, 0 when no header was sent. */
  maxPercent: number;
  /** Longest `estimated_time_to_regain_access` of all entries, in milliseconds; 0 when not throttled. */
  regainAccessInMs: number;
}

/** Error codes that mean "too many calls, slow down" (app, user, Page, action-specific). */
const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([4, 17, 32, 613]);

/** Business use case rate limit codes (80000 ads insights, 80001 pages, … 80014). */
const BUSINESS_USE_CASE_RATE_LIMIT_CODES = { min: 80000, max: 80014 } as const;

/**
 * Subcodes of code 10 that mean the Messenger (or Instagram) window is
 * closed: 2018278 "This message is sent outside of allowed window",
 * 2018065 (the old "page_messaging_subscriptions" variant), 2534022 (the
 * Instagram variant).
 */
const OUTSIDE_WINDOW_SUBCODES: ReadonlySet<number> = new Set([2018278, 2018065, 2534022]);

/** `(#10900) Activity already replied to`: a comment gets at most one private reply. */
const ALREADY_REPLIED_CODE = 10900;

/**
 * `(#10903) This user can't reply to this activity`: a private reply is no
 * longer possible (the comment is older than 7 days, or the person cannot
 * receive messages from the Page).
 */
const PRIVATE_REPLY_UNAVAILABLE_CODE = 10903;

/**
 * `(#368)`: "Temporarily blocked for policies violations" in Meta's Graph
 * API error reference, whose advice is to wait and retry. Facebook sends it
 * when it restricts the Page from an action for a while (often for going too
 * fast: subcode 1390008, "You've been temporarily blocked from using it"); it
 * does not say for how long.
 */
const TEMPORARILY_BLOCKED_CODE = 368;

/** Where a failed call went; never the full URL (it carries the token). */
interface GraphCallContext {
  /** HTTP method: GET or POST. */
  method: string;
  /** The path with ids replaced, e.g. `{id}/comments`; safe as a metric label. */
  endpoint: string;
}

/** Details of a refusal, as the transport extracted them (already scrubbed). */
interface GraphApiErrorDetails extends GraphCallContext {
  httpStatus: number;
  code: number;
  subcode: number | undefined;
  type: string | undefined;
  /** Graph's own message, e.g. `(#613) Calls to this api have exceeded the rate limit.` */
  graphMessage: string;
  fbtraceId: string | undefined;
  isTransientFlag: boolean;
  userTitle: string | undefined;
  userMessage: string | undefined;
  usage: GraphUsage | undefined;
  cause?: Error;
}

function isRateLimitCode(code: number): boolean {
  return RATE_LIMIT_CODES.has(code) || (code >= BUSINESS_USE_CASE_RATE_LIMIT_CODES.min && code <= BUSINESS_USE_CASE_RATE_LIMIT_CODES.max);
}

/** The next step for a refusal, appended to the error message. */
function adviceFor(error: GraphApiError): string {
  if (error.isTokenExpired()) {
    return 'The Page access token is no longer valid: pause this source and ask an admin for a new token (FACEBOOK_PAGE_ACCESS_TOKEN).';
  }
  if (error.isRateLimit()) {
    return 'Facebook is throttling this app or Page: slow down and retry later; nothing was done.';
  }
  if (error.isTemporarilyBlocked()) {
    return 'Facebook has temporarily blocked the Page from this action (policy enforcement): nothing was done; wait before trying again, repeating it now may prolong the block.';
  }
  if (error.isOutsideMessagingWindow()) {
    return "The citizen's messaging window is closed: answer publicly, or wait until they write again.";
  }
  if (error.isAlreadyReplied()) {
    return 'This comment already got its one private reply: answer publicly instead.';
  }
  if (error.isPermission()) {
    return 'The token lacks a permission or Page task needed for this call: check the app permissions and the Page roles.';
  }
  if (error.isTransient()) {
    return 'Facebook had a temporary problem: retry later.';
  }
  return `Repeating the same call will fail again; check the request${error.fbtraceId ? ` (fbtrace_id ${error.fbtraceId})` : ''}.`;
}

/** Facebook answered the call with its error envelope and refused it. */
export class GraphApiError extends Error {
  override readonly name = 'GraphApiError';
  /** HTTP method of the call. */
  readonly method: string;
  /** The path with ids replaced, e.g. `{id}/messages`. */
  readonly endpoint: string;
  /** HTTP status of the answer: usually 400, 403 for permissions, 500 for codes 1 and 2. */
  readonly httpStatus: number;
  /** Graph `code`, e.g. 190, 100, 10, 613. */
  readonly code: number;
  /** Graph `error_subcode`, e.g. 2018278, 463. */
  readonly subcode: number | undefined;
  /** Graph `type`, e.g. `OAuthException`, `GraphMethodException`. */
  readonly type: string | undefined;
  /** Graph's own message (scrubbed). */
  readonly graphMessage: string;
  /** `fbtrace_id`, to quote when asking Facebook about the failure. */
  readonly fbtraceId: string | undefined;
  /** `error_user_title`, a short text Facebook meant for people, when sent. */
  readonly userTitle: string | undefined;
  /** `error_user_msg`, a text Facebook meant for people, when sent. */
  readonly userMessage: string | undefined;
  /** Usage headers of the refusing response, when sent. */
  readonly usage: GraphUsage | undefined;
  readonly #isTransientFlag: boolean;

  constructor(details: GraphApiErrorDetails) {
    super('', details.cause ? { cause: details.cause } : undefined);
    this.method = details.method;
    this.endpoint = details.endpoint;
    this.httpStatus = details.httpStatus;
    this.code = details.code;
    this.subcode = details.subcode;
    this.type = details.type;
    this.graphMessage = details.graphMessage;
    this.fbtraceId = details.fbtraceId;
    this.userTitle = details.userTitle;
    this.userMessage = details.userMessage;
    this.usage = details.usage;
    this.#isTransientFlag = details.isTransientFlag;
    const codes = this.subcode === undefined ? `#${this.code}` : `#${this.code}/${this.subcode}`;
    this.message = `Graph API refused ${this.method} ${this.endpoint} (${codes}, HTTP ${this.httpStatus}): ${this.graphMessage}. ${adviceFor(this)}`;
  }

  /** Too many calls: codes 4, 17, 32, 613 and the business use case codes 80000-80014. */
  isRateLimit(): boolean {
    return isRateLimitCode(this.code);
  }

  /** Code 190: the access token expired, was revoked or never was valid. Pause the source. */
  isTokenExpired(): boolean {
    return this.code === 190;
  }

  /** Code 368: Facebook temporarily blocked the Page from this action (policy enforcement); wait, do not repeat it now. */
  isTemporarilyBlocked(): boolean {
    return this.code === TEMPORARILY_BLOCKED_CODE;
  }

  /** Code 10 or 200-299: a permission or Page task is missing (includes the Messenger window refusals). */
  isPermission(): boolean {
    return this.code === 10 || (this.code >= 200 && this.code <= 299);
  }

  /** Codes 1 and 2, or Facebook flagged the error `is_transient`: the same call may work later. */
  isTransient(): boolean {
    return this.code === 1 || this.code === 2 || this.#isTransientFlag;
  }

  /**
   * The person can no longer be messaged this way: the 24-hour (`RESPONSE`)
   * or 7-day (`HUMAN_AGENT`) Messenger window is closed (code 10 with a
   * window subcode), or a private reply to a comment is no longer possible
   * (10903).
   */
  isOutsideMessagingWindow(): boolean {
    if (this.code === PRIVATE_REPLY_UNAVAILABLE_CODE) return true;
    if (this.code !== 10) return false;
    if (this.subcode !== undefined && OUTSIDE_WINDOW_SUBCODES.has(this.subcode)) return true;
    return /outside of allowed window/i.test(this.graphMessage);
  }

  /** `(#10900) Activity already replied to`: the comment already got its one private reply. */
  isAlreadyReplied(): boolean {
    return this.code === ALREADY_REPLIED_CODE;
  }

  /**
   * How long Facebook says to wait before calling again, in milliseconds,
   * from `x-business-use-case-usage`; undefined when it did not say.
   */
  retryAfterMs(): number | undefined {
    const ms = this.usage?.regainAccessInMs ?? 0;
    return ms > 0 ? ms : undefined;
  }
}

/** Details of a transport failure, as the transport extracted them (already scrubbed). */
interface GraphHttpErrorDetails extends GraphCallContext {
  /** What went wrong, e.g. `connect ECONNREFUSED 127.0.0.1:443` or `HTTP 502 without a Graph error body`. */
  detail: string;
  /** HTTP status when a response arrived without the Graph envelope. */
  httpStatus?: number;
  /** Node/axios error code, e.g. `ECONNREFUSED`, `ECONNRESET`, `ERR_BAD_RESPONSE`. */
  transportCode?: string;
  /** True when the transport's own deadline expired. */
  timedOut?: boolean;
  /** Milliseconds the transport waited before giving up (with `timedOut`). */
  timeoutMs?: number;
  /** `x-fb-trace-id` of the response, when one arrived. */
  fbtraceId?: string;
  cause?: Error;
}

/**
 * No Graph answer arrived: timeout, network failure, or an HTTP response
 * without the Graph error envelope. Whether the call took effect is unknown.
 */
export class GraphHttpError extends Error {
  override readonly name = 'GraphHttpError';
  /** HTTP method of the call. */
  readonly method: string;
  /** The path with ids replaced, e.g. `{id}/feed`. */
  readonly endpoint: string;
  /** HTTP status of a response without the Graph envelope; undefined when none arrived. */
  readonly httpStatus: number | undefined;
  /** Node/axios error code such as `ECONNREFUSED`; undefined when not known. */
  readonly transportCode: string | undefined;
  /** True when the transport's deadline expired before an answer arrived. */
  readonly timedOut: boolean;
  /** `x-fb-trace-id` of the response, when one arrived. */
  readonly fbtraceId: string | undefined;

  constructor(details: GraphHttpErrorDetails) {
    const what = details.timedOut
      ? `no answer within ${details.timeoutMs ?? '?'} ms`
      : details.detail;
    super(
      `Graph API ${details.method} ${details.endpoint} failed: ${what}. Check the network path to the Graph API (GRAPH_API_URL) and retry; the call may or may not have taken effect.`,
      details.cause ? { cause: details.cause } : undefined,
    );
    this.method = details.method;
    this.endpoint = details.endpoint;
    this.httpStatus = details.httpStatus;
    this.transportCode = details.transportCode;
    this.timedOut = details.timedOut ?? false;
    this.fbtraceId = details.fbtraceId;
  }

  /**
   * Timeouts, network failures, 5xx and 429 may succeed later; another 4xx
   * without a Graph body (a proxy refusing us) will not.
   */
  isTransient(): boolean {
    if (this.timedOut || this.httpStatus === undefined) return true;
    return this.httpStatus >= 500 || this.httpStatus === 429;
  }
}
