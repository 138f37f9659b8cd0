/** Where a login lands when `returnTo` is missing or refused. */
export const DEFAULT_RETURN_TO = '/';

const MAX_LENGTH = 2048;

/**
 * `returnTo` as a same-origin path, or `/`. Only `/` followed by something
 * other than `/` or `\` passes: `//evil` and `/\evil` are protocol-relative
 * to browsers, and absolute URLs, control characters and oversized values are
 * refused outright rather than repaired (OAuth BCP §4.11, open redirectors).
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return DEFAULT_RETURN_TO;
  if (value[0] !== '/' || value[1] === '/' || value[1] === '\\') return DEFAULT_RETURN_TO;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return DEFAULT_RETURN_TO;
  // Resolve against a dummy origin: whatever the browser would make of it must stay on it.
  const dummy = 'http://return-to.invalid';
  try {
    const url = new URL(value, dummy);
    if (url.origin !== dummy) return DEFAULT_RETURN_TO;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return DEFAULT_RETURN_TO;
  }
}
