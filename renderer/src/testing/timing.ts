import { flushSync } from 'svelte';

/**
 * How long a UI action takes, flushed to the DOM: CPU time of this test process (user + system)
 * beside wall-clock time. Budgets are asserted on CPU time because on a machine shared with
 * other test runs the scheduler stretches wall-clock time by whatever else is running.
 */
interface CpuClock {
  cpuUsage(previous?: { user: number; system: number }): { user: number; system: number };
}
// Tests run under Node; the renderer's own type program has no Node types, so name the one call used.
const clock = (globalThis as unknown as { process: CpuClock }).process;

export function measure(action: () => void): { cpuMs: number; wallMs: number } {
  const cpuStart = clock.cpuUsage();
  const wallStart = performance.now();
  action();
  flushSync();
  const cpu = clock.cpuUsage(cpuStart);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - wallStart };
}
