export { resolveDockerConfigPath } from './paths.js';
export type { DockerConfigPathOptions, DockerConfigPathSource } from './paths.js';
export { toDockerConfigDocument, mergeDockerConfig, dockerConfigRequests } from './document.js';
export type { DockerConfigEntryOptions } from './document.js';
export { writeDockerConfig, removeDockerConfig } from './write.js';
export type { WriteDockerConfigOptions, DockerConfigWriteResult, RemoveDockerConfigOptions, DockerConfigRemoveResult } from './write.js';
export { dockerLogin } from './login.js';
export type { DockerLoginOptions } from './login.js';
