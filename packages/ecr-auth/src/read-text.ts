/**
 * Reads a UTF-8 file, asynchronously, through `node:fs`'s callback API: `node:fs/promises` is not loaded at a
 * Node 20 start and costs ~1.5 ms to load, on the path of every cold `ecr-auth` command.
 *
 * @module
 */
import { readFile } from 'node:fs';

/**
 * The text of a file.
 *
 * @param path - the file.
 * @returns its content, decoded as UTF-8.
 * @throws Node's error (`ENOENT`, `EACCES`, …) when it cannot be read.
 */
export function readText(path: string): Promise<string> {
  return new Promise((resolve, reject) => readFile(path, 'utf8', (error, text) => (error ? reject(error) : resolve(text))));
}
