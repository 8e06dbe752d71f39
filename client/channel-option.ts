import type { Config } from '../config/schema';

/** A --channel that names no configured channel: a usage error (exit 64), said the same everywhere. */
export class UnknownChannelError extends Error {
  constructor(given: string, configured: string[]) {
    super(`no channel "${given}" (configured: ${configured.join(', ') || 'none'})`);
    this.name = 'UnknownChannelError';
  }
}

/** The channels a `--channel` option names: that one (if configured), else every channel. */
export function channelCodes(config: Config, given: string | undefined): string[] {
  if (given) {
    if (!config.channels.some((c) => c.code === given)) throw new UnknownChannelError(given, config.channels.map((c) => c.code));
    return [given];
  }
  return config.channels.map((c) => c.code);
}

/** For commands about one record: the named channel, or the only one; otherwise say which exist. */
export function oneChannel(config: Config, given: string | undefined): string {
  const codes = channelCodes(config, given);
  if (codes.length === 1) return codes[0]!;
  throw new Error(`--channel is required (configured: ${codes.join(', ') || 'none'})`);
}
