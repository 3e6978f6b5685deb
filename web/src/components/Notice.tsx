import type { ComponentChildren } from 'preact';

// An error or success message announced to screen readers.
export function Notice({ kind, children }: { kind: 'error' | 'ok'; children: ComponentChildren }) {
  if (!children) return null;
  return (
    <p class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}
