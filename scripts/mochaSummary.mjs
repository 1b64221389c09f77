// Built from a string: a regular expression literal with ESC in it trips eslint's no-control-regex.
const ansiColor = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * The counts in the summary lines of mocha's spec reporter ("  12 passing (3s)", "  1 failing"),
 * added up over every run in the output (the integration stage runs mocha twice: trusted, then
 * restricted).
 */
export function mochaCounts(output) {
  const plain = output.replace(ansiColor, '');
  const sum = (pattern) => [...plain.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
  return { passed: sum(/^\s*(\d+) passing\b/gm), failed: sum(/^\s*(\d+) failing\b/gm) };
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
