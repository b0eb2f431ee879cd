import { useEffect, useRef } from 'react';

/** Binds keys such as 'F2' or 'F9' while the component is mounted; handlers always see the latest props. */
export function useHotkeys(bindings: Record<string, () => void>): void {
  const ref = useRef(bindings);
  ref.current = bindings;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const handler = ref.current[e.key];
      if (handler) {
        e.preventDefault();
        handler();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
