import "server-only";

/** A path segment as the caller meant it, whether or not the router already decoded it. */
export function pathParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
