import type { Config } from '../config/schema';

/** The channels a `--channel` option names: that one (if configured), else every channel. */
export function channelCodes(config: Config, given: string | undefined): string[] {
  if (given) {
    if (!config.channels.some((c) => c.code === given)) throw new Error(`no channel "${given}"`);
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
