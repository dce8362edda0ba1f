/**
 * A Graph API stand-in where a share of all calls fail the ways Facebook
 * fails: HTTP 500, no answer (the client's deadline expires), and the "slow
 * down" codes 4, 17 and 613. Half of the failed publishing calls (500 and no
 * answer) did publish before failing, as happens on Facebook, so only a
 * look-up before posting again keeps replies single. Draws come from a seeded
 * generator.
 */
import type { GraphApiFake, RecordedRequest } from '../../../src/stand-ins/graph-api.stand-in.js';

/** mulberry32: small, seeded, good enough to spread failures. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ChaosTally {
  calls: number;
  failed: Record<'500' | 'timeout' | '4' | '17' | '613', number>;
  /** Failed publishing calls that had published first. */
  publishedThenFailed: number;
}

/** From now on, `share` of the stand-in's calls fail; returns the running tally. */
export function unleashGraphChaos(graph: GraphApiFake, options: { share: number; seed: number; pageId: string; pageName: string }): ChaosTally {
  const random = seededRandom(options.seed);
  const tally: ChaosTally = { calls: 0, failed: { '500': 0, timeout: 0, '4': 0, '17': 0, '613': 0 }, publishedThenFailed: 0 };
  const kinds = ['500', 'timeout', '4', '17', '613'] as const;
  const draws = new WeakMap<RecordedRequest, (typeof kinds)[number] | 'ok'>();
  const drawFor = (r: RecordedRequest) => {
    let d = draws.get(r);
    if (d === undefined) {
      tally.calls++;
      const x = random();
      d = x < options.share ? kinds[Math.min(kinds.length - 1, Math.floor((x / options.share) * kinds.length))]! : 'ok';
      if (d !== 'ok') tally.failed[d]++;
      draws.set(r, d);
    }
    return d;
  };
  // A publishing call that fails after doing its work: the comment is there, the answer lost.
  const maybePublish = (r: RecordedRequest) => {
    if (r.method !== 'POST' || !r.graphPath.endsWith('/comments') || random() >= 0.5) return;
    const target = r.graphPath.split('/')[r.graphPath.split('/').length - 2]!;
    const post = graph.pagePosts().find((p) => p.id === target)?.id ?? findPostOfComment(graph, target);
    if (!post) return;
    graph.addComment({ postId: post, parentId: target === post ? undefined : target, message: String(r.body.message), from: { id: options.pageId, name: options.pageName } });
    tally.publishedThenFailed++;
  };
  const rule = (kind: (typeof kinds)[number]) => (r: RecordedRequest) => {
    if (drawFor(r) !== kind) return false;
    if (kind === '500' || kind === 'timeout') maybePublish(r);
    return true;
  };
  graph.failNext(500, undefined, { count: Number.POSITIVE_INFINITY, match: rule('500') });
  graph.timeoutNext({ count: Number.POSITIVE_INFINITY, match: rule('timeout') });
  for (const code of [4, 17, 613] as const) graph.failNext(400, { code }, { count: Number.POSITIVE_INFINITY, match: rule(String(code) as '4' | '17' | '613') });
  return tally;
}

function findPostOfComment(graph: GraphApiFake, commentId: string): string | undefined {
  for (const post of graph.pagePosts()) if (graph.commentsOn(post.id).some((c) => c.id === commentId)) return post.id;
  return undefined;
}
