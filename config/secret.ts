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
