import { AuthError } from '../errors';
import { confirmNewKey, type FlowContext, type SignInFlow, type SignInResult } from './types';
import * as l10n from '@vscode/l10n';

export interface PasswordInput {
  username: string;
  password: string;
}

/** Username and password: the CLI login endpoint creates a key, then `GET /auth/me` confirms it. */
export const passwordFlow: SignInFlow<PasswordInput> = {
  id: 'password',
  async authenticate(input: PasswordInput, context: FlowContext): Promise<SignInResult> {
    const username = input.username.trim();
    if (username === '') throw new AuthError('bad-input', l10n.t('Enter your username.'), { field: 'username' });
    if (input.password === '') throw new AuthError('bad-input', l10n.t('Enter your password.'), { field: 'password' });
    const { client, signal, keyName } = context;
    const login = await client.cliLogin(username, input.password, keyName, signal);
    const user = await confirmNewKey(client, login, signal);
    return { serverUrl: client.serverUrl, apiKey: login.key, keyId: login.id, keyName: login.name, user, method: 'password' };
  },
};
