// The public API of the auth core. Plain TypeScript: nothing here imports `vscode`.
export { AuthError, isAuthError, toAuthError, MESSAGES } from './errors';
export type { AuthErrorKind, AuthErrorField, AuthErrorDetails } from './errors';

export * as protocol from './protocol';
export { API_KEY_PREFIX, PATHS } from './protocol';
export type { User, ApiKeyInfo, CreatedKey, LoginResult, SsoConfig, DeviceAuthorization, CliConfig, CliProfile } from './protocol';

export { CoderFlowClient, normalizeServerUrl, isLoopbackHost, DEFAULT_TIMEOUT_MS, MAX_BODY_BYTES } from './client';
export { tlsAgentOptions, trustApplied, pinnableCertificate, isUntrustedCertificate, certificatesIn, PinnedCertificate } from './tls';
export type { TlsOptions, CertificatePins, TrustApplied, TrustSource } from './tls';
export type { ClientOptions, AgentOption } from './client';

export { deviceKeyName } from './flows/types';
export type { SignInFlow, SignInResult, SignInMethod, FlowContext } from './flows/types';
export { passwordFlow } from './flows/password';
export type { PasswordInput } from './flows/password';
export { ssoFlow } from './flows/sso';
export type { SsoInput, DeviceCodePrompt } from './flows/sso';
export { apiKeyFlow, looksLikeAiProviderKey, checkApiKeyFormat } from './flows/apiKey';
export type { ApiKeyInput } from './flows/apiKey';

export { rotateKey } from './keys';
export type { RotateOptions, RotateResult, RotationStep } from './keys';

export { findCliConfigPath, readCliConfig, listCliProfiles, writeCliProfileKey, watchCliConfig } from './cliConfig';
export type { CliConfigState, CliConfigLocation, CliProfileSummary, WatchOptions } from './cliConfig';

export { resolve, CREDENTIAL_SOURCES } from './resolve';
export type { CredentialSource, Credential, ResolveInputs, Resolution, Consideration } from './resolve';

export { sleep } from './sleep';
