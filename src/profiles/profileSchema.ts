// The shapes the profile store checks what it reads against: a profile's globalState entry, its
// SecretStorage entry, and the single list of earlier versions. A bundle of its own
// (dist/profileSchema.js, loaded by profileSchema() in profile.ts on the first read), so that
// building them is not part of every window's activation.
import * as z from 'zod/mini';
import { SIGN_IN_METHODS } from '../shared/signInMethod';

// One entry per profile: everything but the key, which lives in its own SecretStorage entry.
// Unknown fields are dropped on read so that state written by a later version cannot break an
// older one.
export const ProfileMeta = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  serverUrl: z.string().check(z.minLength(1)),
  username: z.optional(z.string()),
  displayName: z.optional(z.string()),
  method: z.enum(SIGN_IN_METHODS),
  keyId: z.optional(z.string()),
  keyName: z.optional(z.string()),
  /** The key was made by this extension (password or SSO sign-in, rotation): signing out revokes it by default. */
  createdByExtension: z.boolean(),
  /** The last four characters of the key, for the masked form `pc_…abcd`; never more. */
  keyHint: z.optional(z.string().check(z.maxLength(4))),
  createdAt: z.string(),
  lastVerifiedAt: z.optional(z.string()),
  expiresAt: z.optional(z.nullable(z.string())),
});

export const StoredSecret = z.object({ apiKey: z.string().check(z.startsWith('pc_')) });

// The shape earlier versions wrote. Entries are kept whole (a field this version does not know is
// copied too); each needs an id, which names its new entry.
export const LegacyList = z.object({
  version: z.literal(1),
  profiles: z.array(z.looseObject({ id: z.string().check(z.minLength(1)) })),
});
