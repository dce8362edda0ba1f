/**
 * The discussion-group parser on Bot API updates as Telegram writes them
 * (core.telegram.org/bots/api, Message): who is a citizen and who is the city.
 */
import { describe, expect, it } from 'vitest';
import { parseChannelUpdate, TELEGRAM_SERVICE_SENDER_IDS } from '../../src/connectors/telegram-channel/channel-update-parser.js';
import { PayloadError } from '../../src/connectors/payload-error.js';

const CHANNEL = { id: -1001800000001, title: 'Քաղաքապետարան', username: 'city_test', type: 'channel' };
const GROUP = { id: -1001800000002, title: 'Քննարկում', type: 'supergroup' };
const forward = { message_id: 10, from: { id: 777000, is_bot: false, first_name: 'Telegram' }, sender_chat: CHANNEL, chat: GROUP, date: 1_764_230_400, is_automatic_forward: true, forward_origin: { type: 'channel', chat: CHANNEL, message_id: 55, date: 1_764_230_400 }, text: 'Post' };
const envelope = (message: Record<string, unknown>, extra: Record<string, unknown> = {}, edited = false) => ({ update: { update_id: 1, [edited ? 'edited_message' : 'message']: message }, channelId: CHANNEL.id, ...extra });
const comment = (over: Record<string, unknown>) => ({ message_id: 11, chat: GROUP, date: 1_764_230_460, message_thread_id: 10, reply_to_message: forward, ...over });

