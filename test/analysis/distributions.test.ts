import { describe, expect, it } from 'vitest';
import {
  chiSquareCdf,
  chiSquareSf,
  fCdf,
  fSf,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
} from '../../src/analysis/distributions.js';
import { erfc, lnGamma, regularizedBeta } from '../../src/analysis/special.js';

describe('special functions', () => {
  it('lnGamma matches known values', () => {
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
  });

  it('regularized incomplete beta: closed forms and symmetry', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(a, b) = 1 − I_{1−x}(b, a)
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedBeta(0.7, 3, 1)).toBeCloseTo(0.343, 14);
    expect(regularizedBeta(0.2, 2.5, 4)).toBeCloseTo(1 - regularizedBeta(0.8, 4, 2.5), 14);
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });

  it('erfc in both tails', () => {
    expect(erfc(0)).toBeCloseTo(1, 15);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 14);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 14);
    expect(erfc(5) / 1.5374597944280349e-12).toBeCloseTo(1, 12);
  });
});

describe('normal distribution', () => {
  it('CDF and quantile match standard tables', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-8) / 6.22096057427174e-16).toBeCloseTo(1, 10);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 15);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 11);
  });

  it('quantile inverts the CDF across the range', () => {
    for (const p of [1e-12, 1e-5, 0.01, 0.2, 0.5, 0.8, 0.99, 1 - 1e-9]) {
      expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 9);
    }
  });
});

describe('Student t distribution', () => {
  it('two-sided p-values match the published table (t = 2.228, df = 10 → p = 0.05)', () => {
    expect(studentTTwoSidedP(2.228, 10)).toBeCloseTo(0.05, 4);
    expect(studentTTwoSidedP(2.228, 10)).toBeCloseTo(0.05001177181711132, 12);
    expect(studentTTwoSidedP(12.706, 1)).toBeCloseTo(0.05, 4);
    expect(studentTTwoSidedP(2.75, 30)).toBeCloseTo(0.01, 4);
    expect(studentTTwoSidedP(0, 5)).toBe(1);
  });

  it('CDF is symmetric and increasing', () => {
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 15);
    expect(studentTCdf(-1.5, 7) + studentTCdf(1.5, 7)).toBeCloseTo(1, 14);
    expect(studentTCdf(2.015, 5)).toBeCloseTo(0.95, 4);
  });

  it('quantiles match the published table', () => {
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 10);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174694, 9);
    expect(studentTQuantile(0.995, 30)).toBeCloseTo(2.7499956535672254, 10);
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.0150483733330233, 10);
    expect(studentTQuantile(0.999, 3)).toBeCloseTo(10.214531852407383, 9);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228138851986274, 10);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 5);
  });
});

describe('F distribution', () => {
  it('CDF at published critical values', () => {
    expect(fCdf(3.708, 3, 10)).toBeCloseTo(0.95, 4); // F(0.95; 3, 10) = 3.708
    expect(fCdf(3.7082648190468435, 3, 10)).toBeCloseTo(0.95, 12);
    expect(fCdf(5.848931924611135, 2, 20)).toBeCloseTo(0.99, 12); // F(0.99; 2, 20) = 5.849
    expect(fCdf(161.4476387975882, 1, 1)).toBeCloseTo(0.95, 12); // F(0.95; 1, 1) = 161.4
    expect(fCdf(1, 5, 5)).toBeCloseTo(0.5, 14); // median of F(d, d) is 1
  });

  it('survival function keeps precision for tiny p-values', () => {
    expect(fSf(50, 4, 100) / 4.782480787238303e-23).toBeCloseTo(1, 8);
    expect(fSf(2.5, 3, 12) + fCdf(2.5, 3, 12)).toBeCloseTo(1, 14);
  });
});

describe('chi-square distribution', () => {
  it('CDF at published critical values', () => {
    expect(chiSquareCdf(3.841458820694124, 1)).toBeCloseTo(0.95, 12);
    expect(chiSquareCdf(18.307038053275146, 10)).toBeCloseTo(0.95, 12);
    expect(chiSquareSf(30, 5) / 1.4748581038443073e-5).toBeCloseTo(1, 10);
  });
});
