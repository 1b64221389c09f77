import * as assert from 'node:assert/strict';
import { Browser, completeSsoLogin, pageText, type ReferenceServer, startServer } from '../../server';
import { alice, call, poll, sleep, startDevice } from './helpers';

describe('reference server: SSO device codes (PROTOCOL.md §4, RFC 8628)', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startServer({ pollIntervalSeconds: 1, deviceCodeTtlSeconds: 60 });
  });
  after(() => server.stop());

  it('issues a device code with a readable user code, the verification page and the interval', async () => {
    const device = await startDevice(server, 'VS Code on laptop');
    assert.equal(typeof device.deviceCode, 'string');
    assert.ok(device.deviceCode.length >= 32);
    assert.match(device.userCode, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    assert.equal(device.verificationUri, `${server.url}/auth/sso/verify`);
    assert.equal(new URL(device.verificationUriComplete).searchParams.get('user_code'), device.userCode);
    assert.ok(device.verificationUriComplete.startsWith(device.verificationUri));
    assert.equal(device.expiresIn, 60);
    assert.equal(device.interval, 1);
  });

  it('answers 400 invalid_request to a device request with a mistyped keyName and a token request without deviceCode', async () => {
    const device = await call(`${server.url}/auth/sso/device`, { json: { keyName: 5 } });
    assert.equal(device.status, 400);
    assert.equal(device.body.error, 'invalid_request');
    const token = await call(`${server.url}/auth/sso/token`, { json: {} });
    assert.equal(token.status, 400);
    assert.equal(token.body.error, 'invalid_request');
  });

  it('accepts a device request without a body', async () => {
    const answer = await call(`${server.url}/auth/sso/device`, { method: 'POST' });
    assert.equal(answer.status, 200);
    assert.equal(typeof answer.body.userCode, 'string');
  });

  it('answers authorization_pending until the person approves', async () => {
    const device = await startDevice(server);
    const answer = await poll(server, device.deviceCode);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'authorization_pending');
  });

  it('never tells a client that waits the full interval to slow down', async () => {
    const device = await startDevice(server);
    for (let i = 0; i < 2; i++) {
      assert.equal((await poll(server, device.deviceCode)).body.error, 'authorization_pending');
      await sleep(1000);
    }
    assert.equal((await poll(server, device.deviceCode)).body.error, 'authorization_pending');
  });

  it('answers slow_down to a poll sooner than the interval, and raises that code’s interval by 5 seconds', async () => {
    const device = await startDevice(server);
    assert.equal((await poll(server, device.deviceCode)).body.error, 'authorization_pending');
    const early = await poll(server, device.deviceCode);
    assert.equal(early.status, 400);
    assert.equal(early.body.error, 'slow_down');
    await sleep(1100);
    // The old 1-second interval is over, the new one of 6 seconds is not.
    assert.equal((await poll(server, device.deviceCode)).body.error, 'slow_down');
    const other = await startDevice(server);
    assert.equal((await poll(server, other.deviceCode)).body.error, 'authorization_pending', 'other codes keep their interval');
  });

  it('approves through the identity provider’s login and consent pages, then hands out the key once', async () => {
    const device = await startDevice(server, 'VS Code on desk');
    await completeSsoLogin(device.verificationUri, device.userCode, alice);
    const answer = await poll(server, device.deviceCode);
    assert.equal(answer.status, 200);
    assert.match(answer.body.key, /^pc_[0-9a-f]{64}$/);
    assert.equal(answer.body.name, 'VS Code on desk');
    assert.equal(typeof answer.body.id, 'string');
    assert.equal(new Date(answer.body.createdAt).toISOString(), answer.body.createdAt);
    assert.equal(answer.body.user.username, 'alice');
    assert.equal((await call(`${server.url}/auth/me`, { key: answer.body.key })).body.id, 'usr_alice');

    const again = await poll(server, device.deviceCode);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    const names = (await call(`${server.url}/api-keys`, { key: answer.body.key })).body.keys.map((k: { name: string }) => k.name);
    assert.deepEqual(names.filter((name: string) => name === 'VS Code on desk'), ['VS Code on desk']);
  });

  it('approves for the account that signed in at the provider, whoever asked', async () => {
    const device = await startDevice(server);
    await completeSsoLogin(device.verificationUriComplete, device.userCode, { username: 'bob', password: 'bob-password' });
    const answer = await poll(server, device.deviceCode);
    assert.equal(answer.body.user.username, 'bob');
    assert.deepEqual(answer.body.user.roles, ['admin']);
  });

  it('answers access_denied, and keeps answering it, when the person cancels on the consent page', async () => {
    const device = await startDevice(server);
    await completeSsoLogin(device.verificationUri, device.userCode, alice, { deny: true });
    assert.equal((await poll(server, device.deviceCode)).body.error, 'access_denied');
    const again = await poll(server, device.deviceCode);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'access_denied');
  });

  it('answers access_denied when the person cancels on the login page', async () => {
    const device = await startDevice(server);
    const browser = new Browser();
    const login = await browser.submit(await browser.open(device.verificationUri), 'Continue', { user_code: device.userCode });
    const end = await browser.submit(login, 'Cancel');
    assert.match(pageText(end.html), /Sign-in cancelled/);
    assert.equal((await poll(server, device.deviceCode)).body.error, 'access_denied');
  });

  it('does not approve on a wrong password at the provider, and lets the person try again', async () => {
    const device = await startDevice(server);
    await assert.rejects(
      completeSsoLogin(device.verificationUri, device.userCode, { username: 'alice', password: 'wrong' }),
      /refused the sign-in \(401\).*Wrong username or password/,
    );
    assert.equal((await poll(server, device.deviceCode)).body.error, 'authorization_pending');

    const browser = new Browser();
    const login = await browser.submit(await browser.open(device.verificationUri), 'Continue', { user_code: device.userCode });
    const refused = await browser.submit(login, 'Sign in', { username: 'alice', password: 'bob-password' });
    assert.equal(refused.status, 401);
    assert.match(pageText(refused.html), /Wrong username or password/);
    const consent = await browser.submit(refused, 'Sign in', { username: 'alice', password: 'alice-password' });
    assert.match(pageText(consent.html), /Alice Developer \(alice\)/);
    const end = await browser.submit(consent, 'Allow');
    assert.match(pageText(end.html), /Approved — you can close this tab and return to VS Code/);
    assert.equal((await poll(server, device.deviceCode)).body.user.username, 'alice');
  });

  it('answers invalid_grant for a device code it never issued', async () => {
    const answer = await poll(server, 'made-up');
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'invalid_grant');
  });

  it('shows the verification page with a "Code" field filled from the link, the key name and a "Continue" button', async () => {
    const device = await startDevice(server, 'VS Code on studio');
    const page = await new Browser().open(device.verificationUriComplete);
    assert.equal(page.status, 200);
    assert.match(page.html, /<label for="user_code">Code<\/label>/);
    assert.match(page.html, new RegExp(`id="user_code" name="user_code" value="${device.userCode}"`));
    assert.match(page.html, /<button type="submit">Continue<\/button>/);
    assert.match(pageText(page.html), /Requested by: VS Code on studio/);
  });

  it('takes the user code in any letter case and without its dash', async () => {
    const device = await startDevice(server);
    const browser = new Browser();
    const login = await browser.submit(await browser.open(device.verificationUri), 'Continue', { user_code: device.userCode.replace('-', '').toLowerCase() });
    assert.match(login.html, /name="password"/);
  });

  it('refuses an unknown or used code on the verification page', async () => {
    const browser = new Browser();
    const unknown = await browser.submit(await browser.open(`${server.url}/auth/sso/verify`), 'Continue', { user_code: 'BBBB-BBBB' });
    assert.equal(unknown.status, 400);
    assert.match(pageText(unknown.html), /That code is not valid/);

    const device = await startDevice(server);
    await completeSsoLogin(device.verificationUri, device.userCode, alice);
    const used = await browser.submit(await browser.open(device.verificationUri), 'Continue', { user_code: device.userCode });
    assert.equal(used.status, 400);
    assert.match(pageText(used.html), /already been used/);
  });

  it('approves only from the browser that started the sign-in, and only once', async () => {
    const device = await startDevice(server);
    const browser = new Browser();
    const login = await browser.submit(await browser.open(device.verificationUri), 'Continue', { user_code: device.userCode });
    const consent = await browser.submit(login, 'Sign in', alice);
    // Hold the provider's answer back, to replay it from elsewhere.
    server.faults.set({ path: '/auth/sso/callback', status: 503, times: 1 });
    const held = await browser.submit(consent, 'Allow');
    assert.equal(held.status, 503);
    const callback = new URL(held.url);
    assert.ok(callback.searchParams.has('code') && callback.searchParams.has('state'), held.url);

    const elsewhere = await new Browser().open(held.url);
    assert.equal(elsewhere.status, 400);
    assert.match(pageText(elsewhere.html), /did not start in this browser/);
    assert.equal((await poll(server, device.deviceCode)).body.error, 'authorization_pending');

    const here = await browser.open(held.url);
    assert.match(pageText(here.html), /Approved/);
    const replay = await browser.open(held.url);
    assert.equal(replay.status, 400);
    assert.match(pageText(replay.html), /not valid or was already used/);
  });

  it('answers the callback without a known state with an error page', async () => {
    const answer = await call(`${server.url}/auth/sso/callback?code=x&state=y`);
    assert.equal(answer.status, 400);
    assert.match(answer.headers.get('content-type') ?? '', /text\/html/);
  });

  it('mounts a real OpenID Connect provider at {url}/oidc', async () => {
    const discovery = await call(`${server.url}/oidc/.well-known/openid-configuration`);
    assert.equal(discovery.status, 200);
    assert.equal(discovery.body.issuer, `${server.url}/oidc`);
    assert.equal(discovery.body.authorization_endpoint, `${server.url}/oidc/auth`);
    assert.equal(discovery.body.token_endpoint, `${server.url}/oidc/token`);
    assert.deepEqual(discovery.body.code_challenge_methods_supported, ['S256']);
  });

  it('leaves the server’s own back-channel requests out of the request log', async () => {
    const from = server.requests.length;
    const device = await startDevice(server);
    await completeSsoLogin(device.verificationUri, device.userCode, alice);
    const paths = server.requests.slice(from).map((r) => r.path);
    assert.ok(paths.includes('/auth/sso/callback'));
    assert.ok(!paths.includes('/oidc/token'));
  });
});

