import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// jsdom does not implement scrolling; the virtualizer scrolls rows into view with scrollTo.
if (typeof Element !== 'undefined' && !Element.prototype.scrollTo) {
  Element.prototype.scrollTo = function scrollTo(this: Element, a?: ScrollToOptions | number, b?: number) {
    const o = typeof a === 'object' ? a : { left: a, top: b };
    if (o.top !== undefined) this.scrollTop = o.top;
    if (o.left !== undefined) this.scrollLeft = o.left;
  } as Element['scrollTo'];
}

// jsdom has no canvas; the waveforms draw only when a 2D context exists, so answer none quietly
// instead of jsdom's "not implemented" error on every draw.
if (typeof HTMLCanvasElement !== 'undefined') {
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
}
