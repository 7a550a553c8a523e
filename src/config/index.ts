import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CairnError } from '../errors.js';
import type { LogLevel } from '../logger.js';
import { plainIssue } from '../plain-issue.js';
import { parseArgv } from './argv.js';
import { resolveHome } from './home.js';
import { HOOKS_ENV, type HooksConfig, type ProjectMode, resolveHooksConfig, resolveProjectMode } from './hooks.js';
import { HTTP_ENV, type HttpConfig, resolveHttpConfig } from './http.js';
import { parseToolsets, type Toolset } from './toolsets.js';

/** Everything Cairn reads from its environment and command line, validated once at start-up. */
export interface Config {
  /** Data folder (`CAIRN_HOME`). Default `$XDG_DATA_HOME/cairn`, else `~/.local/share/cairn`. */
  home: string;
  /** libSQL URL (`CAIRN_DB_URL`). Default `file:<home>/cairn.db`. */
  dbUrl: string;
  /** Auth token for a remote libSQL server (`CAIRN_DB_AUTH_TOKEN`). */
  dbAuthToken?: string;
  /** LMDB cache folder. Default `<home>/cache`. */
  cacheDir: string;
  /** Namespace of a stdio session (`CAIRN_NAMESPACE`), which is also its global namespace: facts about the user, shared by every project. Default `default`. */
  namespace: string;
  /** How a stdio session or a hook finds its project namespace (`CAIRN_PROJECT`: auto, off or a name). Default auto. */
  project: ProjectMode;
  /** The client's project folder (`CLAUDE_PROJECT_DIR`, set by Claude Code for its MCP servers and hooks), if given. */
  projectDir?: string;
  /** Enabled tool groups (`CAIRN_TOOLSETS`, comma-separated or `all`). Default all. */
  toolsets: Toolset[];
  /** `CAIRN_LOG_LEVEL`. Default `info`. */
  logLevel: LogLevel;
  /** `CAIRN_EMBEDDINGS`: `auto` (model in the background, hashing until ready), `hashing`, `transformers`. Default `auto`. */
  embeddings: 'auto' | 'hashing' | 'transformers';
  /**
   * `CAIRN_SEARCH`: `hybrid` (in-process BM25F + vectors + learned semantics), `fts` (SQLite FTS5 BM25 only) or `sql`
   * (FTS5 + libSQL DiskANN vectors fused in SQL, nothing loaded per namespace: many processes over one remote database). Default `hybrid`.
   */
  search: 'hybrid' | 'fts' | 'sql';
  /** `CAIRN_MODEL`. Default `Xenova/all-MiniLM-L6-v2`. */
  model: string;
  /** `CAIRN_MODEL_DIR`: a local folder of models. */
  modelDir?: string;
  /** `CAIRN_OFFLINE=1`: never download a model. */
  offline: boolean;
  /** IANA time zone for reports (`CAIRN_TZ`). Default the system zone. */
  timeZone: string;
  /** Default ADHD time multiplier before calibration (`CAIRN_TIME_MULTIPLIER`, 1.5–3). Default 2.5. */
  timeMultiplier: number;
  /** Check-in monitor period in minutes (`CAIRN_CHECKIN_MINUTES`, 0 disables). Default 20. */
  checkInMinutes: number;
  /** Memory curator period in minutes (`CAIRN_CURATE_MINUTES`, 0 disables). Default 60. */
  curateMinutes: number;
  /** Cosine at which the curator may merge two memories (`CAIRN_CURATE_SIMILARITY`, 0.5–1). Default by embedder: 0.75 hashing, 0.88 a model. */
  curateSimilarity?: number;
  /**
   * Largest tool reply in tokens (`CAIRN_MAX_REPLY_TOKENS`, 1,000–20,000; tokens ≈ UTF-8 bytes / 4, the
   * structured and the text copy counted together). Default 6,000.
   */
  maxReplyTokens: number;
  /** A focus session with no activity for longer than this is closed at its last activity (`CAIRN_FOCUS_IDLE_MINUTES`, 0 never). Default 120. */
  focusIdleMinutes: number;
  /** Sandbox worker threads (`CAIRN_SANDBOX_WORKERS`). Default the number of cores. */
  sandboxWorkers?: number;
  /** Settings of `serve --http` (CAIRN_HTTP_*, CAIRN_TOKENS, CAIRN_RATE_*, …; see config/http.ts). */
  http: HttpConfig;
  /** Settings of `cairn hook` and the context packs (CAIRN_CAPTURE, CAIRN_*_TOKENS, CAIRN_HOOK_*; see config/hooks.ts). */
  hooks: HooksConfig;
  /** The CLI command (`serve` by default) and its remaining arguments and flags. */
  command: string;
  args: string[];
  flags: Record<string, string | true>;
}

