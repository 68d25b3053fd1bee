// Review plumbing: read the App's earlier comments, post one review with the new inline comments,
// and reply to and resolve the threads of findings that are gone.
import type { VibeguardConfig } from "../config/schema.js";
import {
  parseFingerprintMarker,
  parseFixedMarker,
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

type ReviewComment = {
  path: string;
  line: number;
  side: "RIGHT" | "LEFT";
  start_line?: number;
  start_side?: "RIGHT";
  body: string;
};

function toReviewComments(plan: ReviewPlan): ReviewComment[] {
  return plan.comments.map((c) => ({
    path: c.path,
    ...(c.startLine !== undefined ? { start_line: c.startLine, start_side: "RIGHT" as const } : {}),
    line: c.line,
    side: c.side ?? ("RIGHT" as const),
    body: renderFindingComment(c.finding, { withSuggestion: c.withSuggestion }),
  }));
}

export interface ReviewInput {
  pull: PullRef;
  headSha: string;
  checkRunUrl: string | undefined;
  report: Report;
  config: VibeguardConfig;
  lines: PlanInput["lines"];
  settled: PlanInput["settled"];
}

export interface ReviewOutcome {
  plan: ReviewPlan;
  posted: boolean;
  resolved: number;
}

/** Post the review for this push (only when there is a new inline comment) and close fixed threads. */
export async function reviewPullRequest(gh: GitHub, log: Log, input: ReviewInput): Promise<ReviewOutcome> {
  const existing = await listOwnComments(gh, input.pull);
  const plan = planReview({
    findings: input.report.findings,
    suppressed: input.report.suppressed,
    existing,
    lines: input.lines,
    settled: input.settled,
    maxComments: input.config.max_comments,
  });
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
    try {
      await gh.rest.pulls.createReview({ ...base, event, body: renderReviewBody(bodyInput), comments: toReviewComments(plan) });
    } catch (error) {
      // 422: GitHub refused a comment position (the diff moved under us). Say so without the
      // inline comments rather than saying nothing; they are retried on the next push.
      if (httpStatus(error) !== 422) throw error;
      log.warn({ status: 422 }, "vibeguard: GitHub rejected the inline review comments; posting the review without them");
      await gh.rest.pulls.createReview({ ...base, event, body: renderReviewBody({ ...bodyInput, inlineRejected: true }) });
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
