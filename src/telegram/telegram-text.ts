/**
 * Text rules of the Telegram Bot API, for everything that writes messages:
 * HTML escaping (we always send `parse_mode: HTML`), the 4096-character
 * limit, and the 64-byte limit of inline-button callback data.
 *
 * Lengths are counted like JavaScript strings (UTF-16 code units) over the
 * text Telegram shows, i.e. after tags are removed and entities decoded.
 * Telegram's own count is never larger, so text that fits here fits there.
 */

/** Longest message text Telegram accepts, after entity parsing. */
export const TELEGRAM_MESSAGE_MAX = 4096;
/** Longest photo/document caption Telegram accepts, after entity parsing. */
export const TELEGRAM_CAPTION_MAX = 1024;
/** Longest `callback_data` of an inline button, in UTF-8 bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;
/** Separates the action from its arguments in callback data built by {@link callbackData}. */
export const CALLBACK_DATA_SEPARATOR = ':';

/**
 * Escapes text for Telegram's HTML parse mode: `&`, `<`, `>` and `"` become
 * the four named entities Telegram understands. Every text that comes from
 * outside (citizens, staff, page names) must pass through this before it is
 * put into a message.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '&quot;'));
}

type HtmlToken =
  | { kind: 'text'; raw: string }
  | { kind: 'entity'; raw: string; visibleLength: number; decoded: string }
  | { kind: 'open'; raw: string; name: string }
  | { kind: 'close'; raw: string; name: string };

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * Reads one entity at `html[start] === '&'` the way Telegram does: the four
 * named ones and numeric ones, the closing `;` optional. Anything else is a
 * literal `&`.
 */
function readEntity(html: string, start: number): { end: number; decoded: string } | undefined {
  let pos = start + 1;
  let decoded: string | undefined;
  if (html[pos] === '#') {
    pos++;
    const hex = html[pos] === 'x' || html[pos] === 'X';
    if (hex) pos++;
    const digitsStart = pos;
    while (pos < html.length && (hex ? /[0-9a-fA-F]/ : /[0-9]/).test(html[pos]!)) pos++;
    if (pos === digitsStart || pos - digitsStart > 8) return undefined;
    const code = Number.parseInt(html.slice(digitsStart, pos), hex ? 16 : 10);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    decoded = String.fromCodePoint(code);
  } else {
    const nameStart = pos;
    while (pos < html.length && /[A-Za-z]/.test(html[pos]!)) pos++;
    decoded = NAMED_ENTITIES[html.slice(nameStart, pos)];
    if (decoded === undefined) return undefined;
  }
  if (html[pos] === ';') pos++;
  return { end: pos, decoded };
}

/** Reads a tag at `html[start] === '<'`; returns undefined when it is not tag syntax. */
function readTag(html: string, start: number): { end: number; name: string; closing: boolean } | undefined {
  let pos = start + 1;
  const closing = html[pos] === '/';
  if (closing) pos++;
  const nameStart = pos;
  if (!/[A-Za-z]/.test(html[pos] ?? '')) return undefined;
  while (pos < html.length && /[A-Za-z0-9-]/.test(html[pos]!)) pos++;
  const name = html.slice(nameStart, pos).toLowerCase();
  let quote: string | undefined;
  for (; pos < html.length; pos++) {
    const ch = html[pos]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '>') {
      return { end: pos + 1, name, closing };
    } else if (ch === '<') {
      return undefined;
    }
  }
  return undefined;
}

function tokenize(html: string): HtmlToken[] {
  const tokens: HtmlToken[] = [];
  let textStart = 0;
  let pos = 0;
  const flushText = (until: number): void => {
    if (until > textStart) tokens.push({ kind: 'text', raw: html.slice(textStart, until) });
  };
  while (pos < html.length) {
    const ch = html[pos];
    if (ch === '&') {
      const entity = readEntity(html, pos);
      if (entity) {
        flushText(pos);
        tokens.push({ kind: 'entity', raw: html.slice(pos, entity.end), visibleLength: entity.decoded.length, decoded: entity.decoded });
        pos = textStart = entity.end;
        continue;
      }
    } else if (ch === '<') {
      const tag = readTag(html, pos);
      if (tag) {
        flushText(pos);
        const raw = html.slice(pos, tag.end);
        tokens.push(tag.closing ? { kind: 'close', raw, name: tag.name } : { kind: 'open', raw, name: tag.name });
        pos = textStart = tag.end;
        continue;
      }
    }
    pos++;
  }
  flushText(pos);
  return tokens;
}

/**
 * Length of what Telegram would show for `html` (tags removed, entities
 * decoded), in UTF-16 code units, the unit of {@link TELEGRAM_MESSAGE_MAX}.
 */
export function telegramTextLength(html: string): number {
  let length = 0;
  for (const token of tokenize(html)) {
    if (token.kind === 'text') length += token.raw.length;
    else if (token.kind === 'entity') length += token.visibleLength;
  }
  return length;
}

