// A tiny history-API router: the current path lives here; <Link> and navigate() push to it.
import type { ComponentChildren, TargetedMouseEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

function notify(): void {
  listeners.forEach((l) => l());
}

window.addEventListener('popstate', notify);

export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
  // Screen readers: announce the new page by moving focus to the main region.
  document.getElementById('main')?.focus({ preventScroll: true });
}

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function useLocation(): Location {
  const [, force] = useState(0);
  const seen = location.pathname + location.search;
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    // A navigation between render and this effect would otherwise be missed.
    if (location.pathname + location.search !== seen) l();
    return () => {
      listeners.delete(l);
    };
  }, []);
  return { path: decodeURI(location.pathname), query: new URLSearchParams(location.search) };
}

interface LinkProps {
  href: string;
  class?: string;
  'aria-label'?: string;
  'aria-current'?: 'page';
  onClick?: () => void;
  children?: ComponentChildren;
}

export function Link({ href, onClick, ...rest }: LinkProps) {
  const click = (e: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (onClick) onClick();
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={click} {...rest} />;
}
