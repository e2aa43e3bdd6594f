// @vitest-environment node
import {
  clampView,
  decimalsFor,
  edgeAt,
  fitView,
  formatSpan,
  formatZoom,
  isZoomed,
  keyStep,
  minSpan,
  moveRegion,
  panBy,
  panTo,
  regionBetween,
  regionView,
  resizeRegion,
  startForThumb,
  thumbGeometry,
  reveal,
  timeAt,
  wheelZoomFactor,
  xAt,
  zoomAnchor,
  zoomAt,
  zoomLevel,
} from './waveformView';

// A 4-second sample with the server's 1024 fine buckets: the deepest zoom shows 16 of them.
const D = 4;
const MIN = minSpan(D, 1024);

describe('minSpan', () => {
  it('stops zooming when only a few buckets are in view', () => {
    expect(MIN).toBeCloseTo(4 * 16 / 1024);
  });
  it('never goes below a few milliseconds, nor above the sample', () => {
    expect(minSpan(0.1, 1024)).toBe(0.005);
    expect(minSpan(0.002, 1024)).toBe(0.002);
    expect(minSpan(2, 0)).toBe(2);
    expect(minSpan(0, 1024)).toBe(0);
  });
});

describe('clampView', () => {
  it('keeps the view inside the sample, keeping its length', () => {
    expect(clampView({ start: -1, end: 1 }, D, MIN)).toEqual({ start: 0, end: 2 });
    expect(clampView({ start: 3, end: 5 }, D, MIN)).toEqual({ start: 2, end: 4 });
  });
  it('is never longer than the sample nor shorter than the deepest zoom', () => {
    expect(clampView({ start: -3, end: 9 }, D, MIN)).toEqual({ start: 0, end: 4 });
    const v = clampView({ start: 1, end: 1 }, D, MIN);
    expect(v.start).toBe(1);
    expect(v.end - v.start).toBeCloseTo(MIN);
  });
});

describe('zoomAt', () => {
  it('keeps the time under the pointer in place', () => {
    const v = zoomAt(fitView(D), 2, 1, D, MIN);
    // 1 s was a quarter of the way across; it still is, in a view half as long.
    expect(v).toEqual({ start: 0.5, end: 2.5 });
    expect(timeAt(v, 100, 400)).toBeCloseTo(1);
  });
  it('zooms out around the pointer and stops at the whole sample', () => {
    expect(zoomAt({ start: 0.5, end: 2.5 }, 0.5, 1, D, MIN)).toEqual({ start: 0, end: 4 });
    expect(zoomAt({ start: 1, end: 2 }, 0.01, 1.5, D, MIN)).toEqual(fitView(D));
  });
  it('stops at the deepest zoom', () => {
    const v = zoomAt(fitView(D), 1e6, 2, D, MIN);
    expect(v.end - v.start).toBeCloseTo(MIN);
    expect((v.start + v.end) / 2).toBeCloseTo(2);
  });
  it('stays inside the sample near its ends', () => {
    expect(zoomAt({ start: 3, end: 4 }, 0.5, 4, D, MIN)).toEqual({ start: 2, end: 4 });
  });
});

describe('panning', () => {
  it('panBy and panTo keep the length and stop at the ends', () => {
    expect(panBy({ start: 1, end: 2 }, 0.5, D, MIN)).toEqual({ start: 1.5, end: 2.5 });
    expect(panBy({ start: 1, end: 2 }, 5, D, MIN)).toEqual({ start: 3, end: 4 });
    expect(panBy({ start: 1, end: 2 }, -5, D, MIN)).toEqual({ start: 0, end: 1 });
    expect(panTo({ start: 1, end: 2 }, 2.5, D, MIN)).toEqual({ start: 2.5, end: 3.5 });
  });
  it('reveal scrolls only as far as needed', () => {
    const v = { start: 1, end: 2 };
    expect(reveal(v, 1.5, D, MIN)).toBe(v);
    expect(reveal(v, 2.5, D, MIN)).toEqual({ start: 1.5, end: 2.5 });
    expect(reveal(v, 0.25, D, MIN)).toEqual({ start: 0.25, end: 1.25 });
  });
});

describe('pixels and time', () => {
  const v = { start: 1, end: 3 };
  it('maps both ways', () => {
    expect(timeAt(v, 0, 400)).toBe(1);
    expect(timeAt(v, 200, 400)).toBe(2);
    expect(xAt(v, 2.5, 400)).toBe(300);
    expect(xAt(v, timeAt(v, 123, 400), 400)).toBeCloseTo(123);
  });
  it('places times out of view outside the width', () => {
    expect(xAt(v, 0, 400)).toBe(-200);
    expect(xAt(v, 4, 400)).toBe(600);
  });
  it('survives a zero width', () => {
    expect(timeAt(v, 10, 0)).toBe(1);
  });
});

