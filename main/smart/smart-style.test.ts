import { describe, expect, it } from 'vitest';
import { createSessionStyles, fetchSmartStyle } from './smart-style';

const serve =
  (body: string, status = 200): typeof fetch =>
  () =>
    Promise.resolve(new Response(body, { status }));

describe('fetchSmartStyle', () => {
  it('keeps plain colours, lengths and font names, and drops the rest', async () => {
    const doc = JSON.stringify({
      color_background: '#edeae3',
      color_highlight: 'rgb(105, 180, 50)',
      color_text: 'red; background: url(https://evil.example/x)',
      dim_border_radius: '6px',
      dim_font_size: 'calc(100vh)',
      font_family_body: 'Georgia, Times, serif',
      unknown_field: 'x',
    });
    expect(await fetchSmartStyle('https://ehr.example.org/style.json', serve(doc))).toEqual({
      color_background: '#edeae3',
      color_highlight: 'rgb(105, 180, 50)',
      dim_border_radius: '6px',
      font_family_body: 'Georgia, Times, serif',
    });
  });

  it.each([
    ['plain http off loopback', 'http://ehr.example.org/style.json', serve('{"color_text":"#000"}')],
    ['an error status', 'https://ehr.example.org/style.json', serve('{}', 404)],
    ['a document that is not JSON', 'https://ehr.example.org/style.json', serve('<html>')],
    [
      'an oversized document',
      'https://ehr.example.org/style.json',
      serve(JSON.stringify({ color_text: '#000', pad: 'x'.repeat(70_000) })),
    ],
    ['a network failure', 'https://ehr.example.org/style.json', () => Promise.reject(new TypeError('fetch failed'))],
  ])('gives nothing for %s', async (_name, url, fetchImpl) => {
    expect(await fetchSmartStyle(url, fetchImpl as typeof fetch)).toBeNull();
  });
});

describe('the session styles service', () => {
  const url = 'https://ehr.example.org/style.json';
  function counting(answers: Array<() => Response>) {
    const fetched: string[] = [];
    const fetchImpl: typeof fetch = (input) => {
      fetched.push(String(input));
      return Promise.resolve(answers.shift()!());
    };
    return { fetched, fetchImpl };
  }

  it('fetches a style once per URL', async () => {
    const { fetched, fetchImpl } = counting([() => new Response('{"color_text":"#000"}')]);
    const styles = createSessionStyles({ styleUrlOf: () => url, fetch: fetchImpl });
    expect(await styles.forConnection('c1')).toEqual({ color_text: '#000' });
    expect(await styles.forConnection('c2')).toEqual({ color_text: '#000' });
    expect(fetched).toEqual([url]);
  });

  it('fetches again after a failure, and answers null for a session without a style', async () => {
    const { fetched, fetchImpl } = counting([
      () => new Response('', { status: 503 }),
      () => new Response('{"color_text":"#111"}'),
    ]);
    const styles = createSessionStyles({ styleUrlOf: (id) => (id === 'styled' ? url : null), fetch: fetchImpl });
    expect(await styles.forConnection('styled')).toBeNull();
    expect(await styles.forConnection('styled')).toEqual({ color_text: '#111' });
    expect(await styles.forConnection('plain')).toBeNull();
    expect(fetched).toEqual([url, url]);
  });
});
