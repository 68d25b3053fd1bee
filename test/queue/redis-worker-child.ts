// A worker process for the Redis test: takes one job, says so, and hangs until it is killed.
import { startRedisWorker } from "../../src/queue/redis.js";

const [url, prefix] = process.argv.slice(2);
await startRedisWorker(
  async (job) => {
    process.stdout.write(`started ${job.key}\n`);
    await new Promise(() => {}); // "crashes" mid-review: the parent kills this process
  },
  { url: url!, prefix: prefix!, concurrency: 1, lockDurationMs: 2000, stalledIntervalMs: 500 },
);
process.stdout.write("ready\n");
