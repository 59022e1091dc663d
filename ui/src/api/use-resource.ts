// Loads one API answer for a component, with reload; stale answers (after the path changed) are dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './client.js';

export interface Resource<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload(): Promise<void>;
  /** replace the data with an answer the component already has (after a PATCH) */
  set(data: T): void;
}

export function useResource<T>(path: string | null): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const current = useRef(path);
  current.current = path;

  const reload = useCallback(async () => {
    if (path === null) return;
    setLoading(true);
    try {
      const answer = await api<T>('GET', path);
      if (current.current !== path) return;
      setData(answer);
      setError(null);
    } catch (e) {
      if (current.current !== path) return;
      setError(e instanceof ApiError ? e : new ApiError(0, 'internal', String(e)));
    } finally {
      if (current.current === path) setLoading(false);
    }
  }, [path]);

  useEffect(() => {
    setData(null);
    setError(null);
    void reload();
  }, [reload]);

  return { data, error, loading, reload, set: setData };
}
