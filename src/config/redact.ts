/**
 * Keeps a secret out of every output: it prints as [redacted] through String(), JSON, util.inspect
 * and template literals. Read it only with reveal(), at the one place that sends it.
 */
const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

const known = new Set<string>();

/** Registers a secret value so that redactText() scrubs it from any text (logs, error messages). */
export function registerSecret(value: string): void {
  if (value.length >= 8) known.add(value);
}

/** Anything shaped like a JWT (an agent or account token): three base64url parts, the first a JSON header. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

/** Replaces every registered secret, anything shaped like a JWT and any bearer token in text. */
export function redactText(text: string): string {
  let out = text;
  for (const s of known) out = out.split(s).join(REDACTED);
  return out.replace(JWT, REDACTED).replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`);
}

/** True when text holds a registered secret or a JWT-shaped value. */
export function containsSecret(text: string): boolean {
  return redactText(text) !== text;
}
