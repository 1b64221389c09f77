import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { repoRoot } from './vscodeServer';

// The places outside SecretStorage where a key could end up in a real VS Code in the browser,
// read as text for a secret scan (secret hygiene): files on disk, the browser's storage,
// every frame's DOM, the messages a webview received, the packaged VSIX.

export interface Place {
  /** Where the text was read, for a failure message: "file user-data/logs/…/CoderFlow.log". */
  name: string;
  text: string;
}

/** The localStorage entry where VS Code for the Web keeps SecretStorage when it can persist it. */
export const WEB_SECRET_STORAGE_KEY = 'secrets.provider';

/** Every regular file under `dir`, read as bytes and decoded as latin1 (a byte-for-byte view of SQLite and logs alike). */
export function filesUnder(dir: string, label = dir): Place[] {
  const places: Place[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      // Deleted while listed (a lock file, a rotated log).
    }
    if (isFile) places.push({ name: `file ${label}/${relative(dir, path)}`, text: readFileSync(path).toString('latin1') });
  }
  return places;
}

/**
 * Records every message the webviews of this browser context receive from VS Code (extension
 * messages and the HTML VS Code gives them), from now on. Hooked in each webview's host frame,
 * where VS Code's messages arrive on a MessagePort before they are passed to the webview's own
 * document, so a webview reloaded by VS Code is still covered.
 */
export async function recordWebviewMessages(context: BrowserContext): Promise<{ messages: string[] }> {
  const messages: string[] = [];
  await context.exposeBinding('__coderflowRecordMessage', (_source, text: string) => {
    messages.push(text);
  });
  await context.addInitScript(() => {
    if (!location.pathname.includes('/webview/browser/pre/')) return;
    // Looked up at each call: the binding may be installed after this script runs.
    const record = (text: string) => (globalThis as unknown as { __coderflowRecordMessage(text: string): Promise<void> }).__coderflowRecordMessage(text);
    const described = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
    if (!described?.set || !described.get) return;
    const { get, set } = described;
    Object.defineProperty(MessagePort.prototype, 'onmessage', {
      configurable: true,
      enumerable: described.enumerable ?? true,
      get() {
        return get.call(this);
      },
      set(this: MessagePort, handler: ((event: MessageEvent) => unknown) | null) {
        set.call(
          this,
          handler &&
            function (this: MessagePort, event: MessageEvent) {
              try {
                void record(typeof event.data === 'string' ? event.data : JSON.stringify(event.data));
              } catch {
                void record(String(event.data));
              }
              return handler.call(this, event);
            },
        );
      },
    });
  });
  return { messages };
}

/**
 * The browser storage of the page's origin: every entry of every IndexedDB store (VS Code for the
 * Web keeps global and workspace state, user settings and its own logs there), localStorage and
 * sessionStorage. Each entry is one Place, named by database, store and key.
 */
export async function browserStorage(page: Page): Promise<Place[]> {
  const entries = await page.evaluate(async () => {
    const decode = async (value: unknown): Promise<string> => {
      if (typeof value === 'string') return value;
      if (value instanceof Blob) return value.text();
      if (value instanceof ArrayBuffer) return new TextDecoder('latin1').decode(value);
      if (ArrayBuffer.isView(value)) return new TextDecoder('latin1').decode(value);
      return JSON.stringify(value) ?? String(value);
    };
    const out: Array<[string, string]> = [];
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error(`cannot open ${name}`));
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const [keys, values] = await new Promise<[IDBValidKey[], unknown[]]>((resolve, reject) => {
          const transaction = db.transaction(store, 'readonly');
          const keysRequest = transaction.objectStore(store).getAllKeys();
          const valuesRequest = transaction.objectStore(store).getAll();
          transaction.oncomplete = () => resolve([keysRequest.result, valuesRequest.result]);
          transaction.onerror = () => reject(transaction.error ?? new Error(`cannot read ${name}/${store}`));
        });
        for (let index = 0; index < keys.length; index++) out.push([`IndexedDB ${name}/${store}/${String(keys[index])}`, await decode(values[index])]);
      }
      db.close();
    }
    for (const [label, storage] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]] as const) {
      for (let index = 0; index < storage.length; index++) {
        const key = storage.key(index)!;
        out.push([`${label} ${key}`, storage.getItem(key) ?? '']);
      }
    }
    return out;
  });
  return entries.map(([name, text]) => ({ name, text }));
}

/** The DOM of every frame of every page (outerHTML, and what each text field holds, which outerHTML leaves out). */
export async function framesOf(pages: Page[]): Promise<Place[]> {
  const places: Place[] = [];
  for (const page of pages) {
    for (const frame of page.frames()) {
      try {
        const text = await frame.evaluate(() => {
          const values = Array.from(document.querySelectorAll('input, textarea'), (field) => (field as HTMLInputElement).value);
          return `${document.documentElement.outerHTML}\n${values.join('\n')}`;
        });
        places.push({ name: `DOM of frame ${frame.url().slice(0, 120)}`, text });
      } catch (error) {
        // A frame that detached while listed has nothing left to leak; any other failure is a gap in the scan.
        if (!frame.isDetached()) throw error;
      }
    }
  }
  return places;
}

/** Packages the extension as `npm run package` does (in a copy of the work tree) and returns every file of the VSIX. */
export async function packagedVsix(): Promise<Place[]> {
  const sizes = (await import(pathToFileURL(join(repoRoot, 'scripts/sizes.mjs')).href)) as {
    packageInCopy(): Promise<{ vsix: string; remove(): void }>;
    readZip(path: string): Array<{ name: string; data(): Buffer }>;
  };
  const packaged = await sizes.packageInCopy();
  try {
    return sizes.readZip(packaged.vsix).map((entry) => ({ name: `VSIX ${entry.name}`, text: entry.data().toString('latin1') }));
  } finally {
    packaged.remove();
  }
}

export interface Hit {
  place: string;
  /** Which secret, by label (never the value). */
  secret: string;
}

/** Every place that holds one of the secrets (by value; labels name them in the answer). */
export function findSecrets(places: Place[], secrets: Array<{ label: string; value: string }>): Hit[] {
  const hits: Hit[] = [];
  for (const place of places) {
    for (const secret of secrets) if (place.text.includes(secret.value)) hits.push({ place: place.name, secret: secret.label });
  }
  return hits;
}
