export { AuthFileError, AuthFileInvalidError, AuthFileNotRegularError, pathKind, AuthFileAccessError, AuthFileLockTimeoutError, EntryShadowedError, CredentialHelperError, ToolLoginError, errnoCode } from './errors.js';
export type { AuthFileErrorCode, AuthFileProblem, PathKind, ShadowSource } from './errors.js';
export { parseAuthFile, serializeAuthFile, detectIndent } from './auth-document.js';
export type { AuthDocument, AuthEntry, JsonIndent, ParsedAuthFile } from './auth-document.js';
export { hostOfKey, isSchemeTwin, isHostTwin, registryHostOf, assertRegistryHost, scopedKey } from './auth-keys.js';
export { childEnvironment } from './child-env.js';
export { readAuthFile } from './read-auth-file.js';
export { setAuthEntries, removeAuthEntries, findConfiguredHelper } from './auth-entries.js';
export type { AuthEntryUpdate, ConfiguredHelper, RemoveAuthEntriesOptions, SetAuthEntriesResult, RemoveAuthEntriesResult } from './auth-entries.js';
export { resolveWriteTarget } from './write-target.js';
export { withFileLock } from './file-lock.js';
export type { FileLockOptions } from './file-lock.js';
export { writeFileAtomic } from './atomic-write.js';
export type { AtomicWriteOptions } from './atomic-write.js';
export { updateAuthFile } from './update-auth-file.js';
export type { UpdateAuthFileOptions, AuthFileSnapshot, AuthFileChange, AuthFileUpdateResult } from './update-auth-file.js';
export { redactSecrets } from './redact.js';
export { runProcess } from './run-process.js';
export type { RunProcessOptions, ProcessOutcome } from './run-process.js';
export { storeInCredentialHelper, eraseFromCredentialHelper } from './credential-helper.js';
export type { CredentialHelperOptions } from './credential-helper.js';
export { runToolLogin, containersToolLogin } from './tool-login.js';
export type { ToolLoginOptions, ToolLoginResult, ContainersLoginOptions } from './tool-login.js';
export { addressTokens, writeAuthEntries, removeAuthFileEntries } from './write-auth-entries.js';
export type { RemoveAuthFileEntriesOptions, ShadowedPolicy, AuthEntryRequest, AuthWriteOptions, EntryStorage, WrittenEntry, AuthFileWriteResult, AuthFileRemoveResult } from './write-auth-entries.js';
export {
  resolveContainersAuthPath,
  containersAuthLookupPaths,
  containersAuthRequests,
  toContainersAuthDocument,
  mergeContainersAuth,
  writeContainersAuth,
  removeContainersAuth,
} from './containers-auth.js';
export type {
  Environment,
  ContainersAuthPathSource,
  ResolvedAuthPath,
  ContainersAuthPathOptions,
  ContainersAuthEntryOptions,
  WriteContainersAuthOptions,
  ContainersAuthWriteResult,
  RemoveContainersAuthOptions,
  ContainersAuthRemoveResult,
} from './containers-auth.js';
export { tryAcquireLock, inspectLock } from './lock-file.js';
export type { LockHandle, TryLockOptions, LockState } from './lock-file.js';
