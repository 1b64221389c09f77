// The one function every log line passes. It masks anything shaped like a CoderFlow key, a bearer
// token or an AI provider key (the shapes of src/shared/secretShapes.ts), and any exact secret the
// caller registered (a key pasted in a form or a password need not look like one).
import { redactSecrets } from '../shared/secretShapes';

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remember a secret value so that it is masked wherever it appears, whatever its shape. */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }
}
