// "Did you mean …?" for a mistyped command, flag, choice or recipe key: the closest candidate by
// Levenshtein distance, accepted only when it is close enough to be the likely intent.
import leven from 'leven';

/** Largest edit distance still worth suggesting for an input of this length. */
function budget(input: string): number {
  return input.length <= 3 ? 1 : input.length <= 8 ? 2 : 3;
}

/**
 * The candidate closest to `input` (case-insensitive), or undefined when none is close: within the
 * length-scaled edit budget (a swap of two letters costs 2), or the only candidate that starts with an
 * input of at least 3 characters.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  if (list.includes(input)) return undefined;
  const a = input.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of list) {
    const d = leven(a, c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  if (best !== undefined && bestD <= budget(input)) return best;
  // Swapped letters ("rnu", "trian") cost 2 in Levenshtein distance: accept an anagram too.
  const letters = (x: string) => [...x.toLowerCase()].sort().join('');
  const anagram = list.find((c) => c.length > 2 && letters(c) === letters(input));
  if (anagram !== undefined) return anagram;
  if (a.length >= 3) {
    const prefixed = list.filter((c) => c.toLowerCase().startsWith(a));
    if (prefixed.length === 1) return prefixed[0];
  }
  return undefined;
}

/** `; did you mean "X"?` (with `quote` around X) or the empty string. */
export function didYouMean(input: string, candidates: Iterable<string>, quote = '"'): string {
  const c = closest(input, candidates);
  return c === undefined ? '' : `; did you mean ${quote}${c}${quote}?`;
}
