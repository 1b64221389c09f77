// The API's request (api.ts): a CoderFlow endpoint called with the credential in use, through the
// shared client, without the caller seeing the key.
import type { CoderFlowApi } from './api';
import type { Core } from './container';
import { AuthError } from './core/errors';
import * as l10n from '@vscode/l10n';

export async function requestAsPerson(core: Core, ready: Promise<unknown>, ...[path, init]: Parameters<CoderFlowApi['request']>): Promise<unknown> {
  await ready;
  const current = core.services().currentClient();
  if (!current) throw new AuthError('bad-input', l10n.t('Not signed in to CoderFlow.'), { fix: l10n.t('Sign in from the CoderFlow Profile Manager.') });
  try {
    const answer = await current.client.request(path, init);
    core.health.observe(undefined);
    return answer;
  } catch (e) {
    core.health.observe(e);
    throw e;
  }
}
