/** Markdown coverage table of the SDK's operations, for the docs. */
import { OPERATIONS } from './model';

/** One row per operation (all 64), grouped by path then method; `yes` when the name is in `implemented`. */
export function coverageTable(implemented: Set<string>): string {
  const rows = [...OPERATIONS]
    .sort((a, b) => a.pathTemplate.localeCompare(b.pathTemplate) || a.method.localeCompare(b.method))
    .map((op) => {
      const done = implemented.has(op.name) ? 'yes' : '—';
      return `| ${op.name} | ${op.method} | \`${op.pathTemplate}\` | ${op.status} | ${done} |`;
    });
  return ['| Operation | Method | Path | Status | Implemented |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}
