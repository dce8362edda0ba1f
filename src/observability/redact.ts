/**
 * Scrubbing of secrets from text that leaves the process: logs, stored
 * errors, events, Telegram cards. The Graph SDK and telegraf put tokens in
 * URLs and error objects, so scrubbing works on the final text, by value and
 * by shape, rather than trusting every caller to remember.
 */

const SHAPES: Array<[RegExp, string]> = [
  // access_token=..., appsecret_proof=..., client_secret=... in URLs and bodies
  [/((?:access_token|appsecret_proof|client_secret|input_token|fb_exchange_token)["']?\s*[=:]\s*["']?)[^&"'\s,}]+/gi, '$1[REDACTED]'],
  // Telegram bot tokens inside Bot API paths: /bot123456:ABC.../method
  [/\/bot\d+:[A-Za-z0-9_-]{20,}/g, '/bot[REDACTED]'],
  // bare bot tokens
  [/\b\d{6,}:[A-Za-z0-9_-]{30,}\b/g, '[REDACTED]'],
  // Authorization headers
  [/(authorization["']?\s*[=:]\s*["']?(?:bearer|oauth)\s+)[^"'\s,}]+/gi, '$1[REDACTED]'],
  // passwords in connection URLs
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]+@/gi, '$1[REDACTED]@'],
];

/** Returns `text` with every known secret value and token-shaped string replaced. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join('[REDACTED]');
  }
  for (const [re, replacement] of SHAPES) out = out.replace(re, replacement);
  return out;
}

/** An error's message (and cause chain) as one scrubbed line, for storing in the database. */
export function describeError(error: unknown, secrets: readonly string[] = []): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    if (current instanceof Error) {
      parts.push(`${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return scrubSecrets(parts.join(' <- '), secrets).slice(0, 2000);
}
