/**
 * For a server that must be told its port before it starts, because the
 * port is part of a URL in its own configuration (the Telegram webhook
 * address it registers). A port found free with `listen(0)` and closed again
 * may be taken by another program before the server binds it; the start then
 * fails with `EADDRINUSE`, and is tried again on another port.
 */
import { freePort } from '../../bench/support/service-process.js';

/** Whether `error` is a bind refused because the address is taken. */
export function isAddressInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE';
}

/** `start(port)` on a free port, again on another one while the port turns out taken (at most `attempts` times). */
export async function startOnFreePort<T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (error) {
      if (attempt >= attempts || !isAddressInUse(error)) throw error;
    }
  }
}
