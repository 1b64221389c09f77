import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import {
  describeMessageShape,
  formField,
  parseToHost,
  parseToPage,
  profileView,
  type FieldProblem,
  type Operation,
  type ProfileView,
  type ToHostOf,
  type ToHostType,
  type ToPage,
} from '../webviewProtocol';
import type { ProfileManagerBackend, SsoCode } from './profileManagerBackend';
import { profileManagerHtml } from './profileManagerHtml';
import { messageOf } from '../shared/errorText';
import * as l10n from '@vscode/l10n';

/** Reports kept for Copy report: one per profile in a typical list, and the form's. */
const MAX_REPORTS = 20;

type Handlers = { [T in ToHostType]: (message: ToHostOf<T>) => Promise<void> };

interface SsoSession {
  readonly controller: AbortController;
  code?: SsoCode;
}

/**
 * Hosts the Profile Manager page and translates its messages into calls on the backend. Holds no
 * credentials: passwords and pasted keys pass through to the backend and are not kept.
 */
export class ProfileManagerViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewType = 'profoundCoder.profileManager';

  private view: vscode.WebviewView | undefined;
  private pageReady = false;
  // The device flow outlives the page: hiding the view unloads the page, and the person is in
  // the browser approving the code at that moment. Only Cancel or disposal stops it.
  private sso: SsoSession | undefined;
  // A password or key check in flight: Cancel on the page, or closing the view, aborts it.
  private checking: AbortController | undefined;
  private stateRequests = 0;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly reports = new Map<string, string>();

  private readonly handlers: Handlers = {
    ready: () => this.onReady(),
    probeServer: (m) => this.probeServer(m.serverUrl),
    signInPassword: (m) =>
      this.signIn('signInPassword', (signal) =>
        this.backend.signInWithPassword(
          {
            profileName: m.profileName,
            serverUrl: m.serverUrl,
            username: m.username,
            password: m.password,
          },
          signal,
        ),
      ),
    startSso: (m) => this.startSso(m.profileName, m.serverUrl),
    cancelSso: async () => {
      this.sso?.controller.abort();
    },
    cancelSignIn: async () => {
      this.checking?.abort();
      this.sso?.controller.abort();
    },
    saveApiKey: (m) =>
      this.signIn('saveApiKey', (signal) =>
        this.backend.saveApiKey({ profileName: m.profileName, serverUrl: m.serverUrl, apiKey: m.apiKey }, signal),
      ),
    useProfile: (m) => this.profileOperation('useProfile', m.id, () => this.backend.useProfile(m.id)),
    testConnection: (m) => this.testConnection(m.id),
    testServer: (m) => this.testServer(m.serverUrl),
    copyReport: (m) => this.copyReport(m.reportId),
    signOut: (m) => this.profileOperation('signOut', m.id, () => this.backend.signOut(m.id)),
    removeProfile: (m) => this.profileOperation('removeProfile', m.id, () => this.backend.removeProfile(m.id)),
    listKeys: (m) => this.postKeys(m.profileId),
    revokeKey: async (m) => {
      await this.keyOperation('revokeKey', m.profileId, () => this.backend.revokeKey(m.profileId, m.keyId), m.keyId);
      await this.postKeys(m.profileId);
    },
    revokeStaleKeys: async (m) => {
      await this.keyOperation('revokeStaleKeys', m.profileId, () => this.backend.revokeStaleKeys(m.profileId));
      await this.postKeys(m.profileId);
    },
    rotateKey: async (m) => {
      await this.keyOperation('rotateKey', m.id, () => this.backend.rotateKey(m.id));
      await this.postKeys(m.id);
    },
    saveToCli: (m) => this.keyOperation('saveToCli', m.id, () => this.backend.saveToCli(m.id)),
    importFromCli: (m) => this.keyOperation('importFromCli', m.id, () => this.backend.importFromCli(m.id)),
    copyText: (m) => this.copyCode(m.text),
    openExternal: (m) => this.openVerificationUri(m.url),
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
    const handler = this.handlers[message.type] as (m: typeof message) => Promise<void>;
    try {
      await handler(message);
    } catch (error) {
      this.log(`Profile Manager: ${message.type} failed: ${messageOf(error)}`);
    }
  }

  private async onReady(): Promise<void> {
    this.pageReady = true;
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

  private async probeServer(serverUrl: string): Promise<void> {
    try {
      const result = await this.backend.probeServer(serverUrl);
      this.post({ ...result, type: 'probeResult', serverUrl });
    } catch (error) {
      this.log(`Profile Manager: probing the server failed: ${messageOf(error)}`);
      const problem = toProblem(error);
      this.post({
        type: 'probeResult',
        serverUrl,
        reachable: false,
        ssoEnabled: false,
        passwordLoginEnabled: false,
        error: problem.fix ? { message: problem.message, fix: problem.fix } : { message: problem.message },
      });
    }
  }

  private async signIn(op: Operation, run: (signal: AbortSignal) => Promise<{ profileId: string }>): Promise<void> {
    this.checking?.abort();
    const controller = new AbortController();
    this.checking = controller;
    try {
      const outcome = await run(controller.signal);
      this.post({ type: 'operationResult', op, ok: true, id: outcome.profileId });
    } catch (error) {
      if (controller.signal.aborted) {
        // Cancelled: nothing was saved, and there is nothing to report.
        this.post({ type: 'operationResult', op, ok: false });
        return;
      }
      this.log(`Profile Manager: ${op} failed: ${messageOf(error)}`);
      this.post({ type: 'operationResult', op, ok: false, error: toProblem(error) });
    } finally {
      if (this.checking === controller) this.checking = undefined;
    }
  }

  private async startSso(profileName: string, serverUrl: string): Promise<void> {
    this.sso?.controller.abort();
    const session: SsoSession = { controller: new AbortController() };
    this.sso = session;
    const onCode = (code: SsoCode) => {
      if (this.sso !== session) return;
      session.code = code;
      // The person asked for SSO: that is the consent to open the browser, now, once the page
      // shows the code and the host it opens.
      this.postSsoCode(code);
      void this.openVerificationUri(code.browserUri);
    };
    try {
      const outcome = await this.backend.signInWithSso({ profileName, serverUrl }, onCode, session.controller.signal);
      if (this.sso !== session) return;
      this.sso = undefined;
      this.post({ type: 'operationResult', op: 'startSso', ok: true, id: outcome.profileId });
    } catch (error) {
      // A newer sign-in replaced this one: its page panel belongs to the newer flow.
      if (this.sso !== session) return;
      this.sso = undefined;
      if (session.controller.signal.aborted) {
        this.post({ type: 'operationResult', op: 'startSso', ok: false });
        return;
      }
      this.log(`Profile Manager: SSO sign-in failed: ${messageOf(error)}`);
      this.post({ type: 'operationResult', op: 'startSso', ok: false, error: toProblem(error) });
    }
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

  private async profileOperation(op: Operation, id: string, run: () => Promise<unknown>): Promise<void> {
    try {
      const done = await run();
      // `false` is the person declining a confirmation: nothing happened, nothing to report.
      this.post(done === false ? { type: 'operationResult', op, id, ok: false } : { type: 'operationResult', op, id, ok: true });
    } catch (error) {
      this.log(`Profile Manager: ${op} failed: ${messageOf(error)}`);
      this.post({ type: 'operationResult', op, id, ok: false, error: toProblem(error) });
    }
  }

  /** Like profileOperation, with the outcome's sentence for the page. */
  private async keyOperation(op: Operation, id: string, run: () => Promise<{ message: string } | false>, keyId?: string): Promise<void> {
    const about = { type: 'operationResult' as const, op, id, ...(keyId ? { keyId } : {}) };
    try {
      const done = await run();
      this.post(done === false ? { ...about, ok: false } : { ...about, ok: true, message: done.message.slice(0, 1000) });
    } catch (error) {
      this.log(`Profile Manager: ${op} failed: ${messageOf(error)}`);
      this.post({ ...about, ok: false, error: toProblem(error) });
    }
  }

  private async postKeys(profileId: string): Promise<void> {
    try {
      const keys = await this.backend.listKeys(profileId);
      this.post({ type: 'keys', profileId, keys });
    } catch (error) {
      this.log(`Profile Manager: listing the API keys failed: ${messageOf(error)}`);
      const problem = toProblem(error);
      this.post({ type: 'keys', profileId, keys: [], error: problem.fix ? { message: problem.message, fix: problem.fix } : { message: problem.message } });
    }
  }

  private async testConnection(id: string): Promise<void> {
    try {
      const { report, ...result } = await this.backend.testConnection(id);
      if (report && result.diagnostic) this.keepReport(result.diagnostic.reportId, report);
      this.post({ ...result, type: 'testResult', id });
    } catch (error) {
      this.log(`Profile Manager: testing the connection failed: ${messageOf(error)}`);
      const problem = toProblem(error);
      this.post({
        type: 'testResult',
        id,
        ok: false,
        status: 'unreachable',
        message: problem.message,
        ...(problem.fix ? { fix: problem.fix } : {}),
      });
    }
  }

  private async testServer(serverUrl: string): Promise<void> {
    try {
      const { diagnostic, report } = await this.backend.testServer(serverUrl);
      this.keepReport(diagnostic.reportId, report);
      this.post({ type: 'serverTestResult', serverUrl, diagnostic });
    } catch (error) {
      this.log(`Profile Manager: testing the server failed: ${messageOf(error)}`);
      const problem = toProblem(error);
      this.post({ type: 'serverTestResult', serverUrl, error: problem.fix ? { message: problem.message, fix: problem.fix } : { message: problem.message } });
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

  private async copyReport(reportId: string): Promise<void> {
    const report = this.reports.get(reportId);
    if (!report) {
      this.post({ type: 'operationResult', op: 'copyReport', id: reportId, ok: false, error: { message: l10n.t('That report is no longer available.'), fix: l10n.t('Test the connection again.') } });
      return;
    }
    await vscode.env.clipboard.writeText(report);
    this.post({ type: 'operationResult', op: 'copyReport', id: reportId, ok: true, message: l10n.t('Report copied to the clipboard. It does not contain your key.') });
  }

  // Only the code the host itself sent: the page is not a general clipboard writer.
  private async copyCode(text: string): Promise<void> {
    if (this.sso?.code?.userCode !== text) {
      this.log('Profile Manager: refused to copy text that is not the current verification code.');
      this.post({ type: 'operationResult', op: 'copyText', ok: false, error: { message: l10n.t('There is no verification code to copy.') } });
      return;
    }
    await vscode.env.clipboard.writeText(text);
    this.post({ type: 'operationResult', op: 'copyText', ok: true });
  }

  // Only the verification address of the running sign-in, which the flow checked
  // (checkVerificationUri): a page that was somehow subverted must not open anything else.
  private async openVerificationUri(url: string): Promise<void> {
    const code = this.sso?.code;
    const allowed = code ? [code.browserUri, code.verificationUriComplete, code.verificationUri] : [];
    if (!allowed.includes(url)) {
      this.log('Profile Manager: refused to open an address that is not the current verification address.');
      this.post({
        type: 'operationResult',
        op: 'openExternal',
        ok: false,
        error: { message: l10n.t('There is no sign-in page to open.'), fix: l10n.t('Start the SSO sign-in again.') },
      });
      return;
    }
    const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
    this.post(
      opened
        ? { type: 'operationResult', op: 'openExternal', ok: true }
        : {
            type: 'operationResult',
            op: 'openExternal',
            ok: false,
            error: { message: l10n.t('The browser did not open.'), fix: l10n.t('Open {0} yourself and enter the code.', url) },
          },
    );
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

function toProblem(error: unknown): FieldProblem {
  if (typeof error === 'object' && error !== null) {
    const { message, fix, field } = error as { message?: unknown; fix?: unknown; field?: unknown };
    if (typeof message === 'string' && message.length > 0) {
      const parsedField = formField.safeParse(field);
      return {
        message: message.slice(0, 1000),
        ...(typeof fix === 'string' && fix.length > 0 ? { fix: fix.slice(0, 1000) } : {}),
        ...(parsedField.success ? { field: parsedField.data } : {}),
      };
    }
  }
  return { message: l10n.t('Something went wrong.'), fix: l10n.t('See the CoderFlow output for details.') };
}
