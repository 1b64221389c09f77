import { aiProviderOf } from '../../shared/secretShapes';
import { keyFormatError } from '../apiKeyFormat';
import type { FlowContext, SignInFlow, SignInResult } from './types';

export interface ApiKeyInput {
  apiKey: string;
}

/** The AI provider whose key this looks like, or undefined. */
export const looksLikeAiProviderKey = aiProviderOf;

/** Checks a pasted key's form; the server is asked only about a key that could be one. */
export function checkApiKeyFormat(input: string): string {
  const error = keyFormatError(input);
  if (error) throw error;
  return input.trim();
}

/** An existing key, pasted: accepted only once `GET /auth/me` confirms it. */
export const apiKeyFlow: SignInFlow<ApiKeyInput> = {
  id: 'apiKey',
  async authenticate(input: ApiKeyInput, context: FlowContext): Promise<SignInResult> {
    const apiKey = checkApiKeyFormat(input.apiKey);
    const user = await context.client.withApiKey(apiKey).me(context.signal);
    return { serverUrl: context.client.serverUrl, apiKey, user, method: 'apiKey' };
  },
};
