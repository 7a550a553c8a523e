/** Vocabulary of the ADHD toolkit. A leaf: storage and services import it, it imports nothing. */

/** Where a task or step is. */
export const TASK_STATUSES = ['todo', 'doing', 'done', 'dropped'] as const;
/** One of `TASK_STATUSES`. */
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** Energy a step needs. */
export const ENERGY_DEMANDS = ['low', 'medium', 'high'] as const;
/** One of `ENERGY_DEMANDS`. */
export type EnergyDemand = (typeof ENERGY_DEMANDS)[number];
/** How attention feels, as the person reports it. */
export const ATTENTION_STATES = ['focused', 'flow', 'neutral', 'scattered', 'hyperfocus', 'depleted'] as const;
/** One of `ATTENTION_STATES`. */
export type AttentionState = (typeof ATTENTION_STATES)[number];
/** Kinds of break; `break`, `movement` and `meal` end a stretch of continuous focus, `water` does not. */
export const BREAK_KINDS = ['break', 'water', 'movement', 'meal'] as const;
/** One of `BREAK_KINDS`. */
export type BreakKind = (typeof BREAK_KINDS)[number];
/** Who estimated a step: the caller, the client's model, a default, the fixed starter, or a sum of children. */
export const ESTIMATE_SOURCES = ['client', 'model', 'default', 'starter', 'sum'] as const;
/** One of `ESTIMATE_SOURCES`. */
export type EstimateSource = (typeof ESTIMATE_SOURCES)[number];

