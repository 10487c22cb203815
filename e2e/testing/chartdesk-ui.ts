import type { Locator, Page } from 'playwright-core';

/** What a clinician does in ChartDesk's own window, by the labels and test ids the UI shows. */
export async function addConnection(
  page: Page,
  settings: { name: string; fhirBaseUrl: string; clientId?: string; redirect?: 'custom-scheme' | 'loopback' },
): Promise<Locator> {
  await page.getByTestId('add-connection').click();
  const form = page.getByTestId('connection-form');
  await form.getByLabel('Name', { exact: true }).fill(settings.name);
  await form.getByLabel('FHIR base URL').fill(settings.fhirBaseUrl);
  await form.getByLabel('Client ID').fill(settings.clientId ?? 'chartdesk');
  await form.locator(`input[name="redirectMode"][value="${settings.redirect ?? 'custom-scheme'}"]`).check();
  await form.getByTestId('save-connection').click();
  await form.waitFor({ state: 'detached' });
  return connectionRow(page, settings.name);
}

export function connectionRow(page: Page, name: string): Locator {
  return page.getByTestId('connection-row').filter({ has: page.locator('.name', { hasText: name }) });
}

export async function waitForStatus(row: Locator, status: string): Promise<void> {
  await row.and(row.page().locator(`[data-status="${status}"]`)).waitFor();
}
