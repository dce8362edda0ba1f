/**
 * Facebook Page webhook payloads as Facebook sends them (`object: "page"`,
 * `entry[].changes[]` for the feed, `entry[].messaging[]` for Messenger).
 * Used by the tests and by `ardzagank demo`, so it is built with the fakes.
 */

export const PAGE_ID = '104857600000001';

/**
 * The app id Messenger echoes carry for a message a person typed in the
 * Page's own inbox (Meta Business Suite, the Page inbox): the Page Inbox
 * app, which Meta's handover and conversation routing documentation names
 * as the inbox's app. Messages sent through any other app carry that app's id.
 */
export const PAGE_INBOX_APP_ID = '263902037430900';

export interface CommentOptions {
  commentId: string;
  postId?: string;
  parentId?: string;
  from?: { id: string; name: string } | null;
  message: string;
  createdTime: Date;
  verb?: 'add' | 'edited' | 'remove';
  pageId?: string;
  /** The picture of a comment with a photo (Facebook puts its link in `photo`). */
  photo?: string;
  /** The video of a comment with a video (`video`). */
  video?: string;
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
    ...(o.photo === undefined ? {} : { photo: o.photo }),
    ...(o.video === undefined ? {} : { video: o.video }),
    post_id: postId,
    comment_id: o.commentId,
    created_time: seconds,
    item: 'comment',
    parent_id: o.parentId ?? postId,
    verb: o.verb ?? 'add',
  });
}

/** A Messenger attachment as the `messages` and `message_echoes` webhooks carry it. */
export interface MessengerAttachment {
  type: 'image' | 'video' | 'audio' | 'file' | 'location' | 'fallback' | 'template' | 'sticker';
  payload: { url?: string; sticker_id?: number; [key: string]: unknown };
}

export function messengerPayload(o: {
  mid: string;
  senderId: string;
  text: string;
  at: Date;
  /** The Page's own message (`message_echoes`). */
  echo?: boolean;
  /** The echo's `app_id`: the Page Inbox app by default (a person typing in the Page inbox); null: none. */
  appId?: string | number | null;
  /** The echo's `metadata` (what the sending app passed to the Send API). */
  metadata?: string;
  attachments?: MessengerAttachment[];
  pageId?: string;
  /** The payload of the quick reply the person tapped (`message.quick_reply.payload`). */
  quickReplyPayload?: string;
}) {
  const pageId = o.pageId ?? PAGE_ID;
  const fromPage = o.echo === true;
  const appId = o.appId === undefined ? Number(PAGE_INBOX_APP_ID) : o.appId;
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
            message: {
              ...(fromPage ? { is_echo: true, ...(appId === null ? {} : { app_id: appId }), ...(o.metadata === undefined ? {} : { metadata: o.metadata }) } : {}),
              mid: o.mid,
              ...(o.text === '' && o.attachments ? {} : { text: o.text }),
              ...(o.attachments ? { attachments: o.attachments } : {}),
              ...(o.quickReplyPayload === undefined ? {} : { quick_reply: { payload: o.quickReplyPayload } }),
            },
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
