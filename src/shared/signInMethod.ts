// The ways of signing in, as a profile records them, the palette offers them and the page shows
// them as tabs. Imported by the host and the page: plain TypeScript, no imports.

export const SIGN_IN_METHODS = ['password', 'sso', 'apiKey'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];
