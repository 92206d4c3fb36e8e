#!/usr/bin/env node
/**
 * The `ecr-auth-emulator` executable.
 *
 * @module
 */
import { main } from './cli.js';

await main();
