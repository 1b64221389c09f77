import type { Memento, SecretStore } from '../../../src/profiles/store';
import { Emitter } from '../../../src/shared/event';

/** An in-memory vscode.Memento whose writes can be made to fail. */
export class MemoryMemento implements Memento {
  readonly values = new Map<string, unknown>();
  failWrites = false;
  get<T>(key: string): T | undefined {
    return structuredClone(this.values.get(key)) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (this.failWrites) throw new Error('state database is read-only');
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, structuredClone(value));
  }
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
}

/** An in-memory vscode.SecretStorage that can be made to fail like a missing Linux keyring. */
export class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  failReads = false;
  failWrites = false;
  private readonly changed = new Emitter<{ key: string }>();
  readonly onDidChange = this.changed.event;
  async get(key: string): Promise<string | undefined> {
    if (this.failReads) throw new Error('Cannot get password: no keyring');
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    if (this.failWrites) throw new Error('Cannot create an item in a locked collection');
    this.values.set(key, value);
    this.changed.fire({ key });
  }
  async delete(key: string): Promise<void> {
    if (this.failWrites) throw new Error('Cannot delete: no keyring');
    this.values.delete(key);
    this.changed.fire({ key });
  }
  /** What another window writing to the same keyring looks like from here. */
  externalStore(key: string, value: string): void {
    this.values.set(key, value);
    this.changed.fire({ key });
  }
}
