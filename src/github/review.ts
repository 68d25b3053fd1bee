// Review plumbing: read the App's earlier comments, post one review with the new inline comments,
// and reply to and resolve the threads of findings that are gone.
import type { VibeguardConfig } from "../config/schema.js";
import type { Finding } from "../findings.js";
import {
  COMMENT_LIMIT,
  parseFingerprintMarker,
  parseFixedMarker,
  parseRejectedMarker,
  renderFindingComment,
  renderFixedReply,
  renderReviewBody,
} from "../render/review-comment.js";
import { describeError, httpStatus } from "./errors.js";
import type { GitHub, Log, RepoRef } from "./octokit.js";
import type { Report } from "./report.js";
import { planReview, type FixedComment, type OwnComment, type PlanInput, type ReviewPlan } from "./review-plan.js";

export interface PullRef extends RepoRef {
  number: number;
}

/** The App's own review comments: written by a bot and carrying one of its markers. */
export async function listOwnComments(gh: GitHub, pull: PullRef): Promise<OwnComment[]> {
  const comments = await gh.paginate(gh.rest.pulls.listReviewComments, {
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.number,
    per_page: 100,
  });
  const own: OwnComment[] = [];
  for (const c of comments) {
    if (c.user?.type !== "Bot") continue;
    const fingerprint = parseFingerprintMarker(c.body);
    const fixedFingerprint = parseFixedMarker(c.body);
    if (!fingerprint && !fixedFingerprint) continue;
    own.push({ id: c.id, path: c.path, fingerprint, fixedFingerprint, inReplyTo: c.in_reply_to_id ?? undefined });
  }
  return own;
}

/** Fingerprints GitHub refused as inline comments on earlier pushes, from the App's review bodies. */
export async function listRejectedFingerprints(gh: GitHub, pull: PullRef): Promise<Set<string>> {
  const reviews = await gh.paginate(gh.rest.pulls.listReviews, { owner: pull.owner, repo: pull.repo, pull_number: pull.number, per_page: 100 });
  const rejected = new Set<string>();
  for (const r of reviews) {
    if (r.user?.type !== "Bot") continue;
    for (const f of parseRejectedMarker(r.body)) rejected.add(f);
  }
  return rejected;
}

type ReviewComment = {
  path: string;
  line: number;
  side: "RIGHT" | "LEFT";
  start_line?: number;
  start_side?: "RIGHT";
  body: string;
};

interface Outgoing {
  finding: Finding;
  comment: ReviewComment;
}

function toReviewComments(plan: ReviewPlan): Outgoing[] {
  return plan.comments.map((c) => ({
    finding: c.finding,
    comment: {
      path: c.path,
      ...(c.startLine !== undefined ? { start_line: c.startLine, start_side: "RIGHT" as const } : {}),
      line: c.line,
      side: c.side ?? ("RIGHT" as const),
      body: renderFindingComment(c.finding, { withSuggestion: c.withSuggestion }),
    },
  }));
}

/** Whether GitHub can accept the comment: its lines are in the file's diff and its body fits. */
export function fitsPatch(comment: ReviewComment, lines: PlanInput["lines"]): boolean {
  const file = lines.get(comment.path);
  if (!file) return false;
  // A LEFT comment (a removed safeguard) sits on a deleted line of the old file.
  const allowed = comment.side === "LEFT" ? (file.deleted ?? new Set<number>()) : file.commentable;
  if (!allowed.has(comment.line)) return false;
  if (comment.start_line !== undefined) {
    if (comment.start_line >= comment.line) return false;
    for (let l = comment.start_line; l <= comment.line; l++) if (!allowed.has(l)) return false;
  }
  return comment.body.length <= COMMENT_LIMIT;
}

/** Probe reviews made while looking for the comments GitHub rejects, at most. */
const MAX_PROBES = 24;

/**
 * Split `items` into the comments GitHub accepts and the ones it rejects (422), by bisection.
 * Each probe is a pending review (no event: nobody is notified) deleted at once.
 */
