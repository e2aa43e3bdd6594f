import { act, renderHook } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router';
import type { ReactNode } from 'react';
import { bpmRange, emptyFilters, filtersToSearch, nextSort, parseFilters, toListQuery, useFilters } from './filters';

describe('parseFilters and filtersToSearch', () => {
  it('round-trips every filter through the query string', () => {
    const f = {
      ...emptyFilters,
      q: 'dusty -vinyl', bpmMin: 85, bpmMax: 95, halfDouble: true, key: 'F#', scale: 'minor' as const,
      types: ['loop'], categories: ['drums', 'perc'], tags: ['boom bap', 'lofi'], favorite: true, sort: '-bpm',
    };
    const sp = filtersToSearch(f);
    expect(sp.toString()).toBe(
      'q=dusty+-vinyl&bpm_min=85&bpm_max=95&hd=1&key=F%23&scale=minor&type=loop&category=drums%2Cperc&tag=boom+bap%2Clofi&favorite=true&sort=-bpm',
    );
    expect(parseFilters(sp)).toEqual(f);
  });

  it('round-trips compatible keys and a collection', () => {
    const f = { ...emptyFilters, key: 'A', compatible: true, collection: 12 };
    const sp = filtersToSearch(f);
    expect(sp.toString()).toBe('key=A&compat=1&collection=12');
    expect(parseFilters(sp)).toEqual(f);
    expect(parseFilters(new URLSearchParams('collection=-4')).collection).toBeUndefined();
  });

  it('leaves defaults out of the URL', () => {
    expect(filtersToSearch(emptyFilters).toString()).toBe('');
  });

  it('drops values the API would refuse', () => {
    const f = parseFilters(new URLSearchParams('key=H&scale=dorian&type=loop,drone&category=kick,banjo&bpm_min=-3&bpm_max=abc&sort=size&favorite=yes'));
    expect(f).toEqual({ ...emptyFilters, types: ['loop'], categories: ['kick'] });
  });
});

describe('bpmRange', () => {
  it('passes the range through without half/double', () => {
    expect(bpmRange({ bpmMin: 90, bpmMax: 100, halfDouble: false })).toEqual({ min: 90, max: 100 });
  });
  it('widens to half the minimum and double the maximum', () => {
    expect(bpmRange({ bpmMin: 90, bpmMax: 100, halfDouble: true })).toEqual({ min: 45, max: 200 });
  });
  it('widens an open-ended range on the side that is set', () => {
    expect(bpmRange({ bpmMin: 85, halfDouble: true })).toEqual({ min: 42.5, max: undefined });
    expect(bpmRange({ bpmMax: 600, halfDouble: true })).toEqual({ min: undefined, max: 1000 });
  });
  it('swaps a reversed range', () => {
    expect(bpmRange({ bpmMin: 140, bpmMax: 70, halfDouble: false })).toEqual({ min: 70, max: 140 });
  });
});

it('toListQuery sends arrays and the widened range to the API', () => {
  const q = toListQuery({ ...emptyFilters, q: '  snare ', bpmMin: 80, halfDouble: true, types: ['one-shot'], favorite: true });
  expect(q).toEqual({ sort: '-created', q: 'snare', bpm_min: 40, type: ['one-shot'], favorite: 'true' });
});

it('toListQuery asks for compatible keys only with a key, and for a collection by id', () => {
  expect(toListQuery({ ...emptyFilters, key: 'A', compatible: true, collection: 3 })).toEqual({
    sort: '-created', key: 'A', compatible_keys: true, collection_id: 3,
  });
  expect(toListQuery({ ...emptyFilters, compatible: true })).toEqual({ sort: '-created' });
});

it('nextSort ascends a new column and flips the current one', () => {
  expect(nextSort('-created', 'bpm')).toBe('bpm');
  expect(nextSort('bpm', 'bpm')).toBe('-bpm');
  expect(nextSort('-bpm', 'bpm')).toBe('bpm');
});

describe('useFilters', () => {
  function setup(initial: string) {
    const loc = { current: '' };
    function Spy() {
      loc.current = useLocation().search;
      return null;
    }
    const wrapper = ({ children }: { children: ReactNode }) => (
      <MemoryRouter initialEntries={[`/${initial}`]}>
        {children}
        <Spy />
      </MemoryRouter>
    );
    const hook = renderHook(() => useFilters(), { wrapper });
    return { hook, loc };
  }

  it('reads the filters from the URL', () => {
    const { hook } = setup('?q=kick&type=one-shot&favorite=true');
    expect(hook.result.current[0]).toMatchObject({ q: 'kick', types: ['one-shot'], favorite: true });
  });

  it('writes changes back to the URL, keeping the other filters', () => {
    const { hook, loc } = setup('?q=kick&sort=name');
    act(() => hook.result.current[1]({ bpmMin: 90, halfDouble: true }));
    expect(loc.current).toBe('?q=kick&bpm_min=90&hd=1&sort=name');
    act(() => hook.result.current[1]((f) => ({ q: '', sort: nextSort(f.sort, 'name') })));
    expect(loc.current).toBe('?bpm_min=90&hd=1&sort=-name');
    expect(hook.result.current[0]).toMatchObject({ q: '', bpmMin: 90, halfDouble: true, sort: '-name' });
  });
});
