/**
 * The API token for this browser session only: sessionStorage, gone when the tab or browser closes; never in
 * localStorage, a cookie or the URL.
 */
const KEY = 'openmsk.console.token';

export function loadToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}
