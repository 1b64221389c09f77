// dist/webview/sso.js: the SSO sign-in's code panel, loaded by the form's SSO tab (ssoSection.ts) when an
// SSO sign-in starts.
import { SsoPanel } from './ssoPanel';
import { useTranslations } from './scriptTranslations';

export type SsoPanelModule = { SsoPanel: typeof SsoPanel; useTranslations: typeof useTranslations };

(window as unknown as { coderflowSso?: SsoPanelModule }).coderflowSso = { SsoPanel, useTranslations };
