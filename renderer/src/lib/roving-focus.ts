import { tick } from 'svelte';

/**
 * Row buttons that make one Tab stop (roving tabindex): Tab reaches the current one, the Up and Down arrows move to
 * the row before or after. Returns the index moved to, or null for any other key. The list is virtualized, so the
 * button is looked up after the DOM has caught up, and scrolled into view.
 */
export async function moveRovingFocus(
  event: KeyboardEvent,
  index: number,
  count: number,
  within: string,
  onmove: (target: number) => void,
): Promise<void> {
  const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
  if (step === 0) return;
  event.preventDefault();
  const target = Math.max(0, Math.min(count - 1, index + step));
  const container = (event.currentTarget as HTMLElement).closest(within);
  onmove(target);
  await tick();
  const button = container?.querySelector<HTMLElement>(`[data-action-index="${target}"]`);
  button?.focus();
  button?.scrollIntoView?.({ block: 'nearest' });
}