async function bisectRejected(gh: GitHub, pull: PullRef, headSha: string, items: Outgoing[]): Promise<{ accepted: Outgoing[]; rejected: Outgoing[] }> {
  const accepted: Outgoing[] = [];
  const rejected: Outgoing[] = [];
  let probes = 0;
  const probe = async (group: Outgoing[]): Promise<boolean> => {
    probes++;
    let id: number;
    try {
      const { data } = await gh.rest.pulls.createReview({
        owner: pull.owner,
        repo: pull.repo,
        pull_number: pull.number,
        commit_id: headSha,
        comments: group.map((o) => o.comment),
      });
      id = data.id;
    } catch (error) {
      if (httpStatus(error) === 422) return false;
      throw error;
    }
    await gh.rest.pulls.deletePendingReview({ owner: pull.owner, repo: pull.repo, pull_number: pull.number, review_id: id });
    return true;
  };
  const search = async (group: Outgoing[], knownBad: boolean): Promise<void> => {
    if (group.length === 0) return;
    if (probes >= MAX_PROBES) {
      rejected.push(...group); // out of patience: leave them to the check run
      return;
    }
    if (!knownBad && (await probe(group))) {
      accepted.push(...group);
      return;
    }
    if (group.length === 1) {
      rejected.push(...group);
      return;
    }
    const half = Math.ceil(group.length / 2);
    const left = group.slice(0, half);
    const right = group.slice(half);
    const leftOk = await probe(left);
    if (leftOk) {
      accepted.push(...left);
      await search(right, true); // the whole group failed, the left half did not: the right has a bad one
    } else {
      await search(left, true);
      await search(right, false);
    }
  };
  await search(items, true);
  return { accepted, rejected };
}

export interface ReviewInput {
  pull: PullRef;
  headSha: string;
  checkRunUrl: string | undefined;
  report: Report;
  config: VibeguardConfig;
  lines: PlanInput["lines"];
  settled: PlanInput["settled"];
  /**
   * Asked right before the first write: false when the pull request's head has moved on, and
   * then nothing is posted, replied to or resolved (a newer run owns the review).
   */
  stillCurrent?: () => Promise<boolean>;
}

export interface ReviewOutcome {
  plan: ReviewPlan;
  posted: boolean;
  resolved: number;
  /** Set when the head moved on before anything was written. */
  superseded?: boolean;
}

/** Post the review for this push (only when there is a new inline comment) and close fixed threads. */
export async function reviewPullRequest(gh: GitHub, log: Log, input: ReviewInput): Promise<ReviewOutcome> {
  const existing = await listOwnComments(gh, input.pull);
  const planInput = {
    findings: input.report.findings,
    suppressed: input.report.suppressed,
    existing,
    lines: input.lines,
    settled: input.settled,
    maxComments: input.config.max_comments,
  };
  let plan = planReview(planInput);
  if (plan.comments.length > 0) {
    // Comments GitHub refused on an earlier push would be refused again: leave them out.
    let rejectedBefore = new Set<string>();
    try {
      rejectedBefore = await listRejectedFingerprints(gh, input.pull);
    } catch (error) {
      log.warn({ reason: describeError(error) }, "vibeguard: could not list earlier reviews");
    }
    if (rejectedBefore.size > 0) plan = planReview({ ...planInput, rejected: rejectedBefore });
  }
  if ((plan.comments.length > 0 || plan.fixed.length > 0) && input.stillCurrent && !(await input.stillCurrent())) {
    log.info({}, "vibeguard: the pull request moved on before the review was written; nothing posted");
    return { plan, posted: false, resolved: 0, superseded: true };
  }
  let posted = false;
  if (plan.comments.length > 0) {
    const requestChanges = input.config.request_changes && input.report.failing.length > 0;
    const bodyInput = {
      commented: plan.comments.map((c) => c.finding),
      overflow: plan.overflow.length,
      unplaceable: plan.unplaceable.length,
      failing: input.report.failing.length,
      threshold: input.report.threshold,
      checkRunUrl: input.checkRunUrl,
      requestChanges,
    };
    const base = { owner: input.pull.owner, repo: input.pull.repo, pull_number: input.pull.number, commit_id: input.headSha };
    const event = requestChanges ? ("REQUEST_CHANGES" as const) : ("COMMENT" as const);
    const outgoing = toReviewComments(plan);
    // Checked against the patch first: a comment off the diff would make GitHub refuse them all.
    let send = outgoing.filter((o) => fitsPatch(o.comment, input.lines));
    let rejected = outgoing.filter((o) => !fitsPatch(o.comment, input.lines));
    const post = (items: Outgoing[], refused: Outgoing[]) =>
      gh.rest.pulls.createReview({
        ...base,
        event,
        body: renderReviewBody({
          ...bodyInput,
          commented: items.map((o) => o.finding),
          rejected: refused.map((o) => o.finding),
          inlineRejected: items.length === 0,
        }),
        ...(items.length > 0 ? { comments: items.map((o) => o.comment) } : {}),
      });
    try {
      await post(send, rejected);
    } catch (error) {
      // 422: GitHub refused a comment position (the diff moved under us). Find the refused
      // comments and post the others; the refused ones are named in the body, never resent.
      if (httpStatus(error) !== 422 || send.length === 0) throw error;
      log.warn({ status: 422, comments: send.length }, "vibeguard: GitHub rejected the review; looking for the comments it refuses");
      const split = await bisectRejected(gh, input.pull, input.headSha, send);
      send = split.accepted;
      rejected = [...rejected, ...split.rejected];
      try {
        await post(send, rejected);
      } catch (again) {
        if (httpStatus(again) !== 422 || send.length === 0) throw again;
        rejected = [...rejected, ...send];
        send = [];
        await post(send, rejected);
      }
    }
    posted = true;
  }
  const resolved = await closeFixed(gh, log, input.pull, input.headSha, plan.fixed);
  return { plan, posted, resolved };
}

