import { act, render, screen, within } from '@testing-library/react';
import { ToastProvider, type ToastBus } from './Toasts';

it('shows errors pushed from outside React once, and lets them be dismissed', () => {
  vi.useFakeTimers();
  const bus: ToastBus = { push: () => {} };
  render(
    <ToastProvider bus={bus}>
      <p>app</p>
    </ToastProvider>,
  );
  act(() => {
    bus.push('sample 9 does not exist');
    bus.push('sample 9 does not exist');
    bus.push('saved', 'info');
  });
  expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['sample 9 does not exist']);
  expect(screen.getByRole('status').textContent).toBe('saved');
  act(() => within(screen.getByRole('alert')).getByRole('button', { name: 'Dismiss' }).click());
  expect(screen.queryByRole('alert')).toBeNull();
  act(() => vi.advanceTimersByTime(5000));
  expect(screen.queryByRole('status')).toBeNull();
  vi.useRealTimers();
});
