import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTH_ERRORS, ERROR_SHAPES, MODEL_ERRORS } from '@openmsk/wire';
import { OPENMSK_ERRORS, ROOT, apiErrorCodes, generateDocs, scanErrorSites } from '../../../scripts/gen-docs';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Rows of the markdown table that follows `heading`, as cells. */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const at = lines.indexOf(heading);
  if (at < 0) throw new Error(`no "${heading}" in docs/errors.md`);
  const rows: string[][] = [];
  let i = at + 1;
  while (i < lines.length && !lines[i].startsWith('|')) i++;
  for (i += 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i].split('|').slice(1, -1).map((c) => c.trim()));
  return rows;
}

describe('generated docs', () => {
  const generated = generateDocs();

  test.each(Object.keys(generated))('%s is up to date', (path) => {
    const actual = read(path);
    if (actual !== generated[path]) {
      const a = actual.split('\n');
      const g = generated[path].split('\n');
      const line = a.findIndex((l, i) => l !== g[i]);
      throw new Error(
        `${path} is out of date: run npm run gen:docs\n` +
        `first difference at line ${(line < 0 ? a.length : line) + 1}:\n  file:      ${a[line] ?? '(end)'}\n  generated: ${g[line < 0 ? a.length : line] ?? '(end)'}`,
      );
    }
  });
});

describe('error table', () => {
  const codes = apiErrorCodes();
  const errorsMd = read('docs/errors.md');

  test('every code the API can emit is documented with its status, and nothing else is', () => {
    const rows = tableAfter(errorsMd, '## Error codes');
    const documented = new Map(rows.map(([code, status]) => [code, Number(status)]));
    expect(rows).toHaveLength(documented.size);
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(codes));
    const sections = errorsMd.split('\n').filter((l) => l.startsWith('### ')).map((l) => l.slice(4));
    expect(sections.sort()).toEqual([...codes.keys()].sort());
  });

  test('the set is the model errors, the front-door errors and openmsk\'s two', () => {
    expect([...codes.keys()].sort()).toEqual(
      [...Object.keys(MODEL_ERRORS), ...Object.keys(AUTH_ERRORS), ...Object.keys(OPENMSK_ERRORS)].sort(),
    );
    expect(Object.keys(OPENMSK_ERRORS).sort()).toEqual(['NotImplementedException', 'UnknownOperationException']);
  });

  test('every error the source makes has a documented code, and hand-written answers use its status', () => {
    const sites = scanErrorSites();
    // The scan must see the known kinds of call site, or it would pass vacuously.
    expect(sites.some((s) => s.code === 'BadRequestException' && s.file === 'packages/domain/src/rules/common.ts')).toBe(true);
    expect(sites.some((s) => s.code === 'IncompleteSignatureException' && s.file === 'packages/wire/src/sigv4.ts')).toBe(true);
    expect(sites.filter((s) => s.status !== undefined).map((s) => s.code).sort()).toEqual(Object.keys(OPENMSK_ERRORS).sort());
    for (const s of sites) {
      expect({ code: s.code, file: s.file, documented: codes.has(s.code) }).toEqual({ code: s.code, file: s.file, documented: true });
      if (s.status !== undefined) expect({ code: s.code, status: s.status }).toEqual({ code: s.code, status: codes.get(s.code) });
    }
  });

  test('MODEL_ERRORS carry the statuses of the SDK model', () => {
    for (const [name, status] of Object.entries(MODEL_ERRORS)) {
      expect({ name, status: ERROR_SHAPES[name]?.status }).toEqual({ name, status });
    }
  });
});
