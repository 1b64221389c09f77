// The bounds of an SSO device code that the extension accepts from a server, in one place: the
// flow refuses a code outside them before anything is shown or polled, and the Profile Manager
// page's schema uses the same numbers, so every code the flow polls for is one the page can show.
// Plain TypeScript (no node:, no vscode): the page bundle imports it too.

/** RFC 8628 §3.2 leaves `interval` to the server; below 1 s a poll loop would hammer it. */
export const MIN_POLL_INTERVAL_SECONDS = 1;
/** A hostile `interval` (or one grown by slow_down) never makes the person wait longer than this between polls. */
export const MAX_POLL_INTERVAL_SECONDS = 60;
/** The longest a device code is polled for, whatever `expiresIn` the server sends. */
export const MAX_CODE_LIFETIME_SECONDS = 30 * 60;
/** RFC 8628 §6.1 suggests 8 characters; this leaves room for separators and longer alphabets. */
export const MAX_USER_CODE_LENGTH = 32;
export const MAX_VERIFICATION_URI_LENGTH = 2048;

// Letters and digits, with single spaces or hyphens between groups: what a person can read aloud
// and compare, and nothing that could pass for an instruction or hide in the layout.
const USER_CODE = /^[\p{L}\p{N}]+(?:[ -][\p{L}\p{N}]+)*$/u;

/** Whether a person can read and compare this user code on screen. */
export function isShowableUserCode(userCode: string): boolean {
  return userCode.length >= 1 && userCode.length <= MAX_USER_CODE_LENGTH && USER_CODE.test(userCode);
}
