import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AppUnderTest } from './browser-view';
import type { SecretRecorder } from './secret-recorder';

/**
 * Where the secrets main's HTTP client saw turn up where they must never be: in a message to the
 * renderer, a log line or a user-data file. Each leak is named by place with only the first six
 * characters of the secret, so the report itself leaks nothing usable.
 */
export function secretLeaks(app: AppUnderTest, recorder: SecretRecorder): string[] {
  const leaks: string[] = [];
  for (const message of app.messages) {
    for (const secret of recorder.foundIn(message.body)) leaks.push(`${message.kind} ${message.name}: ${secret.slice(0, 6)}…`);
  }
  for (const line of app.logLines) for (const secret of recorder.foundIn(line)) leaks.push(`log: ${secret.slice(0, 6)}…`);
  for (const file of filesUnder(app.userDataDir)) {
    for (const secret of recorder.foundIn(readFileSync(file, 'utf8')))
      leaks.push(`${path.relative(app.userDataDir, file)}: ${secret.slice(0, 6)}…`);
  }
  return leaks;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}
