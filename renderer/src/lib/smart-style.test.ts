import { describe, expect, it } from 'vitest';
import { styleVariables } from './smart-style';

describe('styleVariables (smart_style_url)', () => {
  it('maps valid colors onto the app variables', () => {
    expect(
      styleVariables({ color_background: '#edeae3', color_highlight: 'rgb(12, 99, 200)', color_error: 'firebrick' }),
    ).toEqual({
      '--bg': '#edeae3',
      '--accent': 'rgb(12, 99, 200)',
      '--danger': 'firebrick',
    });
  });

  it('drops anything that is not a plain color', () => {
    expect(
      styleVariables({
        color_background: 'url(https://evil.example/x.png)',
        color_text: 'red; background: url(x)',
        color_highlight: 'var(--other)',
        color_success: 'expression(alert(1))',
      }),
    ).toEqual({});
    expect(styleVariables(null)).toEqual({});
  });
});
