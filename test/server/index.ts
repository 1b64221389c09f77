// The reference CoderFlow server: sections 1–5 of shared/PROTOCOL.md, a real OpenID Connect
// provider mounted at {url}/oidc for SSO, fault switches, and helpers for tests.
export { startServer, type StartOptions, type ReferenceServer, type ReceivedRequest } from './server';
export type { Fault, FaultSwitches } from './faults';
export type { DemoUser } from './users';
export { startRecorder, type Recorder } from './recorder';
export { completeSsoLogin, Browser, pageText, type Page } from './browserless';
