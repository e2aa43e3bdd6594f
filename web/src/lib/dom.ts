import { useEffect, useState, type RefObject } from 'react';

/** useElementSize follows an element's size in CSS pixels (0 × 0 until it is laid out). */
export function useElementSize(ref: RefObject<Element | null>) {
  const [size, setSize] = useState({ w: 0, h: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = (w: number, h: number) => setSize((s) => (s.w === w && s.h === h ? s : { w, h }));
    update(el.clientWidth, el.clientHeight);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([e]) => update(e.contentRect.width, e.contentRect.height));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

/** everyFrame calls fn now and on every animation frame after, until the returned stop is called. */
export function everyFrame(fn: () => void): () => void {
  let raf = 0;
  const tick = () => {
    fn();
    raf = requestAnimationFrame(tick);
  };
  tick();
  return () => cancelAnimationFrame(raf);
}
