import { parseProperties, PropertiesSyntaxError, propertiesToMap, renderProperties } from '../src/properties';
import { cpuTime, expectLinear } from '@openmsk/wire/test/linear';

const kv = (text: string) => parseProperties(text).map(({ key, value }) => [key, value]);

describe('parseProperties', () => {
  test('accepts every separator Java accepts', () => {
    expect(kv('a=1\nb = 2\nc:3\nd 4\ne\t=\t5\nf  :  6\ng\n h =')).toEqual([
      ['a', '1'], ['b', '2'], ['c', '3'], ['d', '4'], ['e', '5'], ['f', '6'], ['g', ''], ['h', ''],
    ]);
  });

  test('only the first separator splits; the rest belongs to the value', () => {
    expect(kv('a=b=c\nx::y\nk = = v')).toEqual([['a', 'b=c'], ['x', ':y'], ['k', '= v']]);
  });

  test('skips comments and blank lines, with leading whitespace', () => {
    expect(kv('# c\n  ! also\n\n   \t\na=1\n   #not=a key\n')).toEqual([['a', '1']]);
  });

  test('a comment ending in a backslash does not swallow the next line', () => {
    expect(kv('# comment \\\na=1')).toEqual([['a', '1']]);
  });

  test('joins continuation lines, dropping their leading whitespace', () => {
    expect(kv('list = one, \\\n    two, \\\n\tthree\nnext=1')).toEqual([['list', 'one, two, three'], ['next', '1']]);
  });

  test('a continued line starting with # is content, not a comment', () => {
    expect(kv('a=x\\\n#y')).toEqual([['a', 'x#y']]);
  });

  test('an even number of trailing backslashes is an escaped backslash, not a continuation', () => {
    expect(kv('a=x\\\\\nb=y')).toEqual([['a', 'x\\'], ['b', 'y']]);
    expect(kv('a=x\\\\\\\ny')).toEqual([['a', 'x\\y']]);
  });

  test('an empty continuation line ends the logical line; a backslash at EOF is dropped', () => {
    expect(kv('a=b\\\n\nc=d')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(kv('a=b\\')).toEqual([['a', 'b']]);
  });

  test('decodes escapes in keys and values', () => {
    expect(kv('a\\=b=c\nx\\ y=z\nk\\:1=v\nt=1\\t2\\n3\\r\\f\nu=\\u0041\\u00e9\nq=\\q\\\\')).toEqual([
      ['a=b', 'c'], ['x y', 'z'], ['k:1', 'v'], ['t', '1\t2\n3\r\f'], ['u', 'Aé'], ['q', 'q\\'],
    ]);
  });

  test('keeps trailing whitespace of values, as Java does', () => {
    expect(kv('a = b  ')).toEqual([['a', 'b  ']]);
  });

  test('handles CRLF and CR line endings and a leading BOM', () => {
    expect(kv('\uFEFFa=1\r\nb=2\rc=3')).toEqual([['a', '1'], ['b', '2'], ['c', '3']]);
  });

  test('reports the line where each logical line starts', () => {
    expect(parseProperties('# x\n\na=1\\\n 2\nb=3').map((e) => e.line)).toEqual([3, 5]);
  });

  test('a malformed \\u escape is a syntax error with its line', () => {
    let err: unknown;
    try {
      parseProperties('a=1\nb=\\u12G4');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PropertiesSyntaxError);
    expect((err as PropertiesSyntaxError).line).toBe(2);
    expect((err as Error).message).toBe('Malformed \\uxxxx encoding.');
  });

  test('keeps duplicates in order; propertiesToMap lets the last one win at the first position', () => {
    const entries = parseProperties('a=1\nb=2\na=3');
    expect(entries.map((e) => e.value)).toEqual(['1', '2', '3']);
    expect([...propertiesToMap(entries)]).toEqual([['a', '3'], ['b', '2']]);
  });
});

describe('renderProperties', () => {
  test('writes key=value lines in order', () => {
    expect(renderProperties(new Map([['b', '2'], ['a', '1']]))).toBe('b=2\na=1\n');
    expect(renderProperties({ x: 'y' })).toBe('x=y\n');
    expect(renderProperties(new Map())).toBe('');
  });

  test('escapes like Java store(): spaces in keys, leading space of values, separators, non-ASCII', () => {
    expect(renderProperties(new Map([['a b', ' v w']]))).toBe('a\\ b=\\ v w\n');
    expect(renderProperties(new Map([['k', 'x=y:z#!\\']]))).toBe('k=x\\=y\\:z\\#\\!\\\\\n');
    expect(renderProperties(new Map([['k', 'é\n\u0001']]))).toBe('k=\\u00E9\\n\\u0001\n');
  });

  test('round-trips awkward keys and values through the parser', () => {
    const m = new Map([
      ['key with spaces', '  leading and trailing  '],
      ['a=b:c', '#not a comment'],
      ['!bang', 'multi\nline\ttab\r\f'],
      ['unicode', 'héllo 😀'],
      ['empty', ''],
      ['back\\slash', 'ends with \\'],
    ]);
    expect(propertiesToMap(parseProperties(renderProperties(m)))).toEqual(m);
  });
});

describe('parseProperties on hostile input', () => {
  // Each case once took time quadratic in its size (200,000 continuation lines: 11 s).
  test.each([
    ['continuation lines', (n: number) => 'a\\\n'.repeat(n)],
    ['continuation lines with leading blanks', (n: number) => 'k = v\\\n      '.repeat(n)],
    ['one long run of escaped backslashes', (n: number) => `k=${'\\\\'.repeat(n)}\n`],
    ['one long run of escapes', (n: number) => `k${'\\t'.repeat(n)}=${'\\n'.repeat(n)}`],
    ['many short lines', (n: number) => 'k=v\n'.repeat(n)],
  ])('%s: work proportional to the input', (_what, make) => {
    expectLinear(make, (text) => parseProperties(text), 25_000);
  });

  test('300,000 continuation lines parse into one logical line, fast', () => {
    const text = 'key=' + 'a\\\n'.repeat(300_000) + 'end';
    let entries: ReturnType<typeof parseProperties> = [];
    // Linear code needs well under 100 ms of CPU here; the quadratic join needed about 26 s.
    expect(cpuTime(() => { entries = parseProperties(text); })).toBeLessThan(2_000);
    expect(entries).toHaveLength(1);
    expect(entries[0].value).toBe('a'.repeat(300_000) + 'end');
  });

  test('joining keeps its meaning: odd runs continue, even runs are escaped backslashes', () => {
    expect(kv('a=1\\\n\\\\\\\n2\nb=\\\n\\\\\nc=3')).toEqual([['a', '1\\2'], ['b', '\\'], ['c', '3']]);
  });
});
