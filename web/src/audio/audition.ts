import { useEffect, useRef } from 'react';

export type AuditionAction =
  | { type: 'select'; index: number; play: boolean }
  | { type: 'replay' }
  | { type: 'stop' }
  | { type: 'toggle' }
  | { type: 'favorite' };

export interface AuditionState {
  /** selected row, -1 for none */
  index: number;
  /** number of rows */
  count: number;
  autoplay: boolean;
}

/**
 * auditionAction maps a key to what the library should do: ↑/↓ move the selection (and play when
 * auto-play is on), → replays, ← or Esc stops, Space plays or pauses, F toggles the favourite.
 * It returns null for keys it does not handle, so they keep their default behaviour.
 */
export function auditionAction(key: string, s: AuditionState): AuditionAction | null {
  switch (key) {
    case 'ArrowDown':
    case 'ArrowUp': {
      if (s.count === 0) return null;
      const step = key === 'ArrowDown' ? 1 : -1;
      const from = s.index < 0 ? (step > 0 ? -1 : s.count) : s.index;
      const index = Math.max(0, Math.min(s.count - 1, from + step));
      return { type: 'select', index, play: s.autoplay };
    }
    case 'ArrowRight':
      return s.index < 0 ? null : { type: 'replay' };
    case 'ArrowLeft':
    case 'Escape':
      return { type: 'stop' };
    case ' ':
    case 'Spacebar':
      return s.index < 0 ? null : { type: 'toggle' };
    case 'f':
    case 'F':
      return s.index < 0 ? null : { type: 'favorite' };
    default:
      return null;
  }
}

/** isTyping tells whether a key event belongs to a text field, select or editable element. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const t = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'range', 'file'].includes(t);
  }
  return false;
}

/**
 * useAuditionKeys listens on the window and hands each handled key's action to `onAction`.
 * Keys typed into fields and keys with Ctrl/Alt/Meta are left alone.
 */
export function useAuditionKeys(state: AuditionState, onAction: (a: AuditionAction) => void, enabled = true) {
  const latest = useRef({ state, onAction });
  latest.current = { state, onAction };
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return;
      if (isTyping(e.target)) return;
      // Space on a focused button, link or checkbox keeps its meaning (press or tick it).
      if (e.key === ' ' && e.target instanceof Element && e.target.closest('button, a, input, label')) return;
      const a = auditionAction(e.key, latest.current.state);
      if (!a) return;
      e.preventDefault();
      latest.current.onAction(a);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
