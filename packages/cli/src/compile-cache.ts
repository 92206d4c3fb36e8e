/**
 * Imported first by both executables: on Node 22.1+ V8's compiled code is cached on disk
 * (`module.enableCompileCache`, in the OS temp folder unless `NODE_COMPILE_CACHE` says otherwise), which
 * makes a cold start that loads the AWS SDK much cheaper. A no-op on Node 20, and when
 * `NODE_DISABLE_COMPILE_CACHE` is set.
 *
 * @module
 */
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
