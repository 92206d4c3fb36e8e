// A function in CommonJS, as many bundled Lambda functions and GitHub Actions are: it returns a registry's
// credentials for a deploy step (the password never logged). Run directly, it prints what it got, redacted.
//
//   node examples/lambda-handler.cjs [REGISTRY]
//
// Standard AWS environment (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_ECR, ...).
'use strict';
const { EcrAuthError, getToken } = require('ecr-auth');

/**
 * @param {{ registry?: string }} event - the registry to log in to; none: the caller's own in AWS_REGION.
 * @returns {Promise<{ registry: string, username: string, expiresAt: string, password: string }>}
 */
exports.handler = async (event = {}) => {
  const token = await getToken(event.registry);
  return { registry: token.registry, username: token.username, expiresAt: token.expiresAt.toISOString(), password: token.revealPassword() };
};

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  exports.handler({ registry: process.argv[2] }).then(
    (result) => console.log(JSON.stringify({ ...result, password: `[${result.password.length} characters]` })),
    (error) => {
      console.error(error instanceof EcrAuthError ? `${error.code}: ${error.message}` : error);
      process.exitCode = 1;
    },
  );
}
