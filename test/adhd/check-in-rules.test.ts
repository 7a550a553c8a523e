import { describe, expect, it } from 'vitest';
import { type CheckInState, evaluateConditions, reconcileCheckIns } from '../../src/adhd/check-in-rules.js';
import { DEFAULT_RULES, type EnergyReading, type FocusSession } from '../../src/adhd/types.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0);
const active: FocusSession = { id: 's', namespace: 'n', taskId: null, topic: 't', startedAt: T0, endedAt: null };
const reading = (level: number, at: number): EnergyReading => ({
  id: 'e',
  namespace: 'n',
  level,
  attention: 'neutral',
  at: T0 + at * MIN,
  mood: null,
  note: null,
  createdAt: 0,
});
const st = (nowMin: number, over: Partial<CheckInState> = {}): CheckInState => ({
  now: T0 + nowMin * MIN,
  active: null,
  sessions: [],
  lastBreaks: {},
  latestEnergy: null,
  doingTasks: [],
  openEpisodes: [],
  rules: DEFAULT_RULES,
  ...over,
});
const kinds = (s: CheckInState) => evaluateConditions(s).map((c) => c.key);
const focusing = { active, sessions: [active] };

describe('evaluateConditions', () => {
  it('is quiet with nothing going on', () => {
    expect(kinds(st(1000))).toEqual([]);
  });
  it('hyperfocus: 90 min no, 91 min yes', () => {
    expect(kinds(st(90, focusing))).toEqual([]);
    expect(kinds(st(91, focusing))).toEqual(['hyperfocus']);
  });
  it('water and movement: 120 min no, 121 min yes, only while focusing', () => {
    const breaks = { break: T0 + 60 * MIN };
    expect(kinds(st(120, { ...focusing, lastBreaks: breaks }))).toEqual([]);
    expect(kinds(st(121, { ...focusing, lastBreaks: breaks }))).toEqual(['no_water', 'no_movement']);
    expect(kinds(st(121, { ...focusing, lastBreaks: { ...breaks, water: T0 + 10 * MIN, movement: T0 - MIN } }))).toEqual(['no_movement']);
    expect(kinds(st(121, { ...focusing, lastBreaks: { ...breaks, meal: T0 + 2 * MIN, movement: T0 + 1 * MIN } }))).toEqual([]);
    expect(kinds(st(500, { lastBreaks: {} }))).toEqual([]);
  });
  it('energy: 3 is low, 4 is not; a stale reading does not count', () => {
    expect(kinds(st(10, { latestEnergy: reading(3, 0) }))).toEqual(['low_energy']);
    expect(kinds(st(10, { latestEnergy: reading(4, 0) }))).toEqual([]);
    expect(kinds(st(360, { latestEnergy: reading(3, 0) }))).toEqual(['low_energy']);
    expect(kinds(st(361, { latestEnergy: reading(3, 0) }))).toEqual([]);
  });
  it('a doing task is stalled after more than 120 min without activity, unless in focus', () => {
    const task = { id: 't1', title: 'Report', lastActivityAt: T0, inFocus: false };
    expect(kinds(st(120, { doingTasks: [task] }))).toEqual([]);
    expect(kinds(st(121, { doingTasks: [task] }))).toEqual(['stalled_task:t1']);
    expect(kinds(st(121, { doingTasks: [{ ...task, inFocus: true }] }))).toEqual([]);
  });
  it('an open episode is stale after more than 240 min without a step', () => {
    const ep = { id: 'e1', task: 'Fix bug', lastActivityAt: T0 };
    expect(kinds(st(240, { openEpisodes: [ep] }))).toEqual([]);
    expect(kinds(st(241, { openEpisodes: [ep] }))).toEqual(['stale_episode:e1']);
    const c = evaluateConditions(st(241, { openEpisodes: [ep] }))[0]!;
    expect(c).toMatchObject({ kind: 'stale_episode', details: { episode_id: 'e1', minutes: 241 } });
    expect(c.message).toContain('Fix bug');
  });
});

describe('reconcileCheckIns', () => {
  const cond = (key: string) => ({ key, kind: 'hyperfocus' as const, severity: 'warning' as const, message: key, details: {} });
  it('creates only conditions without an open check-in and clears those that stopped holding', () => {
    const out = reconcileCheckIns(
      [cond('hyperfocus'), cond('low_energy')],
      [
        { id: 'c1', conditionKey: 'hyperfocus' },
        { id: 'c2', conditionKey: 'no_water' },
      ],
    );
    expect(out.create.map((c) => c.key)).toEqual(['low_energy']);
    expect(out.clearIds).toEqual(['c2']);
  });
  it('does nothing when the state is unchanged', () => {
    expect(reconcileCheckIns([cond('a')], [{ id: 'x', conditionKey: 'a' }])).toEqual({ create: [], clearIds: [] });
  });
});
