import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeServerUrl, isLoopbackHost } from '../../../../src/core/http/serverUrl';
import { AuthError } from '../../../../src/core/errors';

function refusal(input: string): AuthError {
  try {
    normalizeServerUrl(input);
  } catch (e) {
    assert.ok(e instanceof AuthError);
    return e;
  }
  assert.fail(`expected ${JSON.stringify(input)} to be refused`);
}

describe('normalizeServerUrl', () => {
  const accepted: Array<[string, string]> = [
    ['https://coderflow.example.com', 'https://coderflow.example.com'],
    ['  https://coderflow.example.com/  ', 'https://coderflow.example.com'],
    ['HTTPS://CoderFlow.Example.COM', 'https://coderflow.example.com'],
    ['https://host/coderflow/', 'https://host/coderflow'],
    ['https://host/coderflow///', 'https://host/coderflow'],
    ['https://host:443/', 'https://host'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['coderflow.example.com', 'https://coderflow.example.com'],
    ['coderflow.example.com/prefix', 'https://coderflow.example.com/prefix'],
    ['localhost:8443', 'https://localhost:8443'],
    ['localhost:8443/coderflow', 'https://localhost:8443/coderflow'],
    ['[::1]:8080', 'https://[::1]:8080'],
  ];
  for (const [input, expected] of accepted) {
    it(`turns ${JSON.stringify(input)} into ${expected}`, () => {
      assert.equal(normalizeServerUrl(input), expected);
    });
  }

  const refused: Array<[string, RegExp]> = [
    ['', /Enter the server URL/],
    ['   ', /Enter the server URL/],
    ['ftp://files.example.com', /must start with https:\/\/ or http:\/\/, not ftp:/],
    ['javascript:alert(1)', /not javascript:/],
    ['file:///etc/passwd', /not file:/],
    ['https://alice:secret@coderflow.example.com', /must not contain a user name or password/],
    ['https://alice@coderflow.example.com', /must not contain a user name or password/],
    ['https://coderflow.example.com/#section', /fragment/],
    ['https://coderflow.example.com/?tenant=1', /query/],
    ['https://exa mple.com', /not a valid address/],
  ];
  for (const [input, message] of refused) {
    it(`refuses ${JSON.stringify(input)} with a message for the serverUrl field`, () => {
      const error = refusal(input);
      assert.equal(error.kind, 'bad-input');
      assert.equal(error.field, 'serverUrl');
      assert.match(error.message, message);
    });
  }

  it('never repeats a password from the URL in its message', () => {
    const error = refusal('https://alice:hunter2-secret@coderflow.example.com');
    assert.ok(!`${error.message} ${error.fix ?? ''}`.includes('hunter2-secret'));
  });

  it('never yields a URL with credentials, a fragment, a query or a non-http scheme (property)', () => {
    const piece = fc.constantFrom('https://', 'http://', 'ftp://', 'javascript:', 'HTTP://', 'user:pw@', '@', ':', '//', '/', '#', '?', 'a', 'host', '.', '8080', '[::1]', ' ', '\\', '%40', 'example.com', 'localhost');
    const input = fc.oneof(fc.string(), fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')), fc.webUrl({ withFragments: true, withQueryParameters: true }));
    fc.assert(
      fc.property(input, (text) => {
        let out: string;
        try {
          out = normalizeServerUrl(text);
        } catch (e) {
          return e instanceof AuthError && e.kind === 'bad-input' && e.field === 'serverUrl';
        }
        const url = new URL(out);
        return (
          (url.protocol === 'https:' || url.protocol === 'http:') &&
          url.username === '' &&
          url.password === '' &&
          url.hash === '' &&
          url.search === '' &&
          !out.endsWith('/') &&
          normalizeServerUrl(out) === out
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isLoopbackHost', () => {
  for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '[::1]']) {
    it(`treats ${host} as this computer`, () => assert.equal(isLoopbackHost(host), true));
  }
  for (const host of ['example.com', '128.0.0.1', '10.0.0.1', 'localhost.example.com', '127.0.0.1.nip.io', '[::2]']) {
    it(`treats ${host} as another computer`, () => assert.equal(isLoopbackHost(host), false));
  }
});