describe('zoom level', () => {
  it('tells how magnified the view is', () => {
    expect(zoomLevel(fitView(D), D)).toBe(1);
    expect(zoomLevel({ start: 1, end: 2 }, D)).toBe(4);
    expect(isZoomed(fitView(D), D)).toBe(false);
    expect(isZoomed({ start: 1, end: 2 }, D)).toBe(true);
    expect(formatZoom(1)).toBe('1×');
    expect(formatZoom(2.54)).toBe('2.5×');
    expect(formatZoom(64.2)).toBe('64×');
  });
  it('wheelZoomFactor zooms in rolling up and out rolling down, in lines or pixels alike', () => {
    expect(wheelZoomFactor(-100)).toBeGreaterThan(1);
    expect(wheelZoomFactor(100)).toBeLessThan(1);
    expect(wheelZoomFactor(100) * wheelZoomFactor(-100)).toBeCloseTo(1);
    expect(wheelZoomFactor(-3, 1)).toBeCloseTo(wheelZoomFactor(-48));
    expect(wheelZoomFactor(0)).toBe(1);
  });
  it('zooms around the region when it is in view, else the middle of the view', () => {
    expect(zoomAnchor({ start: 0, end: 4 }, { start: 1, end: 2 })).toBe(1.5);
    expect(zoomAnchor({ start: 0, end: 4 }, null)).toBe(2);
    expect(zoomAnchor({ start: 2, end: 4 }, { start: 0.5, end: 1 })).toBe(3);
    // Half in view: the middle of the part that shows.
    expect(zoomAnchor({ start: 2, end: 4 }, { start: 1, end: 3 })).toBe(2.5);
  });
  it('regionView frames a region with a little room', () => {
    expect(regionView({ start: 1, end: 3 }, D, MIN)).toEqual({ start: 0.9, end: 3.1 });
    expect(regionView({ start: 0, end: 4 }, D, MIN)).toEqual(fitView(D));
  });
});

describe('regions', () => {
  it('regionBetween orders the ends and keeps them in the sample', () => {
    expect(regionBetween(2, 1, D)).toEqual({ start: 1, end: 2 });
    expect(regionBetween(-1, 5, D)).toEqual({ start: 0, end: 4 });
    expect(regionBetween(1, 1, D)).toBeNull();
  });
  it('moveRegion keeps the length and stops at the ends', () => {
    expect(moveRegion({ start: 1, end: 2 }, 0.5, D)).toEqual({ start: 1.5, end: 2.5 });
    expect(moveRegion({ start: 1, end: 2 }, 9, D)).toEqual({ start: 3, end: 4 });
    expect(moveRegion({ start: 1, end: 2 }, -9, D)).toEqual({ start: 0, end: 1 });
  });
  it('resizeRegion moves the end, never before the start nor past the sample', () => {
    expect(resizeRegion({ start: 1, end: 2 }, 0.5, D, 0.1)).toEqual({ start: 1, end: 2.5 });
    expect(resizeRegion({ start: 1, end: 2 }, -5, D, 0.1)).toEqual({ start: 1, end: 1.1 });
    expect(resizeRegion({ start: 1, end: 2 }, 5, D, 0.1)).toEqual({ start: 1, end: 4 });
  });
  it('edgeAt grabs the nearer edge within a few pixels', () => {
    const v = { start: 0, end: 4 };
    const r = { start: 1, end: 2 }; // at 100 and 200 px of 400
    expect(edgeAt(r, v, 103, 400)).toBe('start');
    expect(edgeAt(r, v, 196, 400)).toBe('end');
    expect(edgeAt(r, v, 150, 400)).toBeNull();
    // Zoomed in, the same time is further from the pointer in pixels.
    expect(edgeAt(r, { start: 0.5, end: 1.5 }, 200, 400)).toBe('start');
  });
  it('keyStep is a fiftieth of the view', () => {
    expect(keyStep({ start: 0, end: 5 })).toBe(0.1);
  });
});

it('formats spans with milliseconds once zoomed below a second', () => {
  expect(formatSpan({ start: 0.52, end: 1.1 })).toBe('0.52–1.10 s');
  expect(decimalsFor(4)).toBe(2);
  expect(decimalsFor(0.5)).toBe(3);
  expect(formatSpan({ start: 0.5206, end: 0.75 }, 3)).toBe('0.521–0.750 s');
});

describe('scrollbar thumb', () => {
  it('is as wide as the view and moves with it', () => {
    expect(thumbGeometry(fitView(D), D)).toEqual({ left: 0, width: 100 });
    expect(thumbGeometry({ start: 0, end: 1 }, D)).toEqual({ left: 0, width: 25 });
    expect(thumbGeometry({ start: 3, end: 4 }, D)).toEqual({ left: 75, width: 25 });
    expect(thumbGeometry({ start: 1.5, end: 2.5 }, D)).toEqual({ left: 37.5, width: 25 });
  });
  it('keeps a grabbable width at deep zooms, still reaching both ends', () => {
    expect(thumbGeometry({ start: 0, end: 0.04 }, D)).toEqual({ left: 0, width: 4 });
    expect(thumbGeometry({ start: 3.96, end: 4 }, D).left).toBeCloseTo(96);
  });
  it('startForThumb is the inverse, clamped to the track', () => {
    const v = { start: 1.5, end: 2.5 };
    expect(startForThumb(37.5, v, D)).toBeCloseTo(1.5);
    expect(startForThumb(-10, v, D)).toBe(0);
    expect(startForThumb(200, v, D)).toBe(3);
    expect(startForThumb(50, fitView(D), D)).toBe(0);
  });
});
