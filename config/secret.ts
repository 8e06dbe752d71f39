import { inspect } from 'node:util';

/**
 * A credential that cannot leak by accident: printing, logging, JSON-serialising or passing it
 * through Temporal's data converter yields "[redacted]". Only `reveal()` gives the value, and
 * only the integration clients call it, at the moment they sign a request.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}

/**
 * A deep copy with every Secret replaced by its value. Only for writing a local, mode-600 file
 * that another process on the same machine reads back (the dev stack); never for logs.
 */
export function revealSecrets(value: unknown): unknown {
  if (value instanceof Secret) return value.reveal();
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealSecrets(v)]));
  }
  return value;
}
