import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from './api';
import type { OrgUnit } from './types';

// Org-unit search as you type: waits `delay` ms after the last keystroke, and drops
// answers to older queries so a slow reply never overwrites a newer one.
export function useOrgSearch(query: string, delay = 250, limit = 20) {
  const [items, setItems] = useState<OrgUnit[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const seq = useRef(0);

  useEffect(() => {
    const q = query.trim();
    const mine = ++seq.current;
    if (!q) {
      setItems([]);
      setLoading(false);
      setError('');
      return undefined;
    }
    setLoading(true);
    const timer = window.setTimeout(() => {
      api<{ items: OrgUnit[] }>(
        'GET',
        `/org-units?q=${encodeURIComponent(q)}&limit=${limit}`,
      ).then(
        (r) => {
          if (mine !== seq.current) return;
          setItems(r.items);
          setError('');
          setLoading(false);
        },
        (e) => {
          if (mine !== seq.current) return;
          setItems([]);
          setError(errorText(e));
          setLoading(false);
        },
      );
    }, delay);
    return () => window.clearTimeout(timer);
  }, [query, delay, limit]);

  return { items, loading, error };
}
