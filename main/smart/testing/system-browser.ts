import { DEEP_LINK_SCHEME } from '../../../common/app-identity';

/**
 * The clinician's browser for integration tests: follows redirects by hand (fetch with redirect: 'manual')
 * with a cookie jar, stops at a page or at the custom-scheme redirect the OS would hand to ChartDesk, and can
 * submit a form on the page it stopped at.
 */
export type BrowserStop = { kind: 'app-link'; url: string } | { kind: 'page'; url: string; status: number; html: string };

export function createSystemBrowser() {
  const jar = new Map<string, string>();

  async function go(start: string, init?: { method: string; body: URLSearchParams }): Promise<BrowserStop> {
    let url = start;
    let request = init;
    for (let hop = 0; hop < 20; hop++) {
      if (url.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) return { kind: 'app-link', url };
      const headers: Record<string, string> = {};
      if (jar.size > 0) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      if (request) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(url, { method: request?.method ?? 'GET', body: request?.body, headers, redirect: 'manual' });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        const index = pair.indexOf('=');
        if (index > 0) jar.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = location.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`) ? location : new URL(location, url).href;
        request = undefined;
        continue;
      }
      return { kind: 'page', url, status: response.status, html: await response.text() };
    }
    throw new Error('too many redirects');
  }

  return {
    open: (url: string) => go(url),
    /** Submits the form with this id on the page, with the given fields. */
    submit(page: BrowserStop, formId: string, fields: [string, string][]): Promise<BrowserStop> {
      if (page.kind !== 'page') throw new Error('not on a page');
      const form = new RegExp(`<form id="${formId}" method="post" action="([^"]+)"`).exec(page.html);
      if (!form) throw new Error(`no form ${formId} on ${page.url}`);
      const action = new URL(form[1]!.replaceAll('&amp;', '&'), page.url).href;
      return go(action, { method: 'POST', body: new URLSearchParams(fields) });
    },
  };
}
