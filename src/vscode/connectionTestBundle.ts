// Loads Test connection's diagnostic, a bundle of its own, on the first test.

/** The Test connection bundle (dist/connectionTest.js, built by scripts/build.mjs), loaded on the first test. */
export function connectionTests(): typeof import('./connectionTest') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./connectionTest.js') as typeof import('./connectionTest');
}
