import { fireEvent, render } from '@testing-library/react';
import { auditionAction, isTyping, useAuditionKeys, type AuditionAction, type AuditionState } from './audition';

const at = (index: number, count = 5, autoplay = true): AuditionState => ({ index, count, autoplay });

describe('auditionAction', () => {
  it('moves the selection down and up, clamped to the list', () => {
    expect(auditionAction('ArrowDown', at(-1))).toEqual({ type: 'select', index: 0, play: true });
    expect(auditionAction('ArrowDown', at(2))).toEqual({ type: 'select', index: 3, play: true });
    expect(auditionAction('ArrowDown', at(4))).toEqual({ type: 'select', index: 4, play: true });
    expect(auditionAction('ArrowUp', at(3))).toEqual({ type: 'select', index: 2, play: true });
    expect(auditionAction('ArrowUp', at(0))).toEqual({ type: 'select', index: 0, play: true });
  });

  it('starts from the bottom when going up with nothing selected', () => {
    expect(auditionAction('ArrowUp', at(-1))).toEqual({ type: 'select', index: 4, play: true });
  });

  it('selects without playing when auto-play is off', () => {
    expect(auditionAction('ArrowDown', at(0, 5, false))).toEqual({ type: 'select', index: 1, play: false });
  });

  it('maps replay, stop, play/pause and favourite', () => {
    expect(auditionAction('ArrowRight', at(1))).toEqual({ type: 'replay' });
    expect(auditionAction('ArrowLeft', at(1))).toEqual({ type: 'stop' });
    expect(auditionAction('Escape', at(1))).toEqual({ type: 'stop' });
    expect(auditionAction(' ', at(1))).toEqual({ type: 'toggle' });
    expect(auditionAction('f', at(1))).toEqual({ type: 'favorite' });
    expect(auditionAction('F', at(1))).toEqual({ type: 'favorite' });
  });

  it('ignores keys that need a selection when there is none, and other keys', () => {
    expect(auditionAction('ArrowRight', at(-1))).toBeNull();
    expect(auditionAction(' ', at(-1))).toBeNull();
    expect(auditionAction('f', at(-1))).toBeNull();
    expect(auditionAction('ArrowDown', at(-1, 0))).toBeNull();
    expect(auditionAction('a', at(1))).toBeNull();
    expect(auditionAction('Enter', at(1))).toBeNull();
  });
});

it('isTyping recognises fields but not buttons and checkboxes', () => {
  const el = (html: string) => {
    const d = document.createElement('div');
    d.innerHTML = html;
    return d.firstElementChild;
  };
  expect(isTyping(el('<input type="text">'))).toBe(true);
  expect(isTyping(el('<input type="search">'))).toBe(true);
  expect(isTyping(el('<textarea></textarea>'))).toBe(true);
  expect(isTyping(el('<select></select>'))).toBe(true);
  expect(isTyping(el('<input type="checkbox">'))).toBe(false);
  expect(isTyping(el('<button></button>'))).toBe(false);
  expect(isTyping(el('<div></div>'))).toBe(false);
  expect(isTyping(null)).toBe(false);
});

describe('useAuditionKeys', () => {
  function Harness({ state, onAction }: { state: AuditionState; onAction: (a: AuditionAction) => void }) {
    useAuditionKeys(state, onAction);
    return (
      <div>
        <input aria-label="search" />
        <button>ok</button>
        <input type="checkbox" aria-label="tick" />
      </div>
    );
  }

  it('handles keys on the page and prevents their default (scrolling)', () => {
    const onAction = vi.fn();
    render(<Harness state={at(0)} onAction={onAction} />);
    const ev = new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true });
    window.dispatchEvent(ev);
    expect(onAction).toHaveBeenCalledWith({ type: 'select', index: 1, play: true });
    expect(ev.defaultPrevented).toBe(true);
  });

  it('leaves keys typed into fields, modified keys, and Space on buttons and checkboxes alone', () => {
    const onAction = vi.fn();
    const { getByLabelText, getByText } = render(<Harness state={at(0)} onAction={onAction} />);
    fireEvent.keyDown(getByLabelText('search'), { key: 'f' });
    fireEvent.keyDown(getByLabelText('search'), { key: 'ArrowDown' });
    fireEvent.keyDown(document.body, { key: 'ArrowDown', ctrlKey: true });
    fireEvent.keyDown(getByText('ok'), { key: ' ' });
    fireEvent.keyDown(getByLabelText('tick'), { key: ' ' });
    expect(onAction).not.toHaveBeenCalled();
    fireEvent.keyDown(getByLabelText('tick'), { key: 'ArrowDown' });
    expect(onAction).toHaveBeenCalledWith({ type: 'select', index: 1, play: true });
    fireEvent.keyDown(getByText('ok'), { key: 'f' });
    expect(onAction).toHaveBeenCalledWith({ type: 'favorite' });
  });

  it('uses the latest state without re-subscribing', () => {
    const onAction = vi.fn();
    const { rerender } = render(<Harness state={at(0)} onAction={onAction} />);
    rerender(<Harness state={at(3)} onAction={onAction} />);
    fireEvent.keyDown(document.body, { key: 'ArrowUp' });
    expect(onAction).toHaveBeenLastCalledWith({ type: 'select', index: 2, play: true });
  });
});
