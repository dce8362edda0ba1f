/**
 * Waves in Telegram: a staff member replies to a wave's card with the text
 * of a statement; the bot shows it as it will be published and asks whether
 * it is interim or final. Publishing it (or, with `REQUIRE_APPROVAL`, a
 * supervisor approving an agent's) answers every question of the wave; the
 * card shows the progress. The card's buttons confirm the wave, send the
 * latest statement to questions that joined since, and (supervisors) mark it
 * as a rumour. `/wave merge INTO FROM`, `/wave remove INQUIRY`,
 * `/wave split WAVE INQUIRY…` edit waves.
 */
import type { CallbackContext, Feature, MessageContext } from '../bot-context.js';
import { cb, idFrom } from '../callbacks.js';
import { waveMessagesFor, type WaveMessages } from '../i18n/waves.js';
import type { TelegramMessage } from '../../telegram/telegram-client.js';
import { escapeHtml } from '../../telegram/telegram-text.js';
import { findWaveByCardMessage, findWaveCardView, findStatementById } from '../../db/repositories/wave.repository.js';
import type { StatementRow } from '../../db/schema.js';
import { can } from '../../domain/staff.js';
import {
  cancelStatement,
  confirmWave,
  draftStatement,
  markRumour,
  mergeWaves,
  publishStatement,
  removeFromWave,
  sendLatestStatement,
  setStatementPreview,
  splitWave,
  type WaveDeps,
  type WaveRefusal,
} from '../../inbox/waves.workflow.js';

const waveDeps = (ctx: { deps: MessageContext['deps'] }): WaveDeps => ({ db: ctx.deps.db, producers: ctx.deps.producers, config: ctx.deps.config });
const wt = (ctx: MessageContext | CallbackContext): WaveMessages => waveMessagesFor(ctx.isPrivate ? ctx.locale : ctx.deps.config.locale);

function previewKeyboard(t: WaveMessages, statement: StatementRow, awaitingApproval: boolean) {
  if (awaitingApproval) {
    return {
      inline_keyboard: [
        [{ text: t.approve, callback_data: cb.statementApprove.build({ statement: statement.id }) }],
        [{ text: t.cancel, callback_data: cb.statementCancel.build({ statement: statement.id }) }],
      ],
    };
  }
  return {
    inline_keyboard: [
      [{ text: t.publishInterim, callback_data: cb.statementPublish.build({ statement: statement.id, kind: 'i' }) }],
      [{ text: t.publishFinal, callback_data: cb.statementPublish.build({ statement: statement.id, kind: 'f' }) }],
      [{ text: t.cancel, callback_data: cb.statementCancel.build({ statement: statement.id }) }],
    ],
  };
}

async function onReplyToWaveCard(ctx: MessageContext, repliedTo: TelegramMessage): Promise<boolean> {
  const wave = await findWaveByCardMessage(ctx.deps.db, ctx.chatId, repliedTo.message_id);
  if (!wave) return false;
  if (!ctx.staff || !can(ctx.staff, 'handle')) {
    await ctx.deny('statement', 'not allowed', { waveId: wave.id });
    await ctx.reply(ctx.t.notAllowed);
    return true;
  }
  const outcome = await draftStatement(ctx.deps, { waveId: wave.id, staff: ctx.staff, text: ctx.message.text });
  const t = wt(ctx);
  if (!outcome.ok) {
    await ctx.reply(escapeHtml(outcome.reason === 'empty' ? ctx.t.answerEmpty : t.stale));
    return true;
  }
  const view = await findWaveCardView(ctx.deps.db, wave.id);
  const message = await ctx.reply(t.preview(wave.id, view?.count ?? 0, escapeHtml(outcome.statement.text)), { replyMarkup: previewKeyboard(t, outcome.statement, false) });
  await setStatementPreview(ctx.deps.db, outcome.statement.id, ctx.chatId, message.message_id);
  return true;
}

async function explain(ctx: CallbackContext, refusal: WaveRefusal, action: string): Promise<void> {
  const t = wt(ctx);
  switch (refusal.reason) {
    case 'denied':
      await ctx.deny(action, 'not allowed');
      return ctx.answer(ctx.t.toastNotAllowed, true);
    case 'nothing_to_send':
      return ctx.answer(t.nothingToSend);
    case 'no_statement':
      return ctx.answer(t.noStatement, true);
    default:
      return ctx.answer(t.stale);
  }
}

/** The preview of a statement says what became of it (its buttons go, or become the approval's). */
async function settlePreview(ctx: CallbackContext, statementId: number, state: string, keyboard?: ReturnType<typeof previewKeyboard>): Promise<void> {
  const statement = await findStatementById(ctx.deps.db, statementId);
  const msg = ctx.message;
  if (!statement || !msg) return;
  const t = wt(ctx);
  const html = `${t.preview(statement.waveId, (await findWaveCardView(ctx.deps.db, statement.waveId))?.count ?? 0, escapeHtml(statement.text))}\n\n${t.previewState(escapeHtml(state))}`;
  await ctx.deps.client.editMessageText(msg.chatId, msg.messageId, html, { disableLinkPreview: true, ...(keyboard ? { replyMarkup: keyboard } : {}) }).catch(() => undefined);
}

