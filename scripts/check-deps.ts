/**
 * Every package a workspace imports is declared in its package.json (npm test runs this): `src/` imports in
 * `dependencies`, test imports in `dependencies` or `devDependencies` (the root's devDependencies count for tests:
 * jest, types and the SDK are installed once there). The root's own scripts/, bench/ and config files are checked
 * against the root package.json. Hoisting would otherwise hide an undeclared import until the package is used alone.
 */
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..');
const BUILTINS = new Set(builtinModules);

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** The package an import specifier names, or undefined for relative paths and node's own modules. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return BUILTINS.has(name) ? undefined : name;
}

function tsFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return path.endsWith('.ts') || path.endsWith('.js') ? [path] : [];
  return readdirSync(path).flatMap((n) => (n === 'node_modules' || n === 'generated' ? [] : tsFiles(join(path, n))));
}

function importsOf(files: string[]): Map<string, string> {
  const used = new Map<string, string>(); // package -> first file importing it
  for (const file of files) {
    // TypeScript's own scan: imports and re-exports (type-only ones too: their types must resolve), import(), require().
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      const name = packageOf(fileName);
      if (name && !used.has(name)) used.set(name, relative(ROOT, file));
    }
  }
  return used;
}

/** Imports that the importing package does not declare, as "<package.json>: <name> (imported by <file>)". */
export function undeclaredImports(root: string = ROOT): string[] {
  const top = manifest(root);
  const rootDev = new Set(Object.keys(top.devDependencies ?? {}));
  const problems: string[] = [];
  const check = (dir: string, m: Manifest, files: string[], allowed: Set<string>) => {
    for (const [name, file] of importsOf(files)) {
      if (name !== m.name && !allowed.has(name)) problems.push(`${relative(root, join(dir, 'package.json'))}: ${name} (imported by ${file})`);
    }
  };
  for (const top of ['apps', 'packages']) {
    for (const unit of readdirSync(join(root, top)).sort()) {
      const dir = join(root, top, unit);
      if (!existsSync(join(dir, 'package.json'))) continue;
      const m = manifest(dir);
      const runtime = new Set([...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})]);
      check(dir, m, tsFiles(join(dir, 'src')), runtime);
      check(dir, m, tsFiles(join(dir, 'test')), new Set([...runtime, ...Object.keys(m.devDependencies ?? {}), ...rootDev]));
    }
  }
  const rootFiles = ['scripts', 'bench', 'prisma.config.ts', 'jest.config.js'].flatMap((p) => tsFiles(join(root, p)));
  check(root, top, rootFiles, new Set([...Object.keys(top.dependencies ?? {}), ...rootDev]));
  return problems;
}

if (require.main === module) {
  const problems = undeclaredImports();
  for (const p of problems) console.error(`[check-deps] undeclared: ${p}`);
  if (problems.length > 0) process.exit(1);
  console.log('[check-deps] every import is declared');
}
