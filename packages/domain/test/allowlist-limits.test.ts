import { cpuTime, expectLinear } from '@openmsk/wire/test/linear';
import {
  MAX_LISTED_PROPERTY_ERRORS,
  MAX_SERVER_PROPERTIES_BYTES,
  validateServerProperties,
} from '../src/allowlist';
import { expectBadRequest } from './helpers';

const TOO_LARGE = `The serverProperties parameter is larger than ${MAX_SERVER_PROPERTIES_BYTES} bytes (100 KiB), the most openmsk accepts.`;

describe('serverProperties size limit', () => {
  test('exactly 100 KiB is accepted; one byte more is refused', () => {
    const line = 'num.partitions=3\n';
    const fill = (bytes: number) => line.repeat(Math.floor(bytes / line.length)) + '#'.repeat(bytes % line.length);
    expect(validateServerProperties(fill(MAX_SERVER_PROPERTIES_BYTES), ['3.9.x']).get('num.partitions')).toBe('3');
    expectBadRequest(() => validateServerProperties(fill(MAX_SERVER_PROPERTIES_BYTES + 1), ['3.9.x']), TOO_LARGE, 'serverProperties');
  });

  test('the limit counts UTF-8 bytes, not characters', () => {
    const comment = '#' + 'é'.repeat(MAX_SERVER_PROPERTIES_BYTES / 2); // 2 bytes each: 1 + 100 KiB bytes
    expect(comment.length).toBeLessThan(MAX_SERVER_PROPERTIES_BYTES);
    expectBadRequest(() => validateServerProperties(comment, ['3.9.x']), TOO_LARGE, 'serverProperties');
    expect(validateServerProperties(comment.slice(0, -1), ['3.9.x']).size).toBe(0);
  });

  test('300,000 continuation lines are refused before any parsing, fast', () => {
    // The first line is a syntax error: had the parser run, that would be the answer.
    const text = 'a=\\u12G4\n' + 'a\\\n'.repeat(300_000);
    let ms = 0;
    ms = cpuTime(() => expectBadRequest(() => validateServerProperties(text, ['3.9.x']), TOO_LARGE, 'serverProperties'));
    expect(ms).toBeLessThan(500);
  });
});

