import { AuthError } from '../errors';
import { API_KEY_PREFIX } from '../protocol';
import type { FlowContext, SignInFlow, SignInResult } from './types';

export interface ApiKeyInput {
  apiKey: string;
}

// Prefixes of the AI providers' keys that CoderFlow's agents use (Claude, Codex, Gemini, Grok…).
// The longest prefix of a provider comes first: "sk-ant-" before OpenAI's "sk-".
const AI_PROVIDER_PREFIXES: ReadonlyArray<[prefix: string, provider: string]> = [
  ['sk-ant-', 'Anthropic'],
  ['sk-or-', 'OpenRouter'],
  ['sk-proj-', 'OpenAI'],
  ['sk-', 'OpenAI'],
  ['AIza', 'Google'],
  ['xai-', 'xAI'],
  ['gsk_', 'Groq'],
  ['hf_', 'Hugging Face'],
];

/** The AI provider whose key this looks like, or undefined. */
export function looksLikeAiProviderKey(key: string): string | undefined {
  const trimmed = key.trim();
  return AI_PROVIDER_PREFIXES.find(([prefix]) => trimmed.startsWith(prefix))?.[1];
}

/** Checks a pasted key's form; the server is asked only about a key that could be one. */
export function checkApiKeyFormat(input: string): string {
  const key = input.trim();
  if (key === '') throw new AuthError('bad-input', 'Paste a CoderFlow personal API key (pc_…).', { field: 'apiKey' });
  const provider = looksLikeAiProviderKey(key);
  if (provider) {
    // The docs' "Confusing personal keys with AI provider keys".
    throw new AuthError('bad-input', `This looks like an AI provider's key (${provider}), not a CoderFlow personal API key.`, {
      field: 'apiKey',
      fix:
        'Personal API keys (pc_…) authenticate you to CoderFlow. AI provider keys are configured under provider authentication settings on the server and are injected into task containers so agents can call model providers. Sign in with your password or SSO to get a personal key.',
    });
  }
  if (!key.startsWith(API_KEY_PREFIX)) {
    throw new AuthError('bad-input', `CoderFlow personal API keys start with ${API_KEY_PREFIX}.`, {
      field: 'apiKey',
      fix: 'Copy the whole key as it was shown when it was created, or sign in to create a new one.',
    });
  }
  if (/\s/.test(key)) {
    throw new AuthError('bad-input', 'The key contains spaces or line breaks.', { field: 'apiKey', fix: 'Paste the key alone, on one line.' });
  }
  // Only printable ASCII can travel in the Authorization header; anything else is a copying accident.
  if (/[^\x21-\x7e]/.test(key)) {
    throw new AuthError('bad-input', 'The key contains characters that CoderFlow keys do not have.', {
      field: 'apiKey',
      fix: 'Copy the whole key again, as it was shown when it was created, or sign in to create a new one.',
    });
  }
  return key;
}

/** An existing key, pasted: accepted only once `GET /auth/me` confirms it. */
export const apiKeyFlow: SignInFlow<ApiKeyInput> = {
  id: 'apiKey',
  title: 'Use an existing API key',

  supports() {
    return true;
  },

  async authenticate(input: ApiKeyInput, context: FlowContext): Promise<SignInResult> {
    const apiKey = checkApiKeyFormat(input.apiKey);
    const user = await context.client.withApiKey(apiKey).me(context.signal);
    return { serverUrl: context.client.serverUrl, apiKey, user, method: 'apiKey' };
  },
};
