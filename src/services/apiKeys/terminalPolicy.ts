// Whether new integrated terminals get the key in use as CODER_API_KEY, the variable the coder
// CLI reads (PROTOCOL.md §6). The CLI takes the server from its own config, and no variable for
// the server is documented: the key is given only when the CLI would send it to the server it
// belongs to, as the file that CLI reads says (CODERFLOW_CONFIG, else ~/.coderflow/config.json: a
// terminal does not see profoundCoder.cliConfigPath). A pure decision, so each case is a row in a test.
import type { CliConfigState } from '../../core/cliConfig/cliConfigRead';
import { CLI_API_KEY_ENV } from '../../core/cliConfig/cliConfigPath';
import type { Credential } from '../../core/credentialChain';
import { sameServer } from './cliSharing';
import * as l10n from '@vscode/l10n';

export const TERMINAL_KEY_VARIABLE = CLI_API_KEY_ENV;

export interface TerminalKeyInputs {
  /** profoundCoder.terminal.injectApiKey */
  enabled: boolean;
  workspaceTrusted: boolean;
  credential: Credential | undefined;
  /** The CLI config that the coder CLI in a new terminal reads, as just read. */
  cli: CliConfigState | undefined;
  /** The name of the profile in use, for the collection's description. */
  profileName?: string;
}

export type TerminalKeyDecision =
  | { inject: true; apiKey: string; description: string }
  | { inject: false; reason: string; /** Worth telling the person: they asked for the key and do not get it. */ notify: boolean };

/** The server the coder CLI sends requests to: the active profile's, else the base one (§6). */
export function cliServerOf(cli: CliConfigState | undefined): string | undefined {
  if (cli?.state !== 'ok') return undefined;
  const { config } = cli;
  const active = config.activeProfile?.trim();
  const profiles = config.profiles ?? {};
  const profile = active && Object.prototype.hasOwnProperty.call(profiles, active) ? profiles[active] : undefined;
  return profile?.server?.trim() || config.server?.trim() || undefined;
}

export function decideTerminalKey(inputs: TerminalKeyInputs): TerminalKeyDecision {
  const { credential } = inputs;
  if (!inputs.enabled) return { inject: false, reason: l10n.t('profoundCoder.terminal.injectApiKey is off.'), notify: false };
  if (!credential) return { inject: false, reason: l10n.t('Not signed in.'), notify: false };
  // The CLI finds these keys itself, in its config or in the environment it inherits.
  if (credential.source !== 'profile' && credential.source !== 'setting') {
    return { inject: false, reason: l10n.t('The key in use comes from the CoderFlow CLI configuration or environment, which the CLI reads itself.'), notify: false };
  }
  if (!inputs.workspaceTrusted) {
    return { inject: false, reason: l10n.t('This workspace is not trusted: its scripts and tasks could read the key from a terminal.'), notify: false };
  }
  if (inputs.cli === undefined || inputs.cli.state !== 'ok') {
    // Without the CLI's own config, nothing says where the CLI would send the key.
    const why = inputs.cli === undefined ? l10n.t('has not been read yet') : inputs.cli.state === 'missing' ? l10n.t('does not exist ({0})', inputs.cli.path) : l10n.t('cannot be read ({0})', inputs.cli.path);
    return {
      inject: false,
      reason: l10n.t("The coder CLI's config {0}, so the server the CLI would send the key to is unknown. Use Save to CLI profile in the Profile Manager, then coder profile switch <name>.", why),
      notify: inputs.cli !== undefined,
    };
  }
  const cliServer = cliServerOf(inputs.cli);
  if (cliServer !== undefined && !sameServer(cliServer, credential.serverUrl)) {
    return {
      inject: false,
      reason: l10n.t("The coder CLI's config points to {0}, not to {1}; the CLI would send the key to the other server.", cliServer, credential.serverUrl),
      notify: true,
    };
  }
  const whose = credential.source === 'profile' && inputs.profileName ? l10n.t("profile '{0}'", inputs.profileName) : l10n.t('the profoundCoder.apiKey setting');
  return {
    inject: true,
    apiKey: credential.apiKey,
    description: l10n.t('CoderFlow: {0} of {1} ({2}), for the coder CLI', TERMINAL_KEY_VARIABLE, whose, credential.serverUrl),
  };
}
