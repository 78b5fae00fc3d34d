import { isCurrentVersion, newCurrentVersion } from '../src/current-version';

test('new versions are K + 13 upper-case alphanumerics and do not repeat', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const v = newCurrentVersion();
    expect(v).toMatch(/^K[A-Z0-9]{13}$/);
    expect(isCurrentVersion(v)).toBe(true);
    seen.add(v);
  }
  expect(seen.size).toBe(1000);
});

test("isCurrentVersion accepts AWS's documented examples", () => {
  for (const v of ['KTVPDKIKX0DER', 'K13V1IB3VIYZZH', 'K12V3IB1VIZHHY', 'K1X5R6FKA87', 'KN1VRQENFRJN5']) expect(isCurrentVersion(v)).toBe(true);
});

test.each([['lower case', 'ktvpdkikx0der'], ['no K', 'XTVPDKIKX0DER'], ['too short', 'K123456789'], ['too long', 'K12345678901234'], ['a counter', '1.0'], ['a number', 7], ['nothing', undefined]])(
  'isCurrentVersion rejects %s',
  (_why, v) => {
    expect(isCurrentVersion(v)).toBe(false);
  },
);
