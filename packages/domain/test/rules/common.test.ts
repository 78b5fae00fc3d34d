import {
  assertClusterState, assertCurrentVersion, assertName, assertTagLimit, validateTagKeys, validateTags,
} from '../../src/rules/common';
import { expectBadRequest } from '../helpers';

describe('assertName', () => {
  test.each(['a', 'Demo-1', '0abc', 'x'.repeat(64), 'a--b-'])('accepts %s', (n) => {
    expect(assertName(n, 'clusterName')).toBe(n);
  });

  test('rejects characters outside the pattern with the real MSK text', () => {
    for (const n of ['Testing_Cluster', '-lead', 'has space', 'dot.ted', 'ünï']) {
      expectBadRequest(() => assertName(n, 'clusterName'), 'The parameter value contains one or more characters that are not valid.', 'clusterName');
    }
  });

  test('rejects empty, too long, missing and non-strings', () => {
    expectBadRequest(() => assertName('', 'name'), 'The name parameter must be between 1 and 64 characters long.', 'name');
    expectBadRequest(() => assertName('x'.repeat(65), 'name'), 'The name parameter must be between 1 and 64 characters long.', 'name');
    expectBadRequest(() => assertName(undefined, 'clusterName'), 'The clusterName parameter is required.', 'clusterName');
    expectBadRequest(() => assertName(5, 'clusterName'), 'The clusterName parameter must be a string.', 'clusterName');
  });
});

describe('tags', () => {
  test('accepts up to 50 tags within the limits', () => {
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, `v ${i}`]));
    expect(validateTags(tags)).toEqual(tags);
    expect(validateTags(undefined)).toEqual({});
    expect(validateTags({ ['k'.repeat(128)]: 'v'.repeat(256), 'env:team/é+=@_.-': '' })).toBeTruthy();
  });

  test('rejects more than 50 tags', () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expectBadRequest(() => validateTags(tags), 'A resource can have at most 50 tags.', 'tags');
  });

  test('rejects bad keys', () => {
    expectBadRequest(() => validateTags({ '': 'v' }), "Tag keys must be between 1 and 128 characters long: ''.", 'tags');
    expectBadRequest(() => validateTags({ ['k'.repeat(129)]: 'v' }), /^Tag keys must be between 1 and 128/, 'tags');
    expectBadRequest(() => validateTags({ 'aws:owner': 'v' }), "Tag keys can't start with the reserved prefix 'aws:': 'aws:owner'.", 'tags');
    expectBadRequest(() => validateTags({ 'AWS:owner': 'v' }), /reserved prefix/, 'tags');
    expectBadRequest(() => validateTags({ 'a;b': 'v' }), "Tag key 'a;b' contains characters that are not valid.", 'tags');
  });

  test('rejects bad values and non-maps', () => {
    expectBadRequest(() => validateTags({ k: 'v'.repeat(257) }), "The value of tag 'k' must be a string of at most 256 characters.", 'tags');
    expectBadRequest(() => validateTags({ k: 1 }), "The value of tag 'k' must be a string of at most 256 characters.", 'tags');
    expectBadRequest(() => validateTags({ k: 'a*b' }), "The value of tag 'k' contains characters that are not valid.", 'tags');
    expectBadRequest(() => validateTags(['k']), 'The tags parameter must be a map of strings.', 'tags');
  });

  test('tagKeys: a single query value or a list, each a valid key', () => {
    expect(validateTagKeys('a')).toEqual(['a']);
    expect(validateTagKeys(['b', 'a'])).toEqual(['b', 'a']);
    expectBadRequest(() => validateTagKeys([]), 'The tagKeys parameter is required.', 'tagKeys');
    expectBadRequest(() => validateTagKeys(['aws:x']), /reserved prefix/, 'tagKeys');
  });

  test('the merged tag set must stay within 50', () => {
    expect(() => assertTagLimit({ a: '1' })).not.toThrow();
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expectBadRequest(() => assertTagLimit(tags), 'A resource can have at most 50 tags.', 'tags');
  });
});

describe('cluster state and currentVersion', () => {
  test('allowed states pass; others name the state', () => {
    expect(() => assertClusterState('ACTIVE', ['ACTIVE'])).not.toThrow();
    expectBadRequest(() => assertClusterState('UPDATING', ['ACTIVE']), "You can't update a cluster in UPDATING state.", 'clusterArn');
    expectBadRequest(
      () => assertClusterState('FAILED', ['ACTIVE', 'UPDATING'], 'get bootstrap broker nodes for'),
      "You can't get bootstrap broker nodes for a cluster in FAILED state.",
      'clusterArn',
    );
  });

  test("a stale currentVersion gets MSK's own message", () => {
    expect(() => assertCurrentVersion('KTVPDKIKX0DER', 'KTVPDKIKX0DER')).not.toThrow();
    expectBadRequest(
      () => assertCurrentVersion('KTVPDKIKX0DER', 'K1X5R6FKA87'),
      "The version of the cluster isn't current. Check the current version and try again.",
      'currentVersion',
    );
    expectBadRequest(() => assertCurrentVersion('KTVPDKIKX0DER', undefined), 'The currentVersion parameter is required.', 'currentVersion');
  });
});