describe('error messages stay bounded', () => {
  test('100,000 unknown keys: the first 20 are listed, the rest counted in one last element', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i}`);
    const text = keys.map((k) => `${k}=v`).join('\n'); // ~ 888 KB once was a 16.8 MB message; now under the size limit too
    const small = keys.slice(0, 9_000).map((k) => `${k}=v`).join('\n');
    expect(text.length).toBeGreaterThan(MAX_SERVER_PROPERTIES_BYTES);
    expectBadRequest(() => validateServerProperties(text, ['3.9.x']), TOO_LARGE, 'serverProperties');

    const err = expectBadRequest(() => validateServerProperties(small, ['3.9.x']), /^\[/, 'serverProperties');
    const listed = JSON.parse(err.message);
    expect(listed).toHaveLength(MAX_LISTED_PROPERTY_ERRORS + 1);
    expect(listed.slice(0, 2).map((e: { name: string }) => e.name)).toEqual(['k0', 'k1']);
    expect(listed[MAX_LISTED_PROPERTY_ERRORS]).toEqual({ name: '...', value: '', errorMessages: ['8980 more invalid properties are not listed.'] });
    expect(err.message.length).toBeLessThan(10_000);
  });

  test('twenty bad keys are all listed, with no extra element', () => {
    const text = Array.from({ length: MAX_LISTED_PROPERTY_ERRORS }, (_, i) => `k${i}=v`).join('\n');
    const err = expectBadRequest(() => validateServerProperties(text, ['3.9.x']), /^\[/, 'serverProperties');
    expect(JSON.parse(err.message).map((e: { name: string }) => e.name)).toEqual(Array.from({ length: MAX_LISTED_PROPERTY_ERRORS }, (_, i) => `k${i}`));
  });

  test('one more than the listed maximum names the single one left out', () => {
    const text = Array.from({ length: MAX_LISTED_PROPERTY_ERRORS + 1 }, (_, i) => `k${i}=v`).join('\n');
    const err = expectBadRequest(() => validateServerProperties(text, ['3.9.x']), /^\[/, 'serverProperties');
    expect(JSON.parse(err.message)[MAX_LISTED_PROPERTY_ERRORS].errorMessages).toEqual(['1 more invalid property is not listed.']);
  });
});

describe('echoed names and values are cut at 256 characters', () => {
  test('a 50,000-character value and key come back cut, so the message stays small', () => {
    const value = '1'.repeat(50_000);
    const key = 'k'.repeat(50_000);
    const err = expectBadRequest(() => validateServerProperties(`num.partitions=${value}x\n${key}=v`, ['3.9.x']), /^\[/, 'serverProperties');
    expect(err.message.length).toBeLessThan(2_000);
    const [bad, unknown] = JSON.parse(err.message);
    expect(bad.value).toBe(`${'1'.repeat(256)}...`);
    expect(bad.errorMessages).toEqual([`Value '${'1'.repeat(256)}...' is not valid for key 'num.partitions'. Valid range: [1, 2147483647]`]);
    expect(unknown.name).toBe(`${'k'.repeat(256)}...`);
    expect(unknown.errorMessages[0]).toMatch(new RegExp(`^Key '${'k'.repeat(256)}\\.\\.\\.' is not supported`));
  });

  test('a value of exactly 256 characters is echoed whole', () => {
    const value = 'x'.repeat(256);
    const err = expectBadRequest(() => validateServerProperties(`num.partitions=${value}`, ['3.9.x']), /^\[/, 'serverProperties');
    expect(JSON.parse(err.message)[0].value).toBe(value);
  });
});

describe('value checks are linear in the value', () => {
  // These regular expressions once backtracked quadratically: 40,000 digits took 3.4 s, 40,000 blanks 1.9 s.
  test.each([
    ['a ratio of many digits and a bad end', 'log.cleaner.min.cleanable.ratio', (n: number) => `${'1'.repeat(n)}x`],
    ['a list with a long run of blanks', 'log.cleanup.policy', (n: number) => `compact${' '.repeat(n)}delete`],
    ['a list of many items', 'log.cleanup.policy', (n: number) => Array(n).fill('delete').join(' , ')],
    ['a long integer', 'num.partitions', (n: number) => '9'.repeat(n)],
    ['a long class name', 'replica.selector.class', (n: number) => `${'a.'.repeat(n)}!`],
  ])('%s', (_what, key, value) => {
    expectLinear((n) => `${key}=${value(n)}`, (text) => { try { validateServerProperties(text, ['3.9.x']); } catch { /* refused */ } }, 1_500);
  });
});

describe('values are trimmed and split as Kafka does', () => {
  test.each([
    ['auto.create.topics.enable', 'true\u00a0'],
    ['num.partitions', '\ufeff3'],
    ['log.cleanup.policy', 'compact,\u00a0delete'],
  ])('%s=%j is refused: Java trims only chars up to U+0020, so the broker would refuse it', (key, value) => {
    const err = expectBadRequest(() => validateServerProperties(`${key}=${value}`, ['3.9.x']), /^\[/, 'serverProperties');
    expect(JSON.parse(err.message)[0]).toMatchObject({ name: key, value });
  });

  test.each([
    ['log.cleanup.policy', 'compact \t,\f delete', 'compact \t,\f delete'],
    ['num.partitions', '3\u000b', '3\u000b'],
  ])('%s=%j is accepted', (key, value, stored) => {
    expect(validateServerProperties(`${key}=${value}`, ['3.9.x']).get(key)).toBe(stored);
  });

  test('an empty list item is refused, as ConfigDef keeps trailing empty items', () => {
    expectBadRequest(() => validateServerProperties('log.cleanup.policy=compact,', ['3.9.x']), /comma-separated/, 'serverProperties');
  });
});
