/**
 * readStored and writeStored keep small preferences in this browser's localStorage. Storage can
 * be unavailable (private mode, blocked by policy): then a read answers null and a write does
 * nothing, so the preference holds for this visit only.
 */
export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** writeStored stores value under key; null removes the key. */
export function writeStored(key: string, value: string | null) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // unavailable: see readStored
  }
}