/** One node of a task tree (a root task or a step). */
export interface Task {
  id: string;
  namespace: string;
  rootId: string;
  parentId: string | null;
  position: number;
  title: string;
  category: string | null;
  energy: EnergyDemand | null;
  needsFocus: boolean;
  isStarter: boolean;
  rawMinutes: number | null;
  estimateSource: EstimateSource;
  realisticMinutes: number | null;
  multiplier: number | null;
  why: string | null;
  status: TaskStatus;
  actualMinutes: number | null;
  notes: Array<{ at: number; text: string }>;
  deadline: number | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

/** Fields an update may change. `completedAt: null` clears it; `undefined` leaves it. */
export interface TaskPatch {
  status?: TaskStatus;
  actualMinutes?: number;
  note?: { at: number; text: string };
  startedAt?: number;
  completedAt?: number | null;
  updatedAt: number;
}

/** A task in `doing` with when anything last touched it (the task or a focus session on it). */
export type DoingTask = Task & { lastActivityAt: number; inFocus: boolean };

/** One energy and attention reading. */
export interface EnergyReading {
  id: string;
  namespace: string;
  at: number;
  level: number;
  attention: AttentionState;
  mood: string | null;
  note: string | null;
  createdAt: number;
}

/** A focus session; `endedAt` is null while it runs (at most one runs per namespace). */
export interface FocusSession {
  id: string;
  namespace: string;
  taskId: string | null;
  topic: string | null;
  startedAt: number;
  endedAt: number | null;
}

/** A break taken, during a session or not. */
export interface Break {
  id: string;
  namespace: string;
  sessionId: string | null;
  kind: BreakKind;
  at: number;
}

/** A check-in raised for a condition; open until acknowledged or cleared. */
export interface CheckIn {
  id: string;
  namespace: string;
  conditionKey: string;
  kind: string;
  severity: string;
  message: string;
  details: Record<string, unknown>;
  createdAt: number;
  acknowledgedAt: number | null;
  clearedAt: number | null;
}

/** Thresholds of every ADHD rule. Each one is a documented default that config may override. */
export interface AdhdRules {
  /** Continuous focus longer than this (strictly) is hyperfocus. Default 90 min. */
  hyperfocusMinutes: number;
  /** No movement break for longer than this while focusing raises a check-in. Default 120. */
  movementMinutes: number;
  /** No water (or meal) for longer than this while focusing raises a check-in. Default 120. */
  waterMinutes: number;
  /** An energy level strictly below this raises a check-in. Default 4 (so 3 does, 4 does not). */
  lowEnergyBelow: number;
  /** An energy reading older than this no longer counts as "current". Default 360 min. */
  energyFreshMinutes: number;
  /** A task in `doing` with no activity for longer than this is stalled. Default 120 min. */
  stalledTaskMinutes: number;
  /** An episode left open with no step for longer than this is stale. Default 240 min. */
  staleEpisodeMinutes: number;
  /** A reported attention state older than this no longer describes the present. Default 60 min. */
  attentionFreshMinutes: number;
  /** Sessions separated by a gap shorter than this are one continuous streak. Default 15 min. */
  streakGapMinutes: number;
  /**
   * A running focus session with no activity in the namespace for longer than this is over: it is
   * closed at its last activity. Default 120 min; 0 keeps sessions open until stopped.
   */
  focusIdleMinutes: number;
  /** Steps with a realistic estimate above this are flagged for splitting. Default 25 min. */
  maxStepMinutes: number;
  /** Length of the starter step. Default 5 min. */
  starterMinutes: number;
  /** Transition buffer per started 30 realistic minutes. Default 5 min. */
  bufferPer30Minutes: number;
  /** Smallest transition buffer. Default 5 min. */
  minBufferMinutes: number;
  /** Raw estimate assumed for a step given without one. Default 10 min. */
  defaultStepMinutes: number;
  /** Suggest a break once this many realistic minutes have run without one. Default 50 min. */
  breakEveryMinutes: number;
  /** Completed samples needed before a multiplier is learned. Default 5. */
  minCalibrationSamples: number;
}

/** The defaults of {@link AdhdRules}. */
export const DEFAULT_RULES: Readonly<AdhdRules> = Object.freeze({
  hyperfocusMinutes: 90,
  movementMinutes: 120,
  waterMinutes: 120,
  lowEnergyBelow: 4,
  energyFreshMinutes: 360,
  attentionFreshMinutes: 60,
  stalledTaskMinutes: 120,
  staleEpisodeMinutes: 240,
  streakGapMinutes: 15,
  focusIdleMinutes: 120,
  maxStepMinutes: 25,
  starterMinutes: 5,
  bufferPer30Minutes: 5,
  minBufferMinutes: 5,
  defaultStepMinutes: 10,
  breakEveryMinutes: 50,
  minCalibrationSamples: 5,
});

/** Service configuration, resolved once at the entry point. */
export interface AdhdConfig {
  /** Multiplier used before enough samples exist. Default 2.5; accepted 1.5–3. */
  defaultMultiplier: number;
  /** IANA time zone for hour-of-day and weekday profiles (`CAIRN_TZ`), e.g. `Europe/Berlin`. */
  timeZone: string;
  /** How often the check-in monitor runs. Default 20 min. */
  checkInIntervalMs: number;
  /** Overrides of {@link DEFAULT_RULES}. */
  rules?: Partial<AdhdRules>;
}

// ---- calibration ----------------------------------------------------------------------------

/** One completed, estimated task: the unit calibration learns from. */
export interface CalibrationSample {
  rawMinutes: number;
  actualMinutes: number;
  energy: EnergyDemand | null;
  category: string | null;
  at: number;
}

/** A multiplier with where it came from. */
export interface Calibration {
  multiplier: number;
  /** Interval bounds (90% percentile bootstrap); null for the default. */
  low: number | null;
  high: number | null;
  /** Samples behind it (0 for the default). */
  n: number;
  source: 'default' | 'learned';
  /** `all`, `energy:<level>` or `category:<name>`. */
  scope: string;
  method: string;
}

/** Every multiplier learned for a namespace. */
export interface CalibrationModel {
  overall: Calibration;
  byEnergy: ReadonlyMap<EnergyDemand, Calibration>;
  /** Keyed by the user's own category names, hence a Map (a name like `constructor` is just a name). */
  byCategory: ReadonlyMap<string, Calibration>;
  /** Samples available in total (learned or not). */
  samples: number;
}

/** Raw → realistic, with the arithmetic spelled out. */
export interface RealisticEstimate {
  rawMinutes: number;
  multiplier: number;
  bufferMinutes: number;
  realisticMinutes: number;
  why: string;
}

// ---- tasks ----------------------------------------------------------------------------------

/** A step as a caller (or the model, or the text splitter) proposes it. */
export interface StepInput {
  title: string;
  estimateMinutes?: number;
  energy?: EnergyDemand;
  needsFocus?: boolean;
}

/** Asks the client's model for a completion (MCP sampling). */
export type Sampler = (prompt: string, options: { maxTokens: number; systemPrompt: string }) => Promise<string>;

export interface BreakDownInput {
  task: string;
  steps?: StepInput[];
  deadline?: number;
  energyNow?: number;
  category?: string;
  /** Attach the steps under this existing task instead of creating a new root. */
  parentTaskId?: string;
  at?: number;
}

/** A stored step with its plan. */
export interface PlannedStep {
  task: Task;
  estimate: RealisticEstimate;
  /** The multiplier used (null for the starter, which is not scaled). */
  calibration: Calibration | null;
  tooBig: boolean;
  splitHint: string | null;
  fitsEnergyNow: boolean | null;
}

export interface SuggestedBreak {
  afterStepId: string;
  kind: BreakKind;
  minutes: number;
  why: string;
}

export interface BreakdownResult {
  root: Task;
  steps: PlannedStep[];
  suggestedOrder: string[];
  orderWhy: string;
  breaks: SuggestedBreak[];
  totalRealisticMinutes: number;
  deadline: { at: number; minutesLeft: number; fits: boolean } | null;
  calibration: Calibration;
  source: 'client' | 'model' | 'text';
  /** Why the model breakdown was not used, when it was tried. */
  fallbackReason: string | null;
}

export interface UpdateTaskInput {
  taskId: string;
  status?: TaskStatus;
  actualMinutes?: number;
  note?: string;
  at?: number;
}

export interface UpdateTaskResult {
  task: Task;
  /** The ratio recorded for calibration, when this update completed an estimated task. */
  sampleRatio: number | null;
  /** The parent, when this update completed its last open step. */
  parentCompleted: Task | null;
  nextStep: Task | null;
  calibration: Calibration;
  /** What happened to the focus session on this task when it was closed (moved to the next step, or stopped); null otherwise. */
  focus: string | null;
}

// ---- energy ---------------------------------------------------------------------------------

export interface LogEnergyInput {
  level: number;
  attention: AttentionState;
  mood?: string;
  note?: string;
  at?: number;
}

export interface ProfileBucket {
  /** Hour 0–23 or weekday label `Mon`…`Sun`. */
  key: string;
  mean: number;
  n: number;
}

export interface FocusWindow {
  startHour: number;
  /** Exclusive. */
  endHour: number;
  meanLevel: number;
  focusShare: number;
  n: number;
}

export interface EnergyTrend {
  direction: 'rising' | 'falling' | 'steady' | 'insufficient_data';
  slopePerDay: number | null;
  n: number;
  method: string;
}

export interface EnergyReport {
  timeZone: string;
  windowDays: number;
  n: number;
  current: (EnergyReading & { minutesAgo: number; fresh: boolean }) | null;
  mean: number | null;
  trend: EnergyTrend;
  hourly: ProfileBucket[];
  weekday: ProfileBucket[];
  bestWindows: FocusWindow[];
  fitsNow: Task[];
  notes: string[];
}

// ---- focus ----------------------------------------------------------------------------------

export interface FocusInput {
  action: 'start' | 'stop' | 'status' | 'break';
  taskId?: string;
  topic?: string;
  kind?: BreakKind;
  at?: number;
}

/** Focus state at one instant, computed by the pure rules. */
export interface FocusStatus {
  active: FocusSession | null;
  elapsedMinutes: number | null;
  /** Minutes of continuous focus since the streak began or the last resetting break. */
  continuousMinutes: number | null;
  /** Minutes of the current streak without water (or a meal); null when not focusing. */
  withoutWaterMinutes: number | null;
  /** Minutes of the current streak without a movement break; null when not focusing. */
  withoutMovementMinutes: number | null;
  minutesSince: Record<BreakKind, number | null>;
  hyperfocus: boolean;
  attention: AttentionState | null;
  energy: number | null;
  interruptible: boolean;
  interruptibleWhy: string;
  suggestions: string[];
}

export interface FocusResult {
  action: FocusInput['action'];
  message: string;
  stopped: (FocusSession & { minutes: number }) | null;
  status: FocusStatus;
}

// ---- check-ins and recovery -----------------------------------------------------------------

export type CheckInKind = 'hyperfocus' | 'no_movement' | 'no_water' | 'low_energy' | 'stalled_task' | 'stale_episode';

/** A condition that holds now; at most one open check-in exists per `key`. */
export interface Condition {
  key: string;
  kind: CheckInKind;
  severity: 'info' | 'warning';
  message: string;
  details: Record<string, unknown>;
}

export interface CheckInQuery {
  since?: number;
  includeAcknowledged?: boolean;
  acknowledge?: string[];
}

export interface CheckInList {
  checkIns: CheckIn[];
  acknowledged: string[];
  evaluatedAt: number;
}

export interface RecoveredContext {
  now: number;
  focus: { session: FocusSession; active: boolean; minutes: number } | null;
  minutesAway: number | null;
  lastActivityAt: number | null;
  openTasks: Array<{ task: Task; nextStep: Task | null; done: number; total: number }>;
  openEpisodes: Array<{
    id: string;
    task: string;
    startedAt: number;
    lastSteps: Array<{ stepNumber: number; tool: string; action: string; result: string | null; at: number }>;
  }>;
  recentMemories: Array<{ id: string; content: string; kind: string; createdAt: number }>;
  memoryCount: number;
  energy: EnergyReading | null;
  checkIns: CheckIn[];
  suggestedNextAction: string;
}

// ---- history --------------------------------------------------------------------------------

/** Energy readings, focus sessions and breaks of a period, oldest first (sessions overlapping it). */
export interface AdhdHistory {
  since: number;
  until: number;
  energy: EnergyReading[];
  sessions: FocusSession[];
  breaks: Break[];
}

/** The ADHD service. Every method takes the session's namespace first. */
export interface AdhdService {
  breakDownTask(ns: string, input: BreakDownInput, options?: { sample?: Sampler }): Promise<BreakdownResult>;
  updateTask(ns: string, input: UpdateTaskInput): Promise<UpdateTaskResult>;
  calibration(ns: string): Promise<CalibrationModel>;
  /** Open steps someone could do next (doing first, most recently touched first), then open root tasks; at most `limit`. */
  openTasks(ns: string, limit: number): Promise<Task[]>;
  logEnergy(ns: string, input: LogEnergyInput): Promise<{ reading: EnergyReading; report: EnergyReport }>;
  /** The report as of `at` (default now). */
  energyReport(ns: string, input?: { windowDays?: number; timeZone?: string; at?: number }): Promise<EnergyReport>;
  focus(ns: string, input: FocusInput): Promise<FocusResult>;
  recoverContext(ns: string): Promise<RecoveredContext>;
  /** Evaluates the rules now, applies acknowledgements, then lists check-ins. */
  checkIns(ns: string, query?: CheckInQuery): Promise<CheckInList>;
  /** Evaluates the rules at `now` (default: the clock) and returns only newly written check-ins. */
  evaluateCheckIns(ns: string, now?: number): Promise<CheckIn[]>;
  /** Readings, focus sessions and breaks between `since` and `until` (epoch ms, at most a year apart). */
  history(ns: string, range: { since: number; until: number }): Promise<AdhdHistory>;
  /** The `limit` (1–100) most recently changed task trees, each root first, parents before children. */
  taskTrees(ns: string, limit: number): Promise<Task[][]>;
  /** The completed, estimated tasks calibration learns from, newest first. */
  calibrationSamples(ns: string): Promise<Task[]>;
  /** Namespaces with any ADHD data or an open episode, for the monitor's `listNamespaces`. */
  namespaces(): Promise<string[]>;
  readonly rules: Readonly<AdhdRules>;
  readonly config: Readonly<AdhdConfig>;
}
