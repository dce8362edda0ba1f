/**
 * Paces messages into groups: Telegram allows about 20 messages a minute in
 * one group (`TELEGRAM_GROUP_MESSAGES_PER_MINUTE`). Messages and edits into a
 * group are spaced evenly (60 s / limit apart), so no rolling minute ever
 * holds more than the limit. The next free moment of each group is kept in
 * Redis (one key per group, Redis's own clock), so every worker and every
 * instance shares it. Private chats are not paced here.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
if now >= nextAt then
  redis.call('SET', KEYS[1], now + interval, 'PX', interval + 60000)
  return 0
end
return nextAt - now
`;

export interface GroupPacer {
  /**
   * Takes the group's next slot if it is free now and returns 0; otherwise
   * returns how many milliseconds until it is (nothing is taken). Private
   * chats (positive ids) always get 0.
   */
  reserve(chatId: number): Promise<number>;
  /** Waits for the group's next slot and takes it (for replies to a person's action). */
  take(chatId: number): Promise<void>;
}

export function createGroupPacer(options: { redis: Redis; prefix: string; perMinute: number }): GroupPacer {
  const interval = Math.max(1, Math.floor(60_000 / options.perMinute));
  const reserve = async (chatId: number): Promise<number> => {
    if (chatId > 0) return 0;
    const wait = await options.redis.eval(RESERVE, 1, `${options.prefix}:telegram-pace:${chatId}`, interval);
    return Number(wait);
  };
  return {
    reserve,
    async take(chatId) {
      for (;;) {
        const wait = await reserve(chatId);
        if (wait <= 0) return;
        await sleep(wait);
      }
    },
  };
}