/** Options of {@link truncateForTelegram}. */
export interface TruncateOptions {
  /** Plain text appended where the text was cut (escaped here); counts toward `max`. Default `…`. */
  ellipsis?: string;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Shortens Telegram HTML so that its visible text is at most `max` UTF-16
 * code units (default {@link TELEGRAM_MESSAGE_MAX}, use
 * {@link TELEGRAM_CAPTION_MAX} for captions). Text that fits is returned
 * unchanged. Otherwise the text is cut on a grapheme boundary (an emoji, a
 * flag or a letter with its accents stays whole), never inside an entity or
 * a tag, the ellipsis is appended and every tag still open is closed, so the
 * result is still valid for `parse_mode: HTML`.
 */
export function truncateForTelegram(html: string, max: number = TELEGRAM_MESSAGE_MAX, options: TruncateOptions = {}): string {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
  const tokens = tokenize(html);
  let total = 0;
  for (const token of tokens) total += token.kind === 'text' ? token.raw.length : token.kind === 'entity' ? token.visibleLength : 0;
  if (total <= max) return html;

  let ellipsis = options.ellipsis ?? '…';
  if (ellipsis.length > max) ellipsis = '';
  const budget = max - ellipsis.length;
  const open: string[] = [];
  let out = '';
  let used = 0;
  cut: for (const token of tokens) {
    switch (token.kind) {
      case 'open':
        open.push(token.name);
        out += token.raw;
        break;
      case 'close': {
        const index = open.lastIndexOf(token.name);
        if (index >= 0) open.splice(index, 1);
        out += token.raw;
        break;
      }
      case 'entity':
        if (used + token.visibleLength > budget) break cut;
        used += token.visibleLength;
        out += token.raw;
        break;
      case 'text':
        for (const { segment } of graphemes.segment(token.raw)) {
          if (used + segment.length > budget) break cut;
          used += segment.length;
          out += segment;
        }
        break;
    }
  }
  out += escapeHtml(ellipsis);
  for (let i = open.length - 1; i >= 0; i--) out += `</${open[i]}>`;
  return out;
}

/** Thrown when callback data would break Telegram's rules or cannot be read back. */
export class CallbackDataError extends RangeError {
  override readonly name = 'CallbackDataError';
}

const ACTION_RE = /^[A-Za-z][A-Za-z0-9_.-]*$/;

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Builds inline-button callback data `action:arg1:arg2…`. Throws
 * {@link CallbackDataError} when an argument contains the separator or the
 * result is longer than {@link CALLBACK_DATA_MAX_BYTES} UTF-8 bytes (an
 * Armenian letter takes 2 bytes, an emoji 4), which Telegram would refuse
 * with `BUTTON_DATA_INVALID` and lose the whole message.
 */
export function callbackData(action: string, ...args: ReadonlyArray<string | number>): string {
  if (!ACTION_RE.test(action)) {
    throw new CallbackDataError(`Callback action "${action}" must start with a letter and use only letters, digits, _ . -`);
  }
  const parts = [action];
  for (const arg of args) {
    const text = String(arg);
    if (text.includes(CALLBACK_DATA_SEPARATOR)) {
      throw new CallbackDataError(`Callback argument "${text}" of "${action}" must not contain "${CALLBACK_DATA_SEPARATOR}"`);
    }
    parts.push(text);
  }
  const data = parts.join(CALLBACK_DATA_SEPARATOR);
  const bytes = utf8Bytes(data);
  if (bytes > CALLBACK_DATA_MAX_BYTES) {
    throw new CallbackDataError(
      `Callback data for "${action}" is ${bytes} bytes; Telegram allows ${CALLBACK_DATA_MAX_BYTES}. Pass a short id instead of text.`,
    );
  }
  return data;
}

/** Callback data split back into its action and arguments. */
export interface ParsedCallbackData {
  action: string;
  args: string[];
}

/**
 * Reads data built by {@link callbackData}. Returns undefined for data that
 * is not ours (an empty string, over 64 bytes, or an action of the wrong
 * shape), so a stale or forged button is ignored rather than crashing.
 */
export function parseCallbackData(data: string | undefined): ParsedCallbackData | undefined {
  if (!data || utf8Bytes(data) > CALLBACK_DATA_MAX_BYTES) return undefined;
  const [action, ...args] = data.split(CALLBACK_DATA_SEPARATOR);
  if (action === undefined || !ACTION_RE.test(action)) return undefined;
  return { action, args };
}

/** One kind of button: builds its callback data and recognises it in a callback query. */
export interface CallbackCodec<Field extends string> {
  /** The action name, the first part of the data. */
  readonly action: string;
  /** Data for a button; throws {@link CallbackDataError} when it would not fit. */
  build(values: Readonly<Record<Field, string | number>>): string;
  /** The values, when `data` was built by this codec; otherwise undefined. */
  match(data: string | undefined): Record<Field, string> | undefined;
}

/**
 * Declares a button kind once so features build and read its data the same
 * way: `const claim = defineCallback('claim', ['inquiryId'])`, then
 * `claim.build({ inquiryId })` and `claim.match(query.data)?.inquiryId`.
 */
export function defineCallback<const Fields extends readonly string[]>(action: string, fields: Fields): CallbackCodec<Fields[number]> {
  callbackData(action); // validates the action name once, at definition time
  type Field = Fields[number];
  return {
    action,
    build(values) {
      return callbackData(action, ...fields.map((field: Field) => values[field]));
    },
    match(data) {
      const parsed = parseCallbackData(data);
      if (!parsed || parsed.action !== action || parsed.args.length !== fields.length) return undefined;
      const out = {} as Record<Field, string>;
      fields.forEach((field: Field, i) => {
        out[field] = parsed.args[i]!;
      });
      return out;
    },
  };
}
