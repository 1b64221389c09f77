import type * as z from 'zod/mini';
import type * as ProfileSchema from './profileSchema';

// A profile as the extension keeps it in globalState (its shape: profileSchema.ts).
export type ProfileMeta = z.infer<typeof ProfileSchema.ProfileMeta>;

/** The store's schemas, loaded on first use from the bundle next to the one running this (scripts/bundles.mjs, LAZY). */
export function profileSchema(): typeof ProfileSchema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./profileSchema.js') as typeof ProfileSchema;
}

/** The masked form `pc_…abcd` of a profile's key, from the last four characters it keeps. */
export function maskedKeyFromHint(hint: string | undefined): string {
  return hint ? `pc_…${hint}` : 'pc_…';
}

export function keyHint(apiKey: string): string {
  return apiKey.slice(-4);
}
