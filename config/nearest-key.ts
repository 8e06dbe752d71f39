/**
 * "did you mean …" for configuration typos: the valid key closest to an unknown one by edit
 * distance (insertions, deletions, substitutions, case ignored), if it is close enough to be a
 * typo rather than a different word.
 */
export function nearestKey(unknown: string, valid: readonly string[]): string | undefined {
  const wanted = unknown.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const key of valid) {
    const distance = editDistance(wanted, key.toLowerCase());
    if (!best || distance < best.distance) best = { key, distance };
  }
  // "order" → "orders" (1), "retrys" → "retries" (2); a word that shares little is no typo.
  if (!best || best.distance > Math.max(2, Math.floor(wanted.length / 3))) return undefined;
  return best.key;
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The sentence for keys an object does not have, with the nearest valid key of each. */
export function unknownKeysMessage(keys: readonly string[], valid: readonly string[]): string {
  return keys
    .map((key) => {
      const near = nearestKey(key, valid);
      return `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}; valid keys: ${valid.join(', ')}`;
    })
    .join('; ');
}
