/**
 * Facebook Page webhook payloads as Facebook sends them (`object: "page"`,
 * `entry[].changes[]` for the feed, `entry[].messaging[]` for Messenger).
 * Used by the tests and by `ardzagank demo`, so it is built with the fakes.
 */

export const PAGE_ID = '104857600000001';

export interface CommentOptions {
  commentId: string;
  postId?: string;
  parentId?: string;
  from?: { id: string; name: string } | null;
  message: string;
  createdTime: Date;
  verb?: 'add' | 'edited' | 'remove';
  pageId?: string;
}

/** A delivery of one change to the Page's feed, in Facebook's envelope. */
function feedChange(pageId: string, seconds: number, value: Record<string, unknown>) {
  return { object: 'page', entry: [{ id: pageId, time: seconds, changes: [{ field: 'feed', value }] }] };
}

export function feedCommentPayload(o: CommentOptions) {
  const pageId = o.pageId ?? PAGE_ID;
  const postId = o.postId ?? `${pageId}_900000000000001`;
  const seconds = Math.floor(o.createdTime.getTime() / 1000);
  return feedChange(pageId, seconds, {
    ...(o.from === null ? {} : { from: o.from ?? { id: '7000000000000001', name: 'Անի Պետրոսյան' } }),
    post: { status_type: 'mobile_status_update', is_published: true, updated_time: o.createdTime.toISOString(), permalink_url: `https://www.facebook.com/${postId}`, id: postId },
    message: o.message,
    post_id: postId,
    comment_id: o.commentId,
    created_time: seconds,
    item: 'comment',
    parent_id: o.parentId ?? postId,
    verb: o.verb ?? 'add',
  });
}

export function messengerPayload(o: { mid: string; senderId: string; text: string; at: Date; echo?: boolean; pageId?: string }) {
  const pageId = o.pageId ?? PAGE_ID;
  const fromPage = o.echo === true;
  return {
    object: 'page',
    entry: [
      {
        id: pageId,
        time: o.at.getTime(),
        messaging: [
          {
            sender: { id: fromPage ? pageId : o.senderId },
            recipient: { id: fromPage ? o.senderId : pageId },
            timestamp: o.at.getTime(),
            message: { mid: o.mid, text: o.text, ...(fromPage ? { is_echo: true, app_id: 1517 } : {}) },
          },
        ],
      },
    ],
  };
}

/** The Page publishing a post of its own (`item: "status"`, from the Page). */
export function pagePostPayload(o: { postId: string; pageId?: string; pageName?: string; createdTime: Date }) {
  const pageId = o.pageId ?? PAGE_ID;
  const seconds = Math.floor(o.createdTime.getTime() / 1000);
  return feedChange(pageId, seconds, {
    from: { id: pageId, name: o.pageName ?? 'Page' },
    post: { id: o.postId, status_type: 'mobile_status_update', is_published: true, permalink_url: `https://www.facebook.com/${o.postId}` },
    post_id: o.postId,
    created_time: seconds,
    item: 'status',
    verb: 'add',
  });
}
