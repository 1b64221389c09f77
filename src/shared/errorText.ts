// An error as text for a person or the log, the same everywhere: the host's notifications and
// input boxes, its log, and the page. Plain TypeScript, no imports.

/** The error's message; anything thrown that is not an Error, as a string. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "message fix": the message, then what to do when the error says (AuthError's `fix`). */
export function errorText(error: unknown): string {
  const fix = error instanceof Error ? (error as { fix?: unknown }).fix : undefined;
  return typeof fix === 'string' && fix !== '' ? `${messageOf(error)} ${fix}` : messageOf(error);
}
