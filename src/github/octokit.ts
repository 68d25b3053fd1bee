// The types the GitHub plumbing shares. Every call goes through Probot's Octokit, which carries
// the installation token, retries, throttling and the GitHub Enterprise base URL.
import type { Logger, ProbotOctokit } from "probot";

export type GitHub = InstanceType<typeof ProbotOctokit>;
export type Log = Logger;

export interface RepoRef {
  owner: string;
  repo: string;
}
