/** A figure measured several times: the median, with the smallest and largest run. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(values: number[]): Spread {
  if (values.length === 0) throw new Error('no runs to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median: round(median), min: round(sorted[0]), max: round(sorted[sorted.length - 1]), runs: values.map((value) => round(value)) };
}

/** Figures of two extensions whose starts alternated, and their difference start by start (first minus second). */
export function pairwise(first: number[], second: number[]): { first: Spread; second: Spread; difference: Spread } {
  if (first.length !== second.length) throw new Error(`${first.length} starts against ${second.length}: not pairs`);
  return { first: spread(first), second: spread(second), difference: spread(first.map((value, index) => value - second[index])) };
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
