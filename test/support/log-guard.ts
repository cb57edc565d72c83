import { afterAll, expect } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { watchChildLines } from '../../dev/child-process.ts';
import { holdsSecret } from '../../dev/secret-shapes.ts';
import { ADMIN } from '../conformance/admin.ts';

/**
 * Every log line of the test run, in process (the harness's loggers) and from every
 * child server, is checked for secrets: the shapes of password hashes, webhook secrets
 * and JWTs, and the passwords and signing keys the tests configure. A line with one
 * fails the file that produced it.
 */
const known = new Set<string>([ADMIN.password, DEMO_PASSWORD]);
const found: string[] = [];

/** Adds values (passwords, keys) the guard looks for besides the shapes. */
export function guardSecrets(...secrets: string[]): void {
  for (const secret of secrets) if (secret.length >= 8) known.add(secret);
}

/** Whether a line holds a secret's shape or one of the known secrets. */
export const holdsKnownSecret = (line: string): boolean => holdsSecret(line, known);

function check(line: string, source: string): void {
  if (holdsKnownSecret(line)) found.push(`${source}: ${line.slice(0, 400)}`);
}

/** A logger sink that checks each line and keeps none. */
export const guardedWrite = (line: string) => check(line, 'log');

/** Registers the checks for this file: children's JSON log lines (not the demo banner), and the verdict. */
export function installLogGuard(): void {
  const unwatch = watchChildLines((line, child) => {
    if (line.trimStart().startsWith('{')) check(line, child);
  });
  afterAll(() => {
    unwatch();
    const leaks = found.splice(0);
    expect(leaks, 'log lines with a secret in them').toEqual([]);
  });
}
