/**
 * Instagram webhook payloads as Meta sends them to the Page's endpoint
 * (`object: "instagram"`, `entry[].id` = the professional account id,
 * `entry[].time` in seconds): `changes[]` with the `comments` and `mentions`
 * fields (Meta's Instagram webhook reference: a comment's `value` has `id`,
 * `text`, `from { id, username }`, `media { id, media_product_type }`,
 * `parent_id` on replies; a mention's `comment_id` and `media_id`), and
 * `messaging[]` for direct messages (Messenger Platform for Instagram:
 * `sender.id` = the person's IGSID, `recipient.id` = the account,
 * `timestamp` in ms, `message { mid, text, is_echo? }`).
 * Used by the tests and by `ardzagank demo`.
 */

/** Instagram professional account ids start with 1784… (Graph's IG User ids). */
export const IG_ACCOUNT_ID = '17841400000000001';

function envelope(accountId: string, at: Date, body: Record<string, unknown>) {
  return { object: 'instagram', entry: [{ id: accountId, time: Math.floor(at.getTime() / 1000), ...body }] };
}

export function igCommentPayload(o: {
  commentId: string;
  mediaId: string;
  text: string;
  from: { id: string; username: string };
  at: Date;
  parentId?: string;
  mediaProductType?: 'FEED' | 'REELS' | 'AD' | 'STORY';
  accountId?: string;
}) {
  const value: Record<string, unknown> = {
    from: { id: o.from.id, username: o.from.username },
    media: { id: o.mediaId, media_product_type: o.mediaProductType ?? 'FEED' },
    id: o.commentId,
    text: o.text,
  };
  if (o.parentId) value.parent_id = o.parentId;
  return envelope(o.accountId ?? IG_ACCOUNT_ID, o.at, { changes: [{ field: 'comments', value }] });
}

export function igMentionPayload(o: { mediaId: string; commentId?: string; at: Date; accountId?: string }) {
  return envelope(o.accountId ?? IG_ACCOUNT_ID, o.at, {
    changes: [{ field: 'mentions', value: { media_id: o.mediaId, ...(o.commentId ? { comment_id: o.commentId } : {}) } }],
  });
}

/** A direct message from a person (IGSID) to the account, or with `echo` the account's own message to them. */
export function igMessagePayload(o: { mid: string; igsid: string; text: string; at: Date; echo?: boolean; appId?: string; accountId?: string }) {
  const accountId = o.accountId ?? IG_ACCOUNT_ID;
  const message: Record<string, unknown> = { mid: o.mid, text: o.text };
  if (o.echo) message.is_echo = true;
  if (o.appId) message.app_id = o.appId;
  return envelope(accountId, o.at, {
    messaging: [
      {
        sender: { id: o.echo ? accountId : o.igsid },
        recipient: { id: o.echo ? o.igsid : accountId },
        timestamp: o.at.getTime(),
        message,
      },
    ],
  });
}
