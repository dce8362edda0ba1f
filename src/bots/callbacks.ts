/**
 * Every inline button of the bot: its callback data (short ids only, so it
 * always fits Telegram's 64 bytes) and how a press is recognised. Data is
 * never trusted: each press is checked against the database and the
 * presser's role before anything happens.
 */
import { defineCallback } from '../telegram/telegram-text.js';

export const cb = {
  claim: defineCallback('c', ['id']),
  release: defineCallback('rl', ['id']),
  answer: defineCallback('an', ['id']),
  dismissMenu: defineCallback('dm', ['id']),
  dismiss: defineCallback('ds', ['id', 'reason']),
  sectorMenu: defineCallback('sm', ['id']),
  sector: defineCallback('ss', ['id', 'code']),
  reassignMenu: defineCallback('ra', ['id']),
  reassign: defineCallback('rt', ['id', 'staff']),
  back: defineCallback('bk', ['id']),
  publish: defineCallback('pb', ['draft', 'visibility']),
  cancelDraft: defineCallback('cx', ['draft']),
  answerKind: defineCallback('ak', ['draft', 'kind']),
  approve: defineCallback('ap', ['draft']),
  sendBack: defineCallback('sb', ['draft']),
  retry: defineCallback('ry', ['reply']),
  grantAccess: defineCallback('ga', ['user', 'role']),
  rejectAccess: defineCallback('rj', ['user']),
  language: defineCallback('lg', ['code']),
  makeCard: defineCallback('mc', ['id']),
  dismissAll: defineCallback('da', ['notice']),
  counterLog: defineCallback('kl', ['counter', 'day']),
  counterCancel: defineCallback('kc', ['entry']),
  counterNote: defineCallback('kn', ['entry']),
  counterRemark: defineCallback('kr', ['counter', 'year']),
  waveConfirm: defineCallback('wc', ['wave']),
  waveSendLatest: defineCallback('wl', ['wave']),
  waveRumour: defineCallback('wr', ['wave']),
  statementPublish: defineCallback('sp', ['statement', 'kind']),
  statementApprove: defineCallback('sa', ['statement']),
  statementCancel: defineCallback('sx', ['statement']),
  hideComment: defineCallback('hc', ['id']),
} as const;

/** Visibility in callback data: one letter. */
export const VISIBILITY_CODE = { public: 'u', private: 'p' } as const;

export function visibilityFromCode(code: string): 'public' | 'private' | undefined {
  return code === 'u' ? 'public' : code === 'p' ? 'private' : undefined;
}

/** Answer kinds in callback data: one letter. */
export const ANSWER_KIND_CODE = { final: 'f', interim: 'i', correction: 'c' } as const;

export function answerKindFromCode(code: string): 'final' | 'interim' | 'correction' | undefined {
  return code === 'f' ? 'final' : code === 'i' ? 'interim' : code === 'c' ? 'correction' : undefined;
}

/** Dismiss reasons offered on a card, in this order. */
export const CARD_DISMISS_REASONS = ['not_inquiry', 'spam', 'duplicate', 'handled_offline'] as const;

/** A positive whole number from callback data, or undefined for anything forged. */
export function idFrom(value: string | undefined): number | undefined {
  if (value === undefined || !/^[1-9]\d{0,14}$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}
