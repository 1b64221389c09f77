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

/** For the log: the message, then the error's kind and detail when it has them (an AuthError's). */
export function errorLogText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const extra = [(error as { kind?: string }).kind, (error as { detail?: string }).detail].filter(Boolean).join(', ');
  return extra ? `${error.message} (${extra})` : error.message;
}