export const waveFeature: Feature = {
  replies: [onReplyToWaveCard],
  commands: {
    wave: {
      access: 'handle',
      async run(ctx) {
        const t = waveMessagesFor(ctx.locale);
        const [verb, ...rest] = ctx.args.split(/\s+/).filter(Boolean);
        const ids = rest.map((x) => idFrom(x.replace(/^#/, '')));
        const deps = waveDeps(ctx);
        if (ids.some((x) => x === undefined) || !verb) return void (await ctx.reply(escapeHtml(t.usage)));
        const nums = ids as number[];
        if (verb === 'merge' && nums.length === 2) {
          const r = await mergeWaves(deps, { into: nums[0]!, from: nums[1]!, staff: ctx.staff!, now: ctx.now });
          return void (await ctx.reply(escapeHtml(r.ok ? t.merged2(nums[0]!, nums[1]!, r.moved) : t.stale)));
        }
        if (verb === 'remove' && nums.length === 1) {
          const r = await removeFromWave(deps, { inquiryId: nums[0]!, staff: ctx.staff!, now: ctx.now });
          return void (await ctx.reply(escapeHtml(r.ok ? t.removed(nums[0]!, r.waveId) : t.stale)));
        }
        if (verb === 'split' && nums.length >= 2) {
          const r = await splitWave(deps, { waveId: nums[0]!, inquiryIds: nums.slice(1), staff: ctx.staff!, now: ctx.now });
          return void (await ctx.reply(escapeHtml(r.ok ? t.split(r.newWaveId) : t.stale)));
        }
        await ctx.reply(escapeHtml(t.usage));
      },
    },
  },
  callbacks: [
    {
      codec: cb.waveConfirm,
      permission: 'handle',
      async run(ctx, values) {
        const waveId = idFrom(values.wave);
        const r = waveId === undefined ? ({ ok: false, reason: 'missing' } as const) : await confirmWave(waveDeps(ctx), { waveId, staff: ctx.staff!, now: ctx.now });
        if (!r.ok) return explain(ctx, r, 'wave_confirm');
        await ctx.answer(wt(ctx).done);
      },
    },
    {
      codec: cb.waveSendLatest,
      permission: 'handle',
      async run(ctx, values) {
        const waveId = idFrom(values.wave);
        const r = waveId === undefined ? ({ ok: false, reason: 'missing' } as const) : await sendLatestStatement(waveDeps(ctx), { waveId, staff: ctx.staff!, now: ctx.now });
        if (!r.ok) return explain(ctx, r, 'wave_send_latest');
        await ctx.answer(wt(ctx).published(r.replies));
      },
    },
    {
      codec: cb.waveRumour,
      permission: 'supervise',
      async run(ctx, values) {
        const waveId = idFrom(values.wave);
        const r = waveId === undefined ? ({ ok: false, reason: 'missing' } as const) : await markRumour(waveDeps(ctx), { waveId, staff: ctx.staff!, now: ctx.now });
        if (!r.ok) return explain(ctx, r, 'wave_rumour');
        await ctx.answer(wt(ctx).done);
      },
    },
    {
      codec: cb.statementPublish,
      permission: 'handle',
      async run(ctx, values) {
        const statementId = idFrom(values.statement);
        const kind = values.kind === 'f' ? 'final' : 'interim';
        const r = statementId === undefined ? ({ ok: false, reason: 'missing' } as const) : await publishStatement(waveDeps(ctx), { statementId, kind, staff: ctx.staff!, now: ctx.now });
        if (!r.ok) return explain(ctx, r, 'statement_publish');
        const t = wt(ctx);
        if (r.status === 'awaiting_approval') {
          const statement = (await findStatementById(ctx.deps.db, statementId!))!;
          await settlePreview(ctx, statementId!, t.submitted, previewKeyboard(t, statement, true));
          return ctx.answer(t.submitted);
        }
        await settlePreview(ctx, statementId!, t.published(r.replies));
        await ctx.answer(t.published(r.replies));
      },
    },
    {
      codec: cb.statementApprove,
      permission: 'supervise',
      async run(ctx, values) {
        const statementId = idFrom(values.statement);
        const statement = statementId === undefined ? undefined : await findStatementById(ctx.deps.db, statementId);
        if (!statement) return explain(ctx, { ok: false, reason: 'missing' }, 'statement_approve');
        const r = await publishStatement(waveDeps(ctx), { statementId: statement.id, kind: statement.kind, staff: ctx.staff!, now: ctx.now, approving: true });
        if (!r.ok) return explain(ctx, r, 'statement_approve');
        const t = wt(ctx);
        const n = r.status === 'published' ? r.replies : 0;
        await settlePreview(ctx, statement.id, `${t.published(n)} · ${escapeHtml(ctx.staff!.name)}`);
        await ctx.answer(t.published(n));
      },
    },
    {
      codec: cb.statementCancel,
      permission: 'handle',
      async run(ctx, values) {
        const statementId = idFrom(values.statement);
        const r = statementId === undefined ? ({ ok: false, reason: 'missing' } as const) : await cancelStatement(ctx.deps, { statementId, staff: ctx.staff! });
        if (!r.ok) return explain(ctx, r, 'statement_cancel');
        const t = wt(ctx);
        await settlePreview(ctx, statementId!, t.statuses.cancelled);
        await ctx.answer(t.done);
      },
    },
  ],
};
