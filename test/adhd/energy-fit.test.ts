import { describe, expect, it } from 'vitest';
import { energyBand, fitsEnergy, orderForEnergy } from '../../src/adhd/energy-fit.js';

const step = (name: string, energy: 'low' | 'medium' | 'high' | null, needsFocus = false) => ({ name, energy, needsFocus });

describe('energyBand', () => {
  it.each([
    [1, 'low'],
    [3, 'low'],
    [4, 'medium'],
    [6, 'medium'],
    [7, 'high'],
    [10, 'high'],
  ])('level %d → %s', (level, band) => expect(energyBand(level)).toBe(band));
});

describe('fitsEnergy', () => {
  it('compares demand with the band; unknown demand counts as medium', () => {
    expect(fitsEnergy(step('a', 'high'), 6)).toBe(false);
    expect(fitsEnergy(step('a', 'high'), 7)).toBe(true);
    expect(fitsEnergy(step('a', null), 3)).toBe(false);
    expect(fitsEnergy(step('a', null), 4)).toBe(true);
    expect(fitsEnergy(step('a', 'low'), 1)).toBe(true);
  });
  it('keeps focus-heavy steps away from scattered or depleted attention', () => {
    expect(fitsEnergy(step('a', 'low', true), 9, 'scattered')).toBe(false);
    expect(fitsEnergy(step('a', 'low', true), 9, 'depleted')).toBe(false);
    expect(fitsEnergy(step('a', 'low', true), 9, 'focused')).toBe(true);
    expect(fitsEnergy(step('a', 'low', false), 9, 'scattered')).toBe(true);
  });
});

describe('orderForEnergy', () => {
  const steps = [step('m1', 'medium'), step('h', 'high'), step('l', 'low'), step('m2', 'medium')];
  const names = (level: number | undefined) => orderForEnergy(steps, level).order.map((s) => s.name);
  it('keeps the order without a level', () => {
    expect(names(undefined)).toEqual(['m1', 'h', 'l', 'm2']);
    expect(orderForEnergy(steps, undefined).why).toContain('kept your order');
  });
  it('high energy: hardest first, ties in given order', () => {
    expect(names(8)).toEqual(['h', 'm1', 'm2', 'l']);
  });
  it('medium energy: fitting steps hardest first, then the high step', () => {
    expect(names(5)).toEqual(['m1', 'm2', 'l', 'h']);
    expect(orderForEnergy(steps, 5).why).toContain('1 step needing more energy');
  });
  it('low energy: low first, then the rest easiest first', () => {
    expect(names(2)).toEqual(['l', 'm1', 'm2', 'h']);
  });
});