describe('parseChannelUpdate', () => {
  it('reads the automatic forward as the city\'s post and a citizen\'s comment as an inquiry with its t.me link', () => {
    expect(parseChannelUpdate(envelope(forward))).toEqual([{ type: 'page_post', platform: 'telegram', accountId: String(GROUP.id), externalId: `${GROUP.id}:10`, postedAt: new Date(1_764_230_400_000) }]);
    const [item] = parseChannelUpdate(envelope(comment({ from: { id: 42, is_bot: false, first_name: 'Աննա', last_name: 'Մ.' }, text: 'Հարց' })));
    expect(item).toMatchObject({ type: 'citizen_item', kind: 'comment', externalId: `${GROUP.id}:11`, threadId: `${GROUP.id}:10`, parentId: null, authorId: '42', authorName: 'Աննա Մ.', text: 'Հարց', permalink: 'https://t.me/city_test/55?comment=11' });
  });

  it('takes the channel, an anonymous admin and a listed admin as the city; Telegram\'s service senders and other bots are never citizens', () => {
    const reply = { reply_to_message: { ...comment({ from: { id: 42, is_bot: false, first_name: 'Աննա' }, text: 'Հարց' }) } };
    expect(parseChannelUpdate(envelope(comment({ message_id: 12, from: { id: 136817688, is_bot: true, first_name: 'Channel' }, sender_chat: CHANNEL, text: 'Պատասխան', ...reply })))[0]).toMatchObject({ type: 'page_answer', inReplyToExternalId: `${GROUP.id}:11` });
    expect(parseChannelUpdate(envelope(comment({ message_id: 13, from: { id: 1087968824, is_bot: true, first_name: 'Group' }, sender_chat: GROUP, text: 'Պատասխան' })))[0]).toMatchObject({ type: 'page_answer', inReplyToExternalId: null });
    expect(parseChannelUpdate(envelope(comment({ message_id: 14, from: { id: 5100, is_bot: false, first_name: 'Սոնա' }, text: 'Մանրամասներ' }), { senderIsAdmin: true }))[0]).toMatchObject({ type: 'page_answer' });
    expect([...TELEGRAM_SERVICE_SENDER_IDS].sort()).toEqual([136817688, 1087968824, 777000].sort());
    for (const id of TELEGRAM_SERVICE_SENDER_IDS) {
      expect(parseChannelUpdate(envelope(comment({ message_id: 15, from: { id, is_bot: id !== 777000, first_name: 'x' }, text: 'x' })))[0]).toMatchObject({ type: 'ignored_item', kind: 'service_sender' });
    }
    expect(parseChannelUpdate(envelope(comment({ message_id: 16, from: { id: 900, is_bot: true, first_name: 'Other bot' }, text: 'x' })))[0]).toMatchObject({ type: 'ignored_item', kind: 'bot_message' });
    // A citizen writing as a channel of their own is that channel, not the city.
    const ownChannel = { id: -1001999, title: 'Իմ ալիքը', type: 'channel' };
    expect(parseChannelUpdate(envelope(comment({ message_id: 17, from: { id: 136817688, is_bot: true, first_name: 'Channel' }, sender_chat: ownChannel, text: 'Հարց' })))[0]).toMatchObject({ type: 'citizen_item', authorId: 'chat:-1001999', authorName: 'Իմ ալիքը' });
  });

  it('reads edits, media and stickers, and leaves out what is not a comment', () => {
    const edited = parseChannelUpdate(envelope({ ...comment({ from: { id: 42, is_bot: false, first_name: 'Աննա' }, text: 'Նոր տեքստ' }), edit_date: 1_764_230_999 }, {}, true));
    expect(edited).toEqual([{ type: 'citizen_item_edited', platform: 'telegram', accountId: String(GROUP.id), externalId: `${GROUP.id}:11`, text: 'Նոր տեքստ', editedAt: new Date(1_764_230_999_000) }]);
    expect(parseChannelUpdate(envelope(comment({ from: { id: 42, is_bot: false, first_name: 'Ա' }, photo: [{ file_id: 'a', file_unique_id: 'b', width: 90, height: 90 }], caption: 'Տեսեք' })))[0]).toMatchObject({ text: 'Տեսեք [photo]', attachments: [{ kind: 'photo', url: null }] });
    expect(parseChannelUpdate(envelope(comment({ from: { id: 42, is_bot: false, first_name: 'Ա' }, voice: { file_id: 'v', file_unique_id: 'w', duration: 3 } })))[0]).toMatchObject({ text: '[audio]' });
    expect(parseChannelUpdate(envelope(comment({ from: { id: 42, is_bot: false, first_name: 'Ա' }, sticker: { file_id: 's', file_unique_id: 't', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '🙏' } })))[0]).toMatchObject({ text: '🙏 [sticker]' });
    const { message_thread_id: _t, ...outside } = comment({ from: { id: 42, is_bot: false, first_name: 'Ա' }, text: 'բարև' });
    expect(parseChannelUpdate(envelope(outside))[0]).toMatchObject({ type: 'ignored_item', kind: 'group_message' });
    expect(() => parseChannelUpdate({ update_id: 1, message: {} })).toThrow(PayloadError);
  });

  it('reads a person\'s reactions to a message as whether they react to it now; the city\'s own, or a reaction it cannot read, are left out', () => {
    const reaction = (new_reaction: unknown, over: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
      update: { update_id: 7, message_reaction: { chat: GROUP, message_id: 11, user: { id: 42, is_bot: false, first_name: 'Աննա' }, date: 1_764_230_500, old_reaction: [], new_reaction, ...over } },
      channelId: CHANNEL.id,
      ...extra,
    });
    const like = { type: 'emoji', emoji: '👍' };
    const base = { type: 'reaction_set', platform: 'telegram', accountId: String(GROUP.id), externalId: `${GROUP.id}:11`, order: 7, at: new Date(1_764_230_500_000) };
    expect(parseChannelUpdate(reaction([like]))).toEqual([{ ...base, actor: '42', reacted: true }]);
    expect(parseChannelUpdate(reaction([like, { type: 'custom_emoji', custom_emoji_id: '5368324170671202286' }], { old_reaction: [like] }))).toEqual([{ ...base, actor: '42', reacted: true }]);
    expect(parseChannelUpdate(reaction([], { old_reaction: [{ type: 'paid' }] }))).toEqual([{ ...base, actor: '42', reacted: false }]);
    // Anonymous, on behalf of a chat of the citizen's own (`actor_chat`): that chat is one person.
    const { user: _u, ...anonymous } = reaction([like]).update.message_reaction;
    const asChat = (chat: unknown) => parseChannelUpdate({ update: { update_id: 7, message_reaction: { ...anonymous, actor_chat: chat } }, channelId: CHANNEL.id });
    expect(asChat({ id: -1001999, title: 'Իմ ալիքը', type: 'channel' })).toEqual([{ ...base, actor: 'chat:-1001999', reacted: true }]);
    // The city: as the channel, as the group (an anonymous admin), or an admin of the group.
    expect(asChat(CHANNEL)[0]).toMatchObject({ type: 'ignored_item', kind: 'city_reaction' });
    expect(asChat(GROUP)[0]).toMatchObject({ type: 'ignored_item', kind: 'city_reaction' });
    expect(parseChannelUpdate(reaction([like], {}, { senderIsAdmin: true }))[0]).toMatchObject({ type: 'ignored_item', kind: 'city_reaction' });
    expect(parseChannelUpdate(reaction(undefined))[0]).toMatchObject({ type: 'ignored_item', reason: 'not_understood', kind: 'message_reaction' });
    expect(parseChannelUpdate(reaction([like], { message_id: '11' }))[0]).toMatchObject({ type: 'ignored_item', reason: 'not_understood' });
  });
});
