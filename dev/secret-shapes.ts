/** The shapes of the secrets this project issues: PBKDF2 password hashes, webhook signing secrets, JWTs. */
export const SECRET_SHAPES: readonly RegExp[] = [
  /pbkdf2-sha256\$\d+\$/,
  /whsec_[A-Za-z0-9+/=]{8,}/,
  /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\./,
];

/** Whether `text` holds a secret's shape or one of `secrets`: what no log line or response may. */
export function holdsSecret(text: string, secrets: Iterable<string> = []): boolean {
  if (SECRET_SHAPES.some((shape) => shape.test(text))) return true;
  for (const secret of secrets) if (secret && text.includes(secret)) return true;
  return false;
}