describe('reference server: SSO expiry and switches', () => {
  it('answers expired_token after deviceCodeTtlSeconds, and the verification page refuses the code', async () => {
    const server = await startServer({ pollIntervalSeconds: 1, deviceCodeTtlSeconds: 1 });
    try {
      const device = await startDevice(server);
      assert.equal(device.expiresIn, 1);
      assert.equal((await poll(server, device.deviceCode)).body.error, 'authorization_pending');
      await sleep(1100);
      const answer = await poll(server, device.deviceCode);
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error, 'expired_token');
      const browser = new Browser();
      const page = await browser.submit(await browser.open(device.verificationUri), 'Continue', { user_code: device.userCode });
      assert.equal(page.status, 400);
      assert.match(pageText(page.html), /expired/);
    } finally {
      await server.stop();
    }
  });

  it('answers expired_token when the code expires while the person is at the provider', async () => {
    const server = await startServer({ pollIntervalSeconds: 1, deviceCodeTtlSeconds: 1 });
    try {
      const device = await startDevice(server);
      const browser = new Browser();
      const login = await browser.submit(await browser.open(device.verificationUri), 'Continue', { user_code: device.userCode });
      const consent = await browser.submit(login, 'Sign in', alice);
      await sleep(1100);
      const end = await browser.submit(consent, 'Allow');
      assert.equal(end.status, 400);
      assert.match(pageText(end.html), /expired/);
      assert.equal((await poll(server, device.deviceCode)).body.error, 'expired_token');
    } finally {
      await server.stop();
    }
  });

  it('offers no SSO endpoints and no provider when SSO is off', async () => {
    const server = await startServer({ sso: false });
    try {
      for (const [method, path] of [['POST', '/auth/sso/device'], ['POST', '/auth/sso/token'], ['GET', '/auth/sso/verify'], ['GET', '/oidc/.well-known/openid-configuration']]) {
        const answer = await call(`${server.url}${path}`, { method, ...(method === 'POST' ? { json: { deviceCode: 'x' } } : {}) });
        assert.equal(answer.status, 404, path);
        assert.equal(answer.body.error, 'sso_disabled');
      }
    } finally {
      await server.stop();
    }
  });

  it('signs in with SSO when password login is disabled, under a prefix', async () => {
    const server = await startServer({ pollIntervalSeconds: 1, passwordLogin: false, prefix: '/coderflow' });
    try {
      const device = await startDevice(server);
      assert.equal(device.verificationUri, `${server.origin}/coderflow/auth/sso/verify`);
      await completeSsoLogin(device.verificationUri, device.userCode, alice);
      const answer = await poll(server, device.deviceCode);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.name, 'CLI Access');
    } finally {
      await server.stop();
    }
  });
});
