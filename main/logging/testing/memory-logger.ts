import type { Logger } from '../logger';

/** A logger that keeps its lines for assertions instead of printing them. */
export function memoryLogger(): Logger & { lines: Array<{ level: string; event: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; event: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (event: string, fields?: Record<string, unknown>) => lines.push({ level, event, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
