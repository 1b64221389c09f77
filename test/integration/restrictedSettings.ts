/** Settings of the restricted pass's workspace: what a repository you did not write could carry. */
export const RESTRICTED_WORKSPACE_SETTINGS = {
  'profoundCoder.serverUrl': 'http://127.0.0.1:9/attacker',
  'profoundCoder.apiKey': 'pc_workspace_key_from_an_untrusted_repository',
  'profoundCoder.cliConfigPath': '/tmp/coderflow-untrusted-cli-config.json',
};
