import vscode = require('vscode');
import { randomBytes } from 'node:crypto';
import {
  describeMessageShape,
  parseToHost,
  parseToPage,
  profileView,
  type Answer,
  type HostRequest,
  type ProfileView,
  type RequestKind,
  type ToPage,
} from '../shared/webviewProtocol';
import type { ProfileManagerBackend, SignInOutcome, SsoCode } from './backendContract';
import { profileManagerHtml } from './pageHtml';
import { messageOf } from '../shared/errorText';
import { dispatch, PageProblem, plainProblem, toProblem, type RequestHandlers } from './requestDispatcher';
import * as l10n from '@vscode/l10n';

/** Reports kept for Copy report: one per profile in a typical list, and the form's. */
const MAX_REPORTS = 20;

interface SsoSession {
  readonly controller: AbortController;
  code?: SsoCode;
  /** How the flow ended: what both `startSso` and a reloaded page's `resumeSso` answer with. */
  done?: Promise<{ profileId: string } | false>;
}

/**
 * Hosts the Profile Manager page and answers its requests with calls on the backend. Holds no
 * credentials: passwords and pasted keys pass through to the backend and are not kept.
 */
export class ProfileManagerViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private pageReady = false;
  // Counts page loads: an answer goes only to the page that asked, not to one loaded since (its
  // request ids start again).
  private pageLoads = 0;
  // The device flow outlives the page: hiding the view unloads the page, and the person is in
  // the browser approving the code at that moment. Only Cancel or disposal stops it.
  private sso: SsoSession | undefined;
  // A password or key check in flight: Cancel on the page, or closing the view, aborts it.
  private checking: AbortController | undefined;
  private stateRequests = 0;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly reports = new Map<string, string>();

  private readonly handlers: RequestHandlers = {
    probeServer: (m) => this.probeServer(m.serverUrl),
    signInPassword: (m) => this.signIn((signal) => this.backend.signInWithPassword(m, signal)),
    startSso: (m) => this.startSso(m.profileName, m.serverUrl),
    resumeSso: async () => (this.sso?.done ? this.sso.done : false),
    saveApiKey: (m) => this.signIn((signal) => this.backend.saveApiKey(m, signal)),
    useProfile: async (m) => {
      await this.backend.useProfile(m.id);
      return {};
    },
    testConnection: (m) => this.testConnection(m.id),
    testServer: (m) => this.testServer(m.serverUrl),
    copyReport: (m) => this.copyReport(m.reportId),
    signOut: async (m) => (await this.backend.signOut(m.id)) && {},
    removeProfile: async (m) => (await this.backend.removeProfile(m.id)) && {},
    listKeys: (m) => this.listKeys(m.profileId),
    revokeKey: (m) => this.backend.revokeKey(m.profileId, m.keyId).then(said),
    revokeStaleKeys: (m) => this.backend.revokeStaleKeys(m.profileId).then(said),
    rotateKey: (m) => this.backend.rotateKey(m.id).then(said),
    saveToCli: (m) => this.backend.saveToCli(m.id).then(said),
    importFromCli: (m) => this.backend.importFromCli(m.id).then(said),
    copyText: (m) => this.copyCode(m.text),
    openExternal: async (m) => {
      await this.openVerificationUri(m.url);
      return {};
    },
  };

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly backend: ProfileManagerBackend,
    private readonly log: (line: string) => void,
  ) {
    this.subscriptions.push(backend.onDidChange(() => void this.postState()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.pageReady = false;
    const webview = view.webview;
    const bundle = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    webview.options = {
      enableScripts: true,
      localResourceRoots: [bundle, vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    webview.html = profileManagerHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'main.css')).toString(),
      codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'codicons', 'codicon.css')).toString(),
      language: vscode.env.language,
      l10nBundle: vscode.l10n.bundle,
    });
    const listeners = [
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      view.onDidDispose(() => {
        for (const listener of listeners) listener.dispose();
        if (this.view === view) {
          this.view = undefined;
          this.pageReady = false;
        }
      }),
    ];
  }

  dispose(): void {
    this.checking?.abort();
    this.sso?.controller.abort();
    this.sso = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseToHost(raw);
    if (!message) {
      this.log(`Profile Manager: dropped a message from the page that does not parse (${describeMessageShape(raw)}).`);
      return;
    }
    switch (message.type) {
      case 'ready':
        return this.onReady();
      case 'cancelSso':
        this.sso?.controller.abort();
        return;
      case 'cancelSignIn':
        this.checking?.abort();
        this.sso?.controller.abort();
        return;
      case 'request':
        return this.answer(message);
    }
  }

  private async answer(message: HostRequest): Promise<void> {
    const page = this.pageLoads;
    await dispatch(this.handlers, message, (answer) => this.respond(page, message.id, answer), this.log);
  }

  private respond(page: number, id: number, answer: Answer<RequestKind>): void {
    if (page !== this.pageLoads) return;
    this.post({ type: 'response', id, ...answer });
  }

  private async onReady(): Promise<void> {
    this.pageReady = true;
    this.pageLoads++;
    await this.postState();
    const code = this.sso?.code;
    if (code) this.postSsoCode(code);
  }

  private async postState(): Promise<void> {
    if (!this.view || !this.pageReady) return;
    // Changes come in bursts; an older answer must not overwrite a newer one on the page.
    const request = ++this.stateRequests;
    const state = await this.backend.getState();
    if (request !== this.stateRequests) return;
    const profiles = state.profiles.filter((profile) => this.isShowable(profile));
    this.post({
      type: 'state',
      profiles,
      ...(state.activeId !== undefined ? { activeId: state.activeId } : {}),
      ...(state.credentialSource ? { credentialSource: state.credentialSource } : {}),
      ...(state.untrustedWorkspace !== undefined ? { untrustedWorkspace: state.untrustedWorkspace } : {}),
      ...(state.suggestedServerUrl ? { suggestedServerUrl: state.suggestedServerUrl } : {}),
    });
  }

  // One malformed profile (say, a whole key where the masked one belongs) must not hide the others.
  private isShowable(profile: ProfileView): boolean {
    if (profileView.safeParse(profile).success) return true;
    this.log(`Profile Manager: left out a profile that does not fit the page's schema (${describeMessageShape(profile)}).`);
    return false;
  }

  private async probeServer(serverUrl: string) {
    try {
      return { ...(await this.backend.probeServer(serverUrl)), serverUrl };
    } catch (error) {
      this.log(`Profile Manager: probing the server failed: ${messageOf(error)}`);
      return { serverUrl, reachable: false, ssoEnabled: false, passwordLoginEnabled: false, error: plainProblem(error) };
    }
  }

  private async signIn(run: (signal: AbortSignal) => Promise<SignInOutcome>): Promise<{ profileId: string } | false> {
    this.checking?.abort();
    const controller = new AbortController();
    this.checking = controller;
    try {
      return { profileId: (await run(controller.signal)).profileId };
    } catch (error) {
      // Cancelled: nothing was saved, and there is nothing to report.
      if (controller.signal.aborted) return false;
      throw error;
    } finally {
      if (this.checking === controller) this.checking = undefined;
    }
  }

  private startSso(profileName: string, serverUrl: string): Promise<{ profileId: string } | false> {
    this.sso?.controller.abort();
    const session: SsoSession = { controller: new AbortController() };
    this.sso = session;
    const onCode = (code: SsoCode) => {
      if (this.sso !== session) return;
      session.code = code;
      // The person asked for SSO: that is the consent to open the browser, now, once the page
      // shows the code and the host it opens.
      this.postSsoCode(code);
      this.openVerificationUri(code.browserUri).then(
        () => this.post({ type: 'browserOpened' }),
        (error: unknown) => this.post({ type: 'browserOpened', error: toProblem(error) }),
      );
    };
    const done = this.backend.signInWithSso({ profileName, serverUrl }, onCode, session.controller.signal).then(
      (outcome) => ({ profileId: outcome.profileId }),
      (error: unknown) => {
        // Cancelled, or a newer sign-in replaced this one: nothing to report about this one.
        if (session.controller.signal.aborted || this.sso !== session) return false as const;
        throw error;
      },
    );
    session.done = done;
    const forget = () => {
      if (this.sso === session) this.sso = undefined;
    };
    done.then(forget, forget);
    return done;
  }

  private postSsoCode(code: SsoCode): void {
    this.post({
      type: 'ssoCode',
      userCode: code.userCode,
      verificationUri: code.verificationUri,
      ...(code.verificationUriComplete ? { verificationUriComplete: code.verificationUriComplete } : {}),
      expiresInSeconds: Math.max(0, Math.round((code.expiresAt - Date.now()) / 1000)),
    });
  }

  private async listKeys(profileId: string) {
    try {
      return { profileId, keys: await this.backend.listKeys(profileId) };
    } catch (error) {
      this.log(`Profile Manager: listing the API keys failed: ${messageOf(error)}`);
      return { profileId, keys: [], error: plainProblem(error) };
    }
  }

  private async testConnection(id: string) {
    try {
      const { report, ...result } = await this.backend.testConnection(id);
      if (report && result.diagnostic) this.keepReport(result.diagnostic.reportId, report);
      return { ...result, id };
    } catch (error) {
      this.log(`Profile Manager: testing the connection failed: ${messageOf(error)}`);
      const problem = plainProblem(error);
      return { id, ok: false, status: 'unreachable' as const, ...problem };
    }
  }

  private async testServer(serverUrl: string) {
    try {
      const { diagnostic, report } = await this.backend.testServer(serverUrl);
      this.keepReport(diagnostic.reportId, report);
      return { serverUrl, diagnostic };
    } catch (error) {
      this.log(`Profile Manager: testing the server failed: ${messageOf(error)}`);
      return { serverUrl, error: plainProblem(error) };
    }
  }

  // The last few reports, by the id the page got with each: Copy report sends only the id, so the
  // page cannot put anything else on the clipboard.
  private keepReport(reportId: string, report: string): void {
    this.reports.set(reportId, report);
    for (const old of this.reports.keys()) {
      if (this.reports.size <= MAX_REPORTS) break;
      this.reports.delete(old);
    }
  }

  private async copyReport(reportId: string): Promise<{ message: string }> {
    const report = this.reports.get(reportId);
    if (!report) throw new PageProblem(l10n.t('That report is no longer available.'), l10n.t('Test the connection again.'));
    await vscode.env.clipboard.writeText(report);
    return { message: l10n.t('Report copied to the clipboard. It does not contain your key.') };
  }

  // Only the code the host itself sent: the page is not a general clipboard writer.
  private async copyCode(text: string): Promise<object> {
    if (this.sso?.code?.userCode !== text) {
      this.log('Profile Manager: refused to copy text that is not the current verification code.');
      throw new PageProblem(l10n.t('There is no verification code to copy.'));
    }
    await vscode.env.clipboard.writeText(text);
    return {};
  }

  // Only the verification address of the running sign-in, which the flow checked
  // (checkVerificationUri): a page that was somehow subverted must not open anything else.
  private async openVerificationUri(url: string): Promise<void> {
    const code = this.sso?.code;
    const allowed = code ? [code.browserUri, code.verificationUriComplete, code.verificationUri] : [];
    if (!allowed.includes(url)) {
      this.log('Profile Manager: refused to open an address that is not the current verification address.');
      throw new PageProblem(l10n.t('There is no sign-in page to open.'), l10n.t('Start the SSO sign-in again.'));
    }
    const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
    if (!opened) throw new PageProblem(l10n.t('The browser did not open.'), l10n.t('Open {0} yourself and enter the code.', url));
  }

  private post(message: ToPage): void {
    if (!this.view) return;
    // The schema is the last guard before the page: it refuses, among others, a whole key where
    // a masked one belongs, and what it passes on carries only the fields it knows.
    const parsed = parseToPage(message);
    if (!parsed) {
      this.log(`Profile Manager: refused to send the page a message that does not parse (${describeMessageShape(message)}).`);
      return;
    }
    void this.view.webview.postMessage(parsed);
  }
}

/** A key operation's sentence for the page; `false` (declined) passes through. */
function said(outcome: { message: string } | false): { message: string } | false {
  return outcome && { message: outcome.message.slice(0, 1000) };
}
