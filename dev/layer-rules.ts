/**
 * The tiers of the code base and the one direction imports flow between them, checked
 * over every import statement (type-only imports included) by `npm run layers` and by
 * `test/deploy/layers.test.ts`.
 *
 *   api/entries → api/server → api → jobs → core → db → vocabulary
 *
 * A module may import its own tier and any tier below it. The dashboard (`web/`) may
 * import `vocabulary/` and, as types only, the tiers the API client is typed from.
 * Tooling (`dev/`, `bench/`, `test/`, test files and test folders) may import anything;
 * nothing in the product imports tooling.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Highest first; a path belongs to the first tier whose prefix it starts with. */
export const TIERS = [
  { name: 'entries', prefix: 'api/entries/' },
  { name: 'server', prefix: 'api/server/' },
  { name: 'api', prefix: 'api/' },
  { name: 'jobs', prefix: 'jobs/' },
  { name: 'core', prefix: 'core/' },
  { name: 'db', prefix: 'db/' },
  { name: 'vocabulary', prefix: 'vocabulary/' },
] as const;

const WEB_VALUE_IMPORTS = ['vocabulary'];

export interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Test files, test folders and the tooling folders: they may import anything. */
export function isTooling(path: string): boolean {
  return (
    /\.test\.tsx?$/.test(path) ||
    /(^|\/)test\//.test(path) ||
    path.startsWith('dev/') ||
    path.startsWith('bench/') ||
    path.startsWith('test/')
  );
}

export function tierOf(path: string): { name: string; rank: number } | undefined {
  const rank = TIERS.findIndex((tier) => path.startsWith(tier.prefix));
  return rank < 0 ? undefined : { name: TIERS[rank]?.name as string, rank };
}

/** Every relative import of the repository's TypeScript files, resolved to repository paths. */
export function repositoryImports(root: string): Import[] {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.tsx'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => file && existsSync(join(root, file)));
  const imports: Import[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const add = (specifier: string, typeOnly: boolean) => {
      if (!specifier.startsWith('.')) return;
      const to = relative(root, resolve(root, dirname(file), specifier))
        .split('\\')
        .join('/');
      imports.push({ from: file, to, typeOnly });
    };
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const clause = node.importClause;
        const allTypes =
          clause?.isTypeOnly ||
          (clause !== undefined &&
            !clause.name &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly));
        add(node.moduleSpecifier.text, Boolean(allTypes));
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, node.isTypeOnly);
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        add(node.arguments[0].text, false);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
        const literal = node.argument.literal;
        if (ts.isStringLiteral(literal)) add(literal.text, true);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return imports;
}

/** The imports that break the rules, each with why. */
export function layerViolations(imports: Import[]): string[] {
  const found: string[] = [];
  for (const { from, to, typeOnly } of imports) {
    if (isTooling(from)) continue;
    const line = `${from} imports ${to}`;
    if (isTooling(to)) {
      found.push(`${line}: the product never imports tooling (dev/, bench/, test/)`);
      continue;
    }
    if (from.startsWith('web/')) {
      const target = tierOf(to);
      if (target && !WEB_VALUE_IMPORTS.includes(target.name) && !typeOnly) {
        found.push(`${line}: the dashboard imports only vocabulary/ and types`);
      }
      continue;
    }
    const source = tierOf(from);
    const target = tierOf(to);
    if (!source || !target) {
      if (source && to.startsWith('web/')) found.push(`${line}: the ${source.name} tier does not import the dashboard`);
      continue;
    }
    if (target.rank < source.rank) {
      found.push(`${line}: ${source.name} is below ${target.name} (${TIERS.map((t) => t.name).join(' → ')})`);
    }
  }
  return found;
}

/** Folder-to-folder import counts of the product (tooling left out), at `depth` path segments. */
export function folderGraph(imports: Import[], depth = 1): Map<string, number> {
  const folder = (path: string) => {
    const parts = path.split('/');
    return parts.length <= depth ? posix.dirname(path) : parts.slice(0, depth).join('/');
  };
  const edges = new Map<string, number>();
  for (const { from, to } of imports) {
    if (isTooling(from) || isTooling(to) || to.startsWith('node_modules/')) continue;
    const a = folder(from);
    const b = folder(to);
    if (a === b || a === '.' || b === '.') continue;
    const key = `${a} → ${b}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  }
  return edges;
}

/** Pairs of folders (at every depth up to `maxDepth`) that import each other, with one import each way. */
export function folderCycles(imports: Import[], maxDepth = 5): string[] {
  const cycles: string[] = [];
  for (let depth = 1; depth <= maxDepth; depth++) {
    const folder = (path: string) => path.split('/').slice(0, depth).join('/');
    const example = new Map<string, string>();
    for (const { from, to } of imports) {
      if (isTooling(from) || isTooling(to)) continue;
      if (from.split('/').length <= depth || to.split('/').length <= depth) continue; // a file, not a folder, at this depth
      const a = folder(from);
      const b = folder(to);
      if (a !== b && !example.has(`${a}|${b}`)) example.set(`${a}|${b}`, `${from} → ${to}`);
    }
    for (const [key, one] of example) {
      const [a, b] = key.split('|') as [string, string];
      const back = example.get(`${b}|${a}`);
      if (back && a < b) cycles.push(`${a} ⇄ ${b}: ${one}, and ${back}`);
    }
  }
  return cycles;
}

function main(): void {
  const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
  const imports = repositoryImports(root);
  const depth = Number(process.argv[2] ?? 1);
  console.log(`Imports between folders (depth ${depth}; tooling left out):`);
  for (const [edge, count] of [...folderGraph(imports, depth)].sort()) console.log(`  ${edge.padEnd(44)} ${count}`);
  const problems = [...layerViolations(imports), ...folderCycles(imports)];
  if (problems.length) {
    console.error(`\n${problems.length} layering problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log(`\nNo import runs upward (${TIERS.map((t) => t.name).join(' → ')}) and no folders import each other.`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === new URL(import.meta.url).pathname) main();
