import type { ToHost } from '../src/webviewProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The webview's channel to the extension, typed with the protocol (it may be acquired only once). */
export interface HostChannel {
  post(message: ToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => api.getState(),
    setState: (state) => api.setState(state),
  };
}