const THREADS_QUERY = `query vibeguardReviewThreads($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { databaseId } } }
      }
    }
  }
}`;

const RESOLVE_MUTATION = `mutation vibeguardResolveThread($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } }
}`;

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: { id: string; isResolved: boolean; comments: { nodes: { databaseId: number | null }[] } }[];
      };
    } | null;
  } | null;
}

/** Thread id and state by the database id of the thread's first comment. */
export async function reviewThreadsByComment(gh: GitHub, pull: PullRef): Promise<Map<number, { id: string; isResolved: boolean }>> {
  const threads = new Map<number, { id: string; isResolved: boolean }>();
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const data: ThreadsPage = await gh.graphql<ThreadsPage>(THREADS_QUERY, {
      owner: pull.owner,
      repo: pull.repo,
      number: pull.number,
      cursor,
    });
    const connection = data.repository?.pullRequest?.reviewThreads;
    if (!connection) break;
    for (const node of connection.nodes) {
      const first = node.comments.nodes[0]?.databaseId;
      if (typeof first === "number") threads.set(first, { id: node.id, isResolved: node.isResolved });
    }
    if (!connection.pageInfo.hasNextPage) break;
    cursor = connection.pageInfo.endCursor;
  }
  return threads;
}

/** Reply "fixed" on each comment and resolve its thread; one failure does not stop the others. */
async function closeFixed(gh: GitHub, log: Log, pull: PullRef, headSha: string, fixed: readonly FixedComment[]): Promise<number> {
  if (fixed.length === 0) return 0;
  let threads: Map<number, { id: string; isResolved: boolean }> | undefined;
  try {
    threads = await reviewThreadsByComment(gh, pull);
  } catch (error) {
    log.warn({ reason: describeError(error) }, "vibeguard: could not list review threads; fixed threads stay open");
  }
  let resolved = 0;
  for (const f of fixed) {
    try {
      await gh.rest.pulls.createReplyForReviewComment({
        owner: pull.owner,
        repo: pull.repo,
        pull_number: pull.number,
        comment_id: f.commentId,
        body: renderFixedReply(f, headSha, f.reason),
      });
      const thread = threads?.get(f.commentId);
      if (thread && !thread.isResolved) {
        await gh.graphql(RESOLVE_MUTATION, { threadId: thread.id });
        resolved++;
      }
    } catch (error) {
      log.warn({ comment: f.commentId, reason: describeError(error) }, "vibeguard: could not close a fixed finding's thread");
    }
  }
  return resolved;
}
