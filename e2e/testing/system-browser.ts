import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CUSTOM_SCHEME_REDIRECT_URI } from '../../common/app-identity';
import type { SandboxUser } from '../../sandbox/index';

/**
 * The clinician's system browser: a separate browser context that opens the URL main asked for,
 * goes through the EHR's pages, and catches the final redirect to ChartDesk's scheme (or to the
 * loopback listener), exactly where the OS would hand it to the app.
 */
export class SystemBrowser {
  private readonly contexts: BrowserContext[] = [];
  private constructor(private readonly browser: Browser) {}

  static open(browser: Browser): Promise<SystemBrowser> {
    return Promise.resolve(new SystemBrowser(browser));
  }

  /** A fresh profile per visit: sandboxes on one host (127.0.0.1) would otherwise share cookies, unlike real EHRs. */
  private async newPage(): Promise<Page> {
    const context = await this.browser.newContext();
    this.contexts.push(context);
    return context.newPage();
  }

  /** Goes to `url` and resolves with the custom-scheme URL the EHR finally redirects to. */
  async followToCallback(url: string, act: (page: Page) => Promise<void>): Promise<{ callbackUrl: string; page: Page }> {
    const page = await this.newPage();
    const callback = new Promise<string>((resolve) => {
      page.on('request', (request) => {
        if (request.url().startsWith(CUSTOM_SCHEME_REDIRECT_URI)) resolve(request.url());
      });
    });
    await page.goto(url);
    await act(page);
    return { callbackUrl: await callback, page };
  }

  /** Opens `url` and goes through the sandbox's pages; for a loopback redirect nothing needs catching. */
  async visit(url: string, act: (page: Page) => Promise<void>): Promise<Page> {
    const page = await this.newPage();
    await page.goto(url);
    await act(page);
    return page;
  }

  async close(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((context) => context.close()));
  }
}

/** Signs in on the sandbox's pages: credentials, then the patient picker when asked, then consent. */
export function sandboxSignIn(user: SandboxUser, options: { patientId?: string; untick?: string[]; deny?: boolean } = {}) {
  return async (page: Page): Promise<void> => {
    await page.getByTestId('username').fill(user.username);
    await page.getByTestId('password').fill(user.password);
    await page.getByTestId('sign-in').click();
    await page.waitForLoadState();
    if (
      await page
        .getByTestId('patient-list')
        .isVisible()
        .catch(() => false)
    ) {
      const option = options.patientId
        ? page.locator(`[data-testid="patient-option"][value="${options.patientId}"]`)
        : page.getByTestId('patient-option').first();
      await option.check();
      await page.getByTestId('select-patient').click();
      await page.waitForLoadState();
    }
    if (
      await page
        .getByTestId('scope-list')
        .isVisible()
        .catch(() => false)
    ) {
      for (const scope of options.untick ?? []) await page.locator(`[data-scope="${scope}"]`).uncheck();
      await page.getByTestId(options.deny ? 'deny' : 'approve').click();
    }
  };
}
