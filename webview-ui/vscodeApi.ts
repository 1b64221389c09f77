import { parseResult, type Answer, type PageNotification, type RequestKind, type RequestPayload, type ToPageOf } from '../src/shared/webviewProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Asks the host, and resolves with its one answer to this request. */
export type Request = <K extends RequestKind>(kind: K, payload: RequestPayload<K>) => Promise<Answer<K>>;

/** The webview's channel to the extension, typed with the protocol (it may be acquired only once). */
export interface HostChannel {
  request: Request;
  notify(message: PageNotification): void;
  /** An answer from the host: settles the request of its id. */
  settle(response: ToPageOf<'response'>): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi();
  const waiting = new Map<number, { kind: RequestKind; resolve: (answer: Answer<RequestKind>) => void }>();
  let lastId = 0;
  return {
    request: <K extends RequestKind>(kind: K, payload: RequestPayload<K>) =>
      new Promise<Answer<K>>((resolve) => {
        const id = ++lastId;
        waiting.set(id, { kind, resolve: resolve as (answer: Answer<RequestKind>) => void });
        api.postMessage({ type: 'request', id, kind, payload });
      }),
    notify: (message) => api.postMessage(message),
    settle: (response) => {
      const request = waiting.get(response.id);
      if (!request) return;
      if (!response.ok) {
        waiting.delete(response.id);
        request.resolve(response.error ? { ok: false, error: response.error } : { ok: false });
        return;
      }
      // Like any message that does not parse, a value that does not fit the request is dropped.
      const value = parseResult(request.kind, response.value);
      if (value === undefined) {
        console.warn(`CoderFlow Profile Manager: ignored a ${request.kind} answer that does not parse.`);
        return;
      }
      waiting.delete(response.id);
      request.resolve({ ok: true, value });
    },
    getState: () => api.getState(),
    setState: (state) => api.setState(state),
  };
}
