import { CairnError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import type { AdhdContext } from './context.js';
import { buildEnergyReport } from './energy-report.js';
import { assertTimeZone } from './time-zone.js';
import { type AdhdService, ATTENTION_STATES } from './types.js';

/** Default and accepted range of `window_days`. */
export const ENERGY_WINDOW = { default: 14, min: 1, max: 365 } as const;
const DAY = 86_400_000;

/** Energy readings and the report built from them. */
export function createEnergyOps(ctx: AdhdContext): Pick<AdhdService, 'logEnergy' | 'energyReport'> {
  const { energy, tasks } = ctx;

  async function report(ns: string, input: { windowDays?: number; timeZone?: string } = {}, at?: number) {
    const now = at ?? ctx.clock.now();
    const windowDays = input.windowDays ?? ENERGY_WINDOW.default;
    if (!Number.isInteger(windowDays) || windowDays < ENERGY_WINDOW.min || windowDays > ENERGY_WINDOW.max) {
      throw new CairnError('INVALID_INPUT', `window_days: ${windowDays} is out of range; use a whole number from ${ENERGY_WINDOW.min} to ${ENERGY_WINDOW.max}`);
    }
    const timeZone = input.timeZone ?? ctx.config.timeZone;
    assertTimeZone(timeZone);
    const [readings, latest, openSteps] = await Promise.all([
      energy.energyBetween(ns, now - windowDays * DAY, now),
      energy.latestEnergy(ns, now),
      tasks.openLeaves(ns, 50),
    ]);
    return buildEnergyReport({ readings, latest, openSteps, now, timeZone, windowDays, rules: ctx.rules });
  }

  return {
    energyReport: (ns, input = {}) => report(ns, input, ctx.timeOf(input.at)),

    async logEnergy(ns, input) {
      const at = ctx.timeOf(input.at);
      if (!Number.isInteger(input.level) || input.level < 1 || input.level > 10) {
        throw new CairnError('INVALID_INPUT', `level: ${input.level} is out of range; use a whole number from 1 (empty) to 10 (full)`);
      }
      if (!ATTENTION_STATES.includes(input.attention)) {
        throw new CairnError('INVALID_INPUT', `attention: "${input.attention}" is not one of ${ATTENTION_STATES.join(', ')}`);
      }
      const reading = {
        id: uuidv7(at),
        namespace: ns,
        at,
        level: input.level,
        attention: input.attention,
        mood: input.mood ?? null,
        note: input.note ?? null,
        createdAt: ctx.clock.now(),
      };
      await energy.insertEnergy(reading);
      return { reading, report: await report(ns, {}, Math.max(at, ctx.clock.now())) };
    },
  };
}
