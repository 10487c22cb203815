import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileSink } from './file-sink';

describe('file log sink', () => {
  it('appends lines and rolls over to one previous file past the size limit', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cd-log-')), 'logs');
    const sink = createFileSink(dir, 100);
    for (let i = 0; i < 5; i += 1) sink(`{"line":${i},"pad":"${'x'.repeat(20)}"}`);
    const current = readFileSync(path.join(dir, 'chartdesk.log'), 'utf8');
    const previous = readFileSync(path.join(dir, 'chartdesk.log.1'), 'utf8');
    expect(current).toContain('"line":4');
    expect(previous).toContain('"line":');
    expect(current.length).toBeLessThanOrEqual(100);
    expect(existsSync(path.join(dir, 'chartdesk.log.2'))).toBe(false);
  });
});
