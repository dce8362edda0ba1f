/**
 * Paces messages into groups: Telegram allows about 20 messages a minute in
 * one group (`TELEGRAM_GROUP_MESSAGES_PER_MINUTE`). Messages and edits into a
 * group are spaced evenly (60 s / limit apart), so no rolling minute ever
 * holds more than the limit. The next free moment of each group is kept in
 * PostgreSQL (`telegram_group_pace`, one row per group, the database's
 * clock), so every worker and every instance shares it whichever transport
 * carries the queues. Private chats are not paced here.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/create-db.js';
import { reserveGroupSlot } from '../db/repositories/group-pace.repository.js';

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

export function createGroupPacer(options: { db: Db; perMinute: number }): GroupPacer {
  const interval = Math.max(1, Math.floor(60_000 / options.perMinute));
  const reserve = async (chatId: number): Promise<number> => {
    if (chatId > 0) return 0;
    return reserveGroupSlot(options.db, chatId, interval);
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
