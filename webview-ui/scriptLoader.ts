import * as l10n from '@vscode/l10n';

// Loads a part of the page that is a script of its own (dist/webview/<name>.js, and <name>.css
// when it has one, next to this page's own script; scripts/build.mjs) on first use. The script
// carries this page's nonce, which the Content Security Policy asks of every script; the
// stylesheet comes from the same origin as the page's own. The script puts what it exports on
// `window[global]`.
const page = document.currentScript as HTMLScriptElement | null;
const loading = new Map<string, Promise<unknown>>();

export function loadScript<T>(name: string, global: string, options: { style?: boolean; failed: string }): Promise<T> {
  let load = loading.get(name) as Promise<T> | undefined;
  if (!load) {
    load = new Promise<T>((resolve, reject) => {
      if (!page?.src) return reject(new Error(l10n.t('The page script’s address is unknown.')));
      const script = document.createElement('script');
      script.nonce = page.nonce;
      script.src = new URL(`${name}.js`, page.src).toString();
      script.addEventListener('load', () => {
        const loaded = (window as unknown as Record<string, T | undefined>)[global];
        if (loaded === undefined) reject(new Error(options.failed));
        else resolve(loaded);
      });
      script.addEventListener('error', () => reject(new Error(options.failed)));
      if (options.style) {
        const style = document.createElement('link');
        style.rel = 'stylesheet';
        style.href = new URL(`${name}.css`, page.src).toString();
        document.head.append(style);
      }
      document.head.append(script);
    }).catch((error: unknown) => {
      // A later use tries again.
      loading.delete(name);
      throw error;
    });
    loading.set(name, load);
  }
  return load;
}
