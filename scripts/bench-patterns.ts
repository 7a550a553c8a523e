/**
 * What pattern extraction adds to `complete_episode` for a 50-step episode (target < 5 ms).
 * Two episode services share one store: one with the pattern hook, one without; episodes of the
 * same shape alternate between them and the completion times (wall clock and process CPU time,
 * the steadier measure on a shared machine) are compared. The store is first warmed with
 * episodes so upserts mostly reinforce existing patterns, as in steady use. Also times the parts
 * (pure extraction, key resolution) and the background work (remaining candidates, merges).
 * Prints JSON.
 * Usage: node dist/scripts/bench-patterns.js [episodes per arm = 200] [warm-up episodes = 200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { resolveConfig } from '../src/config/index.js';
import { createEpisodeService, type EpisodeService, type LogStepInput } from '../src/episodes/service.js';
import { silentLogger } from '../src/logger.js';
import { extractCandidates } from '../src/patterns/extract/index.js';
import { INLINE_CANDIDATES } from '../src/patterns/hook.js';
import { mulberry32 } from '../src/prng.js';
import { createPatternRepo } from '../src/storage/pattern-repo.js';
import { quantile } from './lib/stats.js';

const PER_ARM = Number(process.argv[2] ?? 200);
const WARMUP = Number(process.argv[3] ?? 200);
const STEPS = 50;

const TOOLS = ['read_file', 'grep', 'list_dir', 'edit_file', 'run_tests', 'run_build', 'git_diff', 'git_commit', 'search_docs', 'bash', 'lint', 'format'];
const CONTEXTS = [
  { taskType: 'debugging', domain: 'web-api', language: 'typescript' },
  { taskType: 'refactoring', domain: 'web-api', language: 'typescript' },
  { taskType: 'testing', domain: 'cli', language: 'rust' },
  { taskType: 'code_generation', domain: 'data', language: 'python' },
];

/** A 50-step episode: a Markov-ish walk over a dozen tools, ~10% failed steps, a couple of decisions. */
function stepsFor(rand: () => number): Array<Omit<LogStepInput, 'episodeId'>> {
  const out: Array<Omit<LogStepInput, 'episodeId'>> = [];
  let tool = 'read_file';
  for (let i = 0; i < STEPS; i++) {
    const fail = rand() < 0.1;
    out.push({
      tool,
      action: `${tool} #${Math.floor(rand() * 5)}`,
      parameters: i % 20 === 5 ? { decision: { question: 'fix in code or test?', chosen: rand() < 0.7 ? 'code' : 'test' } } : { path: `src/f${i}.ts` },
      result: fail ? { type: 'error', message: rand() < 0.5 ? 'AssertionError: expected 1 to be 2' : 'ENOENT: no such file' } : { type: 'success' },
      latencyMs: Math.round(20 + rand() * 400),
    });
    tool = rand() < 0.6 ? (TOOLS[(TOOLS.indexOf(tool) + 1) % TOOLS.length] as string) : (TOOLS[Math.floor(rand() * TOOLS.length)] as string);
  }
  return out;
}

