import { getContext, onDestroy, setContext } from 'svelte';

/**
 * What a view hands over when the idle lock fires, just before it is unmounted: called synchronously, so it still
 * sees what it shows; the lock waits for its promise (main keeping what it was given) before it lets anyone unlock.
 */
export type LockHandover = () => Promise<void> | void;
type Register = (handover: LockHandover) => () => void;

const KEY = Symbol('idle-lock-handover');

/** For IdleLock: lets the views below it register what they hand over. */
export function provideLockHandover(register: Register): void {
  setContext(KEY, register);
}

/** Registers a handover for as long as the calling component is mounted; nothing happens outside an idle lock. */
export function onIdleLock(handover: LockHandover): void {
  const register = getContext<Register | undefined>(KEY);
  if (register) onDestroy(register(handover));
}
