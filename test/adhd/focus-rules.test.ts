import { describe, expect, it } from 'vitest';
import { type FocusState, focusStatus, interruptibility, streakStart } from '../../src/adhd/focus-rules.js';
import { DEFAULT_RULES, type EnergyReading, type FocusSession } from '../../src/adhd/types.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0);
const session = (id: string, start: number, end: number | null = null): FocusSession => ({
  id,
  namespace: 'n',
  taskId: null,
  topic: 'x',
  startedAt: T0 + start * MIN,
  endedAt: end === null ? null : T0 + end * MIN,
});
const energy = (level: number, attention: EnergyReading['attention'], at: number): EnergyReading => ({
  id: 'e',
  namespace: 'n',
  level,
  attention,
  at: T0 + at * MIN,
  mood: null,
  note: null,
  createdAt: 0,
});
const state = (over: Partial<FocusState> & { nowMin: number }): FocusState => {
  const active = over.active === undefined ? session('s', 0) : over.active;
  return {
    now: T0 + over.nowMin * MIN,
    active,
    sessions: over.sessions ?? (active ? [active] : []),
    lastBreaks: over.lastBreaks ?? {},
    latestEnergy: over.latestEnergy ?? null,
    rules: DEFAULT_RULES,
  };
};

describe('hyperfocus', () => {
  it('90 minutes is not hyperfocus; 91 is', () => {
    expect(focusStatus(state({ nowMin: 90 })).hyperfocus).toBe(false);
    expect(focusStatus(state({ nowMin: 91 })).hyperfocus).toBe(true);
    expect(focusStatus(state({ nowMin: 91 })).continuousMinutes).toBe(91);
  });
  it('one millisecond past 90 minutes already counts (strictly greater)', () => {
    const s = state({ nowMin: 90 });
    expect(focusStatus({ ...s, now: s.now + 1 }).hyperfocus).toBe(true);
  });
  it('a break, movement or meal resets the clock; water does not', () => {
    expect(focusStatus(state({ nowMin: 120, lastBreaks: { break: T0 + 60 * MIN } })).hyperfocus).toBe(false);
    expect(focusStatus(state({ nowMin: 120, lastBreaks: { movement: T0 + 60 * MIN } })).continuousMinutes).toBe(60);
    expect(focusStatus(state({ nowMin: 120, lastBreaks: { meal: T0 + 29 * MIN } })).hyperfocus).toBe(true);
    expect(focusStatus(state({ nowMin: 120, lastBreaks: { water: T0 + 100 * MIN } })).hyperfocus).toBe(true);
  });
  it('a break before the session started does not shorten it', () => {
    expect(focusStatus(state({ nowMin: 95, lastBreaks: { break: T0 - 10 * MIN } })).continuousMinutes).toBe(95);
  });
  it('is never reported without an active session', () => {
    const st = focusStatus(state({ nowMin: 500, active: null, sessions: [session('old', 0, 400)] }));
    expect(st).toMatchObject({ hyperfocus: false, elapsedMinutes: null, continuousMinutes: null, withoutWaterMinutes: null });
  });
});

describe('streakStart', () => {
  it('joins sessions separated by less than 15 minutes (task switches are not breaks)', () => {
    const a = session('a', 0, 50);
    const b = session('b', 64);
    expect(streakStart(b, [a, b], 15)).toBe(T0);
    const c = session('c', 65);
    expect(streakStart(c, [a, c], 15)).toBe(T0 + 65 * MIN);
  });
  it('chains through several sessions and is null without an active one', () => {
    const list = [session('a', 0, 30), session('b', 35, 60), session('c', 70)];
    expect(streakStart(list[2]!, list, 15)).toBe(T0);
    expect(streakStart(null, list, 15)).toBeNull();
  });
  it('makes two short sessions add up to hyperfocus', () => {
    const a = session('a', 0, 50);
    const b = session('b', 55);
    expect(focusStatus(state({ nowMin: 91, active: b, sessions: [a, b] })).hyperfocus).toBe(true);
  });
});

describe('interruptibility', () => {
  it('never during hyperfocus, whatever the energy', () => {
    expect(interruptibility('hyperfocus', 1).interruptible).toBe(false);
  });
  it('when focused (or in flow) only at energy ≤ 3', () => {
    expect(interruptibility('focused', 3).interruptible).toBe(true);
    expect(interruptibility('focused', 4).interruptible).toBe(false);
    expect(interruptibility('flow', 3).interruptible).toBe(true);
    expect(interruptibility('flow', 4).interruptible).toBe(false);
    expect(interruptibility('focused', null).interruptible).toBe(false);
  });
  it('always when scattered, depleted or not focusing', () => {
    expect(interruptibility('scattered', 10).interruptible).toBe(true);
    expect(interruptibility('depleted', 10).interruptible).toBe(true);
    expect(interruptibility('neutral', 10).interruptible).toBe(true);
    expect(interruptibility(null, null).interruptible).toBe(true);
  });
});

describe('focusStatus attention and energy', () => {
  it('treats an active session as focused and uses a fresh energy level', () => {
    const st = focusStatus(state({ nowMin: 30, latestEnergy: energy(3, 'neutral', 10) }));
    expect(st).toMatchObject({ attention: 'focused', energy: 3, interruptible: true });
    expect(focusStatus(state({ nowMin: 30, latestEnergy: energy(4, 'neutral', 10) })).interruptible).toBe(false);
  });
  it('detected hyperfocus overrides a reported scattered state', () => {
    const st = focusStatus(state({ nowMin: 100, latestEnergy: energy(2, 'scattered', 95) }));
    expect(st).toMatchObject({ attention: 'hyperfocus', interruptible: false });
  });
  it('a scattered report during a session keeps it interruptible', () => {
    expect(focusStatus(state({ nowMin: 30, latestEnergy: energy(8, 'scattered', 20) }))).toMatchObject({ attention: 'scattered', interruptible: true });
  });
  it('ignores an attention report from before the session or older than an hour', () => {
    expect(focusStatus(state({ nowMin: 30, active: session('s', 10), latestEnergy: energy(8, 'scattered', 5) })).attention).toBe('focused');
    expect(focusStatus(state({ nowMin: 80, active: null, latestEnergy: energy(8, 'hyperfocus', 19) })).attention).toBeNull();
    expect(focusStatus(state({ nowMin: 80, active: null, latestEnergy: energy(8, 'hyperfocus', 20) })).attention).toBe('hyperfocus');
  });
  it('drops an energy level older than six hours', () => {
    expect(focusStatus(state({ nowMin: 400, active: null, latestEnergy: energy(2, 'neutral', 39) })).energy).toBeNull();
    expect(focusStatus(state({ nowMin: 400, active: null, latestEnergy: energy(2, 'neutral', 40) })).energy).toBe(2);
  });
  it('reports minutes since each kind of break, and suggestions', () => {
    const st = focusStatus(state({ nowMin: 125, lastBreaks: { water: T0 - 5 * MIN, break: T0 + 100 * MIN } }));
    expect(st.minutesSince).toEqual({ break: 25, water: 130, movement: null, meal: null });
    expect(st.withoutWaterMinutes).toBe(125);
    expect(st.withoutMovementMinutes).toBe(125);
    expect(st.suggestions.join(' ')).toMatch(/water.*125 min.*movement/);
  });
});
