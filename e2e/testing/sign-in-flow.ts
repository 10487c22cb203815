import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { parseDeepLink } from '../../main/deep-link/parse-deep-link';
import type { Sandbox } from '../../sandbox/index';
import type { AppUnderTest } from './browser-view';
import { connectionRow, waitForStatus } from './chartdesk-ui';
import type { SecretRecorder } from './secret-recorder';
import { sandboxSignIn, type SystemBrowser } from './system-browser';

/**
 * Clicks "Sign in" on a connection, plays the system browser through the sandbox's pages, and
 * hands the redirect to the deep-link router as the OS would. Returns the authorization URL.
 */
export async function signInThroughBrowser(options: {
  app: AppUnderTest;
  page: Page;
  systemBrowser: SystemBrowser;
  connectionName: string;
  ehr: Sandbox;
  patientId?: string;
  /** Scopes to untick on the EHR's consent page: the EHR then grants less than was asked. */
  untick?: string[];
  recorder?: SecretRecorder;
}): Promise<string> {
  const { app, page, ehr } = options;
  const row = connectionRow(page, options.connectionName);
  const before = app.opened.length;
  await row.getByTestId('sign-in').click();
  await expect.poll(() => app.opened.length).toBe(before + 1);
  const authorizeUrl = app.opened[before] ?? '';
  const user = ehr.users[0];
  if (!user) throw new Error('the sandbox has no user');
  const { callbackUrl, page: tab } = await options.systemBrowser.followToCallback(
    authorizeUrl,
    sandboxSignIn(user, { patientId: options.patientId, untick: options.untick }),
  );
  const link = parseDeepLink(callbackUrl);
  if (link.kind === 'oauth-callback') {
    options.recorder?.add(link.state);
    if (link.outcome.type === 'code') options.recorder?.add(link.outcome.code);
  }
  app.view.services.handleDeepLink(link);
  await tab.close();
  await waitForStatus(row, 'signed-in');
  return authorizeUrl;
}
