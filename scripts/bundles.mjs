// The extension's bundles besides dist/extension.js, for the build (build.mjs) and the size report
// (sizes.mjs): one table of each.

// Modules the extension's bundles share one instance of, each a bundle of its own (built by
// build.mjs) that they require at run time: @vscode/l10n, so that the translations activate()
// configures are the ones every lazily loaded bundle reads; node-fetch, loaded on the first request
// by whichever bundle makes it; zod, with the first schema of an action, instead of a copy in each
// bundle (the two schema bundles read at activation carry their own few functions: INLINE_ZOD).
export const SHARED = { '@vscode/l10n': './l10n.js', 'node-fetch': './nodeFetch.js', 'zod/mini': './zod.js' };

// Bundles of the extension that are not needed to activate, each built (build.mjs) from its entry
// below and required at run time as './<name>.js' when first needed:
//   actions         the clients, sign-in, the commands' handlers, the Profile Manager's backend, on
//                   a person's first action (src/container.ts);
//   profileManager  the Profile Manager's host, when the view first opens (src/extension.ts);
//   connectionTest  Test connection's diagnostic, on the first test (src/vscode/connectionTestBundle.ts);
//   keys            key management, rotation and the CLI sharing, on the first key action, or when
//                   the key in use may be near its expiry (src/container.ts, src/vscode/keyWatch.ts);
//   terminal        the terminal's key injection, once profoundCoder.terminal.injectApiKey is on
//                   (src/vscode/terminalSwitch.ts) or a key action needs it;
//   profileSchema   the shapes of stored profiles, on the profile store's first read (src/profiles/profile.ts);
//   cliConfigSchema the CLI config's shape, on its first read (src/core/cliConfig/cliConfigRead.ts);
//   profileWrites   the profile store's changes, on the first one;
//   legacyList      moving an earlier version's single profile list, when there is one;
//   storageErrors   the errors of a failed read or write of VS Code's storage, when one fails
//                   (both src/profiles/store.ts);
//   serverUrlProblems  what is wrong with a refused server URL, when one is (src/core/http/serverUrl.ts);
//   apiKeyFormat    what is wrong with a key that is not a personal key, when the credential chain
//                   meets one (src/core/credentialChain.ts);
//   cliConfigText   jsonc-parser, on the first write to the CLI config or the first one that does
//                   not parse (src/core/cliConfig/cliConfigRead.ts).
// knip.js reads the same entries; scripts/sizes.mjs lists their sizes; .vscodeignore ships every dist/*.js.
export const LAZY = {
  actions: 'src/actions.ts',
  profileSchema: 'src/profiles/profileSchema.ts',
  terminal: 'src/vscode/terminal.ts',
  cliConfigSchema: 'src/core/cliConfig/cliConfigSchema.ts',
  apiKeyFormat: 'src/core/apiKeyFormat.ts',
  profileWrites: 'src/profiles/profileWrites.ts',
  legacyList: 'src/profiles/legacyList.ts',
  storageErrors: 'src/profiles/storageErrors.ts',
  serverUrlProblems: 'src/core/http/serverUrlProblems.ts',
  profileManager: 'src/profileManager/viewProvider.ts',
  connectionTest: 'src/vscode/connectionTest.ts',
  keys: 'src/vscode/keyManagement/keyActions.ts',
  cliConfigText: 'src/core/cliConfig/cliConfigText.ts',
};
