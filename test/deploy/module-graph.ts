import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ModuleGraph {
  /** Repository-relative paths of every source file the entries load at run time. */
  files: string[];
  /** Bare specifiers they import (packages and `node:` built-ins). */
  packages: string[];
}

/** Specifiers a module loads at run time: `import type` and `export type` are erased and left out. */
function runtimeSpecifiers(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Follows the imports of `entries` (repository-relative) through the repository's own
 * files, the way Node with tsx loads them: relative specifiers with their extension.
 */
export function moduleGraph(root: string, entries: string[]): ModuleGraph {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((entry) => resolve(root, entry));
  while (queue.length) {
    const path = queue.pop() as string;
    const rel = relative(root, path);
    if (files.has(rel)) continue;
    if (!existsSync(path)) throw new Error(`${rel} is imported but does not exist`);
    files.add(rel);
    if (!/\.[cm]?[jt]sx?$/.test(path)) continue; // JSON and other assets have no imports
    for (const specifier of runtimeSpecifiers(path)) {
      if (specifier.startsWith('.')) queue.push(resolve(dirname(path), specifier));
      else packages.add(specifier);
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`); undefined for `node:` built-ins. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
