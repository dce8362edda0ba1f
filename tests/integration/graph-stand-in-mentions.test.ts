/**
 * The Graph stand-in's Instagram mention endpoints in Meta's wire format
 * (Instagram Platform references: IG User Mentioned Comment, Mentioned
 * Media, IG User Mentions), read with plain HTTP: ids as strings, Graph
 * times, the caption without the `@` of its mentions, the error envelope
 * (`message`, `type`, `code`, `fbtrace_id`), and someone else's media not
 * readable directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatGraphTime, startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';

const TOKEN = 'EAAGm0PX4ZCpsBAKZCtestPageTokenMentions0001';
const IG = { id: '17841405309211844', username: 'vanadzor.city' };
const T0 = new Date('2026-12-01T09:30:00Z');
let fake: GraphApiFake;

beforeAll(async () => {
  fake = await startGraphApiFake({ page: { id: '104710000000001', name: 'City Hall', accessToken: TOKEN }, instagram: IG, now: () => T0 });
});
afterAll(async () => {
  await fake.close();
});

async function graph(method: 'GET' | 'POST', path: string, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(`${fake.url}/v24.0/${path}`);
  const form = new URLSearchParams({ ...params, access_token: TOKEN });
  if (method === 'GET') for (const [k, v] of form) url.searchParams.set(k, v);
  const res = await fetch(url, method === 'GET' ? {} : { method, body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Instagram mentions on the Graph stand-in', () => {
  it('reads a mentioning comment and a mentioning caption, and answers both through /mentions', async () => {
    const owner = { id: '1254459154689201', username: 'lusine.blog' };
    const media = fake.seedForeignIgMedia({ owner, caption: 'Մեր բակը @vanadzor.city', created_time: T0 });
    const comment = fake.addIgComment({ mediaId: media.id, text: '@vanadzor.city challenge?', from: { id: '1254459154689202', username: 'armen.p' }, created_time: T0 });

    const readComment = await graph('GET', IG.id, { fields: `mentioned_comment.comment_id(${comment.id}){timestamp,like_count,text,id,username,media{id,permalink}}` });
    expect(readComment).toEqual({
      status: 200,
      body: {
        mentioned_comment: { timestamp: formatGraphTime(T0), like_count: 0, text: '@vanadzor.city challenge?', id: comment.id, username: 'armen.p', media: { id: media.id, permalink: media.permalink } },
        id: IG.id,
      },
    });
    const readMedia = await graph('GET', IG.id, { fields: `mentioned_media.media_id(${media.id}){caption,media_type,username,timestamp}` });
    expect(readMedia).toEqual({ status: 200, body: { mentioned_media: { caption: 'Մեր բակը vanadzor.city', media_type: 'IMAGE', username: owner.username, timestamp: formatGraphTime(T0) }, id: IG.id } });

    const onComment = await graph('POST', `${IG.id}/mentions`, { media_id: media.id, comment_id: comment.id, message: 'Thanks!' });
    expect(onComment.status).toBe(200);
    expect(onComment.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
    expect(fake.igComment(String(onComment.body.id))).toMatchObject({ parent_id: comment.id, text: 'Thanks!', from: { id: IG.id } });
    const onCaption = await graph('POST', `${IG.id}/mentions`, { media_id: media.id, message: 'Thanks for the dinosaur!' });
    expect(fake.igComment(String(onCaption.body.id))).toMatchObject({ parent_id: undefined, media_id: media.id });

    // The media's top-level comments, through mentioned_media (the `@` left out of their text too).
    const comments = await graph('GET', IG.id, { fields: `username,mentioned_media.media_id(${media.id}){comments.limit(50){id,text,username}}` });
    expect(comments.body).toMatchObject({ username: IG.username, mentioned_media: { comments: { data: [{ text: 'Thanks for the dinosaur!', username: IG.username }, { text: 'vanadzor.city challenge?', username: 'armen.p' }] } } });
  });

  it('refuses with Graph error envelopes: an unknown comment, a media that does not mention the account, and reading someone else\'s media directly', async () => {
    const owner = { id: '1254459154689211', username: 'gor.photos' };
    const media = fake.seedForeignIgMedia({ owner, caption: 'Առանց նշման', created_time: T0 });
    const unknown = await graph('GET', IG.id, { fields: 'mentioned_comment.comment_id(17899999999999999){text}' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: { message: expect.stringMatching(/^\(#100\) /), type: 'OAuthException', code: 100, fbtrace_id: expect.any(String) } });
    const notMentioned = await graph('POST', `${IG.id}/mentions`, { media_id: media.id, message: 'Hi' });
    expect(notMentioned.status).toBe(400);
    expect((notMentioned.body.error as { code: number }).code).toBe(100);
    const direct = await graph('GET', media.id, { fields: 'caption' });
    expect(direct.status).toBe(400);
    expect(direct.body.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
    // Not in the account's own media.
    const own = await graph('GET', `${IG.id}/media`, { fields: 'id' });
    expect((own.body.data as Array<{ id: string }>).map((m) => m.id)).not.toContain(media.id);
  });
});
