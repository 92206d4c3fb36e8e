#!/usr/bin/env node
import '../compile-cache.js';
import { main } from '../main.js';

const controller = new AbortController();
const stop = () => controller.abort();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal });
process.exitCode = code;
process.off('SIGTERM', stop);
process.off('SIGINT', stop);
