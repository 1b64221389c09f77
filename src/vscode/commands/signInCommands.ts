// The sign-in commands: choose the method after the server, or SSO or an API key directly.
import type { SignInMethod } from '../../shared/signInMethod';
import type { Services } from '../../container';
import { signIn, type SignInArgs } from '../paletteSignIn';
import type { CommandHandlers } from './commandIds';

export function signInCommands(services: Services) {
  return {
    'profoundCoder.signIn': (args?: SignInArgs & { method?: SignInMethod }) => signIn(services, args?.method, args),
    'profoundCoder.signInWithSso': (args?: SignInArgs) => signIn(services, 'sso', args),
    'profoundCoder.signInWithApiKey': (args?: SignInArgs) => signIn(services, 'apiKey', args),
  } satisfies CommandHandlers;
}
