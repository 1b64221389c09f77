// Which sign-in methods to offer for a server, in order, from what its probe said: the one rule
// behind the palette's choices and the page's tabs (the idea of getFlows in VS Code's GitHub
// authentication extension, extensions/github-authentication/src/flows.ts).
import { SIGN_IN_METHODS, type SignInMethod } from './signInMethod';
import type { ProbeResultView } from './webviewProtocol';

/** What the rule reads of a probe answer: the host's and the page's both carry it. */
type ServerOffer = Pick<ProbeResultView, 'reachable' | 'ssoEnabled' | 'passwordLoginEnabled'>;

// A server that has not answered (yet) keeps username and password offered, so the form can be
// filled in meanwhile; SSO only once the server said it has it; a pasted key always.
const offered: Record<SignInMethod, (server: ServerOffer) => boolean> = {
  password: (server) => !server.reachable || server.passwordLoginEnabled,
  sso: (server) => server.reachable && server.ssoEnabled,
  apiKey: () => true,
};

export function availableFlows(server: ServerOffer): SignInMethod[] {
  return SIGN_IN_METHODS.filter((method) => offered[method](server));
}