const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A whole number setting in `[min, max]`, with one plain message for every way it can be wrong. */
function wholeNumber(min: number, max: number, unit: string) {
  const message = `must be a whole number of ${unit} from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
}

const envSchema = z.object({
  CAIRN_HOME: z.string().min(1).optional(),
  CAIRN_DB_URL: z
    .string()
    .regex(/^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/, 'must start with file:, libsql://, http(s):// or ws(s)://')
    .optional(),
  CAIRN_DB_AUTH_TOKEN: z.string().min(1).optional(),
  CAIRN_NAMESPACE: z.string().regex(NAMESPACE, 'must be 1–64 characters of letters, digits, dot, dash or underscore').optional(),
  CAIRN_TOOLSETS: z.string().optional(),
  CAIRN_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional(),
  CAIRN_EMBEDDINGS: z.enum(['auto', 'hashing', 'transformers']).optional(),
  CAIRN_SEARCH: z.enum(['hybrid', 'fts', 'sql']).optional(),
  CAIRN_MODEL: z.string().min(1).optional(),
  CAIRN_MODEL_DIR: z.string().min(1).optional(),
  CAIRN_OFFLINE: z.enum(['0', '1', 'true', 'false']).optional(),
  CAIRN_TZ: z.string().refine(validTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC').optional(),
  CAIRN_TIME_MULTIPLIER: z.coerce.number().min(1.5, 'must be between 1.5 and 3').max(3, 'must be between 1.5 and 3').optional(),
  CAIRN_CHECKIN_MINUTES: wholeNumber(0, 1440, 'minutes').optional(),
  CAIRN_CURATE_MINUTES: wholeNumber(0, 10080, 'minutes').optional(),
  CAIRN_CURATE_SIMILARITY: z.coerce
    .number({ error: 'must be a number from 0.5 to 1' })
    .min(0.5, 'must be a number from 0.5 to 1')
    .max(1, 'must be a number from 0.5 to 1')
    .optional(),
  CAIRN_FOCUS_IDLE_MINUTES: wholeNumber(0, 10_080, 'minutes').optional(),
  CAIRN_SANDBOX_WORKERS: wholeNumber(1, 64, 'workers').optional(),
  CAIRN_MAX_REPLY_TOKENS: wholeNumber(1000, 20_000, 'tokens').optional(),
  ...HTTP_ENV,
  ...HOOKS_ENV,
});

/**
 * Builds the Config from environment and argv (without `node` and the script). The only place
 * that reads settings; throws `CairnError('CONFIG_INVALID')` with one line naming the variable.
 */
export function resolveConfig(env: Record<string, string | undefined>, argv: string[]): Config {
  const { command, args, flags } = parseArgv(argv);
  const parsed = envSchema.safeParse(pickCairn(env), { error: plainIssue });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new CairnError('CONFIG_INVALID', `${name}=${JSON.stringify(env[name])} is invalid: ${issue.message}`);
  }
  const e = parsed.data;
  const flag = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
  const home = resolveHome({ ...env, CAIRN_HOME: e.CAIRN_HOME }, flag('home'));
  const namespace = flag('namespace') ?? e.CAIRN_NAMESPACE ?? 'default';
  if (!NAMESPACE.test(namespace))
    throw new CairnError(
      'CONFIG_INVALID',
      `--namespace=${JSON.stringify(namespace)} is invalid: must be 1–64 characters of letters, digits, dot, dash or underscore`,
    );
  return {
    home,
    dbUrl: e.CAIRN_DB_URL ?? `file:${join(home, 'cairn.db')}`,
    ...(e.CAIRN_DB_AUTH_TOKEN ? { dbAuthToken: e.CAIRN_DB_AUTH_TOKEN } : {}),
    cacheDir: join(home, 'cache'),
    namespace,
    project: resolveProjectMode(e),
    ...(env.CLAUDE_PROJECT_DIR ? { projectDir: resolve(env.CLAUDE_PROJECT_DIR) } : {}),
    toolsets: parseToolsets(e.CAIRN_TOOLSETS),
    logLevel: e.CAIRN_LOG_LEVEL ?? 'info',
    embeddings: e.CAIRN_EMBEDDINGS ?? 'auto',
    search: e.CAIRN_SEARCH ?? 'hybrid',
    model: e.CAIRN_MODEL ?? 'Xenova/all-MiniLM-L6-v2',
    ...(e.CAIRN_MODEL_DIR ? { modelDir: resolve(e.CAIRN_MODEL_DIR) } : {}),
    offline: e.CAIRN_OFFLINE === '1' || e.CAIRN_OFFLINE === 'true',
    // Read when first used: a stdio server answers `initialize` before anything reads the zone.
    get timeZone() {
      return e.CAIRN_TZ ?? systemTimeZone();
    },
    timeMultiplier: e.CAIRN_TIME_MULTIPLIER ?? 2.5,
    checkInMinutes: e.CAIRN_CHECKIN_MINUTES ?? 20,
    curateMinutes: e.CAIRN_CURATE_MINUTES ?? 60,
    ...(e.CAIRN_CURATE_SIMILARITY !== undefined ? { curateSimilarity: e.CAIRN_CURATE_SIMILARITY } : {}),
    maxReplyTokens: e.CAIRN_MAX_REPLY_TOKENS ?? 6000,
    focusIdleMinutes: e.CAIRN_FOCUS_IDLE_MINUTES ?? 120,
    ...(e.CAIRN_SANDBOX_WORKERS ? { sandboxWorkers: e.CAIRN_SANDBOX_WORKERS } : {}),
    http: resolveHttpConfig(e, flag),
    hooks: resolveHooksConfig(e),
    command,
    args,
    flags,
  };
}

let systemZone: string | undefined;

/** The system's IANA zone. Found once, on first use: the first use of `Intl` loads ICU's data (15–20 ms). */
function systemTimeZone(): string {
  systemZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
  return systemZone;
}

function pickCairn(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('CAIRN_') && v !== undefined && v !== '') out[k] = v;
  return out;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export { parseArgv, VALUE_FLAGS } from './argv.js';
