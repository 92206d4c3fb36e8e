/**
 * Credentials of the AWS SDKs and CLIs that SECRET_NAME does not catch by their name. The others
 * (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN) it does.
 */
const AWS_SECRETS = new Set(['AWS_ACCESS_KEY_ID']);
// Names that say they hold a secret (GITHUB_TOKEN, NPM_TOKEN, DB_PASSWORD, AWS_BEARER_TOKEN_BEDROCK...), but not
// names that merely mention one (PASSWORD_STORE_DIR, which docker-credential-pass needs).
const SECRET_NAME = /(?:^|_)(?:SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|SECRET_KEY|ACCESS_KEY|PRIVATE_KEY|API_KEY)$|(?:^|_)(?:BEARER_TOKEN|SECRET_ACCESS_KEY)(?:_|$)/i;

/**
 * The environment for a child process that needs none of our secrets (a credential helper, a tool's login):
 * `env` without the AWS credentials and without variables whose names say they hold a secret or token.
 *
 * @example
 * ```ts
 * childEnvironment({ PATH: '/usr/bin', AWS_SECRET_ACCESS_KEY: 'x', GITHUB_TOKEN: 'y', PASSWORD_STORE_DIR: '/p' });
 * // → { PATH: '/usr/bin', PASSWORD_STORE_DIR: '/p' }
 * ```
 *
 * @param env - the environment to start from.
 * @returns a copy without the secrets.
 */
export function childEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || AWS_SECRETS.has(name.toUpperCase()) || SECRET_NAME.test(name)) continue;
    out[name] = value;
  }
  return out;
}
