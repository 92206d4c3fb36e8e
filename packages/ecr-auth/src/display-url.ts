/**
 * URLs as they may appear in messages and logs: an endpoint URL can carry a password (`https://user:pass@…`) or
 * a signed query string, and neither may be printed.
 *
 * @module
 */

/**
 * An endpoint URL without its user information, query string and fragment.
 *
 * @param url - an endpoint URL (or anything the user configured as one).
 * @returns `scheme://host[:port]/path`, or `(an invalid URL)` when it does not parse.
 */
export function displayEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}

/**
 * Removes user information, query strings and fragments from every URL inside a text (an error message of the
 * SDK or of Node's HTTP stack).
 *
 * @param text - any text.
 * @returns the text with each `scheme://user:pass@host/path?query#frag` shown as `scheme://host/path`.
 */
export function scrubUrls(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/?#@]*@)?([^\s?#]*)(?:[?#]\S*)?/gi, '$1$2');
}
