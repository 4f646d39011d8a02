import { useEffect, useState } from 'react';

/**
 * `value` once it has stopped changing for `ms`: what the composer asks the server about while someone types.
 * Compared by its JSON, so a value rebuilt at each render is still the same value.
 */
export function useDebounced<T>(value: T, ms = 250): T {
  const key = JSON.stringify(value);
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(JSON.parse(key) as T), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return settled;
}
