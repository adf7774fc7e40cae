/**
 * The known-failures list: entries are per element, each with a reason, and
 * the comparison that honours them still checks every other element and
 * fails on a listed element that matches (a stale entry).
 */
import { describe, expect, test } from 'vitest';
import { FORWARD_TOL } from './helpers/compare.js';
import type { KnownFailure } from './known_failures.js';
import { knownElements, knownFailures, mismatchesExceptKnown } from './known_failures.js';

describe('known failures', () => {
  test('every entry names its elements and gives a reason', () => {
    for (const f of knownFailures) {
      expect(f.elements.length, `${f.op} / ${f.test}`).toBeGreaterThan(0);
      expect(f.elements.every((e) => Number.isInteger(e) && e >= 0), `${f.op} / ${f.test}`).toBe(true);
      expect(f.reason.length, `${f.op} / ${f.test}`).toBeGreaterThan(40);
    }
  });

  // A made-up entry: the checks below exercise the mechanism, not the (possibly empty) list.
  const backend = 'webgpu';
  const op = 'someOp special values';
  const label = 'some case';
  const list: KnownFailure[] = [{ backend, op, test: label, elements: [1, 4], reason: 'a made-up platform limit, for this test of the mechanism only' }];
  const known = [...knownElements(backend, op, label, list).keys()];
  const n = 7;
  const expected = Array.from({ length: n }, (_, i) => i / 7);

  test('listed elements are left out, every other one is compared', () => {
    const actual = expected.map((v, i) => (known.includes(i) ? v + 1 : v));
    expect(mismatchesExceptKnown(backend, op, label, actual, expected, FORWARD_TOL, list)).toBeNull();
    const other = expected.findIndex((_, i) => !known.includes(i));
    const wrong = actual.map((v, i) => (i === other ? v + 1 : v));
    expect(mismatchesExceptKnown(backend, op, label, wrong, expected, FORWARD_TOL, list)).toMatch(new RegExp(`\\[${other}\\] got`));
  });

  test('a listed element that matches fails as stale', () => {
    const actual = expected.map((v, i) => (i === known[0] ? v : known.includes(i) ? v + 1 : v));
    expect(mismatchesExceptKnown(backend, op, label, actual, expected, FORWARD_TOL, list)).toMatch(/matches .*remove the stale entry/);
  });

  test('other backends, ops and cases compare every element', () => {
    const actual = expected.map((v, i) => (i === known[0] ? v + 1 : v));
    for (const [b, o, t] of [['cpu', op, label], [backend, `${op}x`, label], [backend, op, `${label}x`]]) {
      expect(mismatchesExceptKnown(b, o, t, actual, expected, FORWARD_TOL, list), `${b} ${o} ${t}`).toMatch(/1\/\d+ elements differ/);
    }
  });
});
