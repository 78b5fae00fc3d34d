import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * Write-then-rename, so a node never reads half a file; the mode holds even when replacing. An
 * unchanged file is left alone, so its mtime tells when the content last changed (rolls read it).
 */
export function writeFileAtomic(file: string, text: string, mode = 0o644): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) {
    chmodSync(file, mode);
    return;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}