const summary = (xs: number[]) => {
  const r = (x: number) => +x.toFixed(3);
  return { n: xs.length, mean_ms: r(xs.reduce((a, b) => a + b, 0) / xs.length), p50_ms: r(quantile(xs, 0.5)), p95_ms: r(quantile(xs, 0.95)) };
};

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'cairn-bench-patterns-'));
  const config = resolveConfig({ CAIRN_HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'silent', CAIRN_CHECKIN_MINUTES: '0' }, []);
  const app = await createApp(config, { logger: silentLogger });
  const plain = createEpisodeService({ repo: app.repos.episodes, clock: app.clock });
  const withHook = app.episodes;
  const rand = mulberry32(7);
  const ns = 'bench';

  async function prepared(svc: EpisodeService): Promise<string> {
    const { episodeId } = await svc.start(ns, { task: 'bench task', ...CONTEXTS[Math.floor(rand() * CONTEXTS.length)]!, tags: ['bench'] });
    for (const st of stepsFor(rand)) await svc.logStep(ns, { episodeId, ...st });
    return episodeId;
  }
  const outcome = () => ({ type: rand() < 0.75 ? ('success' as const) : ('failure' as const) });

  for (let i = 0; i < WARMUP; i++) await withHook.complete(ns, await prepared(withHook), outcome());
  await app.patterns.idle();

  const timed = { hooks: [] as number[], none: [] as number[] };
  const cpu = { hooks: [] as number[], none: [] as number[] };
  for (let i = 0; i < PER_ARM * 2; i++) {
    const arm = i % 2 === 0 ? 'hooks' : 'none';
    const svc = arm === 'hooks' ? withHook : plain;
    const id = await prepared(svc);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await svc.complete(ns, id, outcome());
    timed[arm].push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu[arm].push((c.user + c.system) / 1000);
    // Background merge work runs between completions, not inside the measured call.
    await app.patterns.idle();
  }

  // Parts of the hook, on stored episodes.
  const repo = createPatternRepo(app.db);
  const eps = await app.episodes.list(ns, { status: 'completed' }, 100);
  const pure: number[] = [];
  const resolve: number[] = [];
  let candidates = 0;
  for (const e of eps) {
    const ep = await app.episodes.get(ns, e.id);
    let t0 = performance.now();
    const cs = extractCandidates(ep, 'success');
    pure.push(performance.now() - t0);
    candidates += cs.length;
    t0 = performance.now();
    await repo.resolve(
      ns,
      cs.slice(0, INLINE_CANDIDATES).map((c) => c.key),
    );
    resolve.push(performance.now() - t0);
  }

  // Background merge jobs: time a drain after a batch of completions.
  for (let i = 0; i < 20; i++) await withHook.complete(ns, await prepared(withHook), outcome());
  const pending = await app.patterns.pendingJobs();
  const t0 = performance.now();
  await app.patterns.recoverPending();
  await app.patterns.idle();
  const drainMs = performance.now() - t0;

  const hooks = summary(timed.hooks);
  const none = summary(timed.none);
  const hooksCpu = summary(cpu.hooks);
  const noneCpu = summary(cpu.none);
  const total = (await app.db.execute('SELECT COUNT(*) AS n, SUM(merged_into IS NOT NULL) AS merged FROM patterns WHERE namespace = ?', [ns])).rows[0]!;
  process.stdout.write(
    `${JSON.stringify(
      {
        node: process.version,
        cpus: availableParallelism(),
        load_average_1m: +(loadavg()[0] as number).toFixed(2),
        steps_per_episode: STEPS,
        warmup_episodes: WARMUP,
        inline_candidates: INLINE_CANDIDATES,
        wall: {
          with_hooks: hooks,
          without_hooks: none,
          added_ms: {
            mean: +(hooks.mean_ms - none.mean_ms).toFixed(3),
            p50: +(hooks.p50_ms - none.p50_ms).toFixed(3),
            p95: +(hooks.p95_ms - none.p95_ms).toFixed(3),
          },
        },
        cpu: {
          with_hooks: hooksCpu,
          without_hooks: noneCpu,
          added_ms: { mean: +(hooksCpu.mean_ms - noneCpu.mean_ms).toFixed(3), p50: +(hooksCpu.p50_ms - noneCpu.p50_ms).toFixed(3) },
        },
        parts: { pure_extraction_all: summary(pure), resolve_inline_keys: summary(resolve), candidates_per_episode: +(candidates / eps.length).toFixed(1) },
        background_jobs: { jobs: pending, drain_ms: +drainMs.toFixed(1), per_job_ms: pending ? +(drainMs / pending).toFixed(2) : null },
        patterns_stored: { rows: Number(total.n), merged_aliases: Number(total.merged) },
      },
      null,
      2,
    )}\n`,
  );
  await app.close();
  rmSync(home, { recursive: true, force: true });
}

void main();
