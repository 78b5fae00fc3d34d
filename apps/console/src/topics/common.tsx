import type { MouseEvent, ReactNode } from 'react';
import { REFRESH_MS } from './data';

/** The address of a page below a cluster's tab, as the console's router writes it (each segment URI-encoded). */
export const hrefOf = (clusterArn: string, tab: string, rest: string[]) =>
  `/console/clusters/${[clusterArn, tab, ...rest].map(encodeURIComponent).join('/')}`;

interface LinkProps {
  href: string;
  to: string[];
  navigate: (rest: string[]) => void;
  children: ReactNode;
  label?: string;
}

/** A link within the tab: a real href (open in a new tab works), routed in place on a plain click. */
export function TabLink({ href, to, navigate, children, label }: LinkProps) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={href} onClick={onClick} aria-label={label}>{children}</a>;
}

/** "Updated 12:00:05; refreshes every 5 s." (or Loading… before the first answer). */
export function Updated({ at, every = REFRESH_MS }: { at?: Date; every?: number }) {
  if (!at) return <p className="help">Loading…</p>;
  return <p className="help">Updated {at.toLocaleTimeString()}{every > 0 ? `; refreshes every ${every / 1000} s.` : '.'}</p>;
}

export function ErrorLine({ text }: { text?: string }) {
  return text ? <p className="error" role="alert">{text}</p> : null;
}
