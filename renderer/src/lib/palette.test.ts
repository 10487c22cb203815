import { wcagContrast } from 'culori';
import { describe, expect, it } from 'vitest';
import { AA_TEXT, lowestContrast, PALETTES, styleVariables } from './palette';

/** The colours of the sandbox EHR's style document (sandbox/auth/smart-style.ts), which issue 18 scanned. */
const SMART_STYLE = {
  color_background: '#edeae3',
  color_error: '#9e2d2d',
  color_highlight: '#69b5ce',
  color_success: '#498e49',
  color_text: '#303030',
};

describe('the palettes', () => {
  it('every text colour reads at AA on both backgrounds, in light and dark', () => {
    expect(lowestContrast(PALETTES.light)).toBeGreaterThanOrEqual(AA_TEXT);
    expect(lowestContrast(PALETTES.dark)).toBeGreaterThanOrEqual(AA_TEXT);
  });
});

describe('styleVariables (smart_style_url)', () => {
  it('applies the EHR colours that keep AA contrast in a light theme', () => {
    expect(
      styleVariables({ color_background: '#edeae3', color_text: '#303030', color_error: 'firebrick' }, PALETTES.light),
    ).toEqual({ '--bg': '#edeae3', '--text': '#303030', '--danger': 'firebrick' });
  });

  it("keeps a dark theme readable under the sandbox's light EHR style (the 1.19:1 of issue 18)", () => {
    const applied = styleVariables(SMART_STYLE, PALETTES.dark);
    // A light background and dark text would leave the dark panels unreadable: neither is applied.
    expect(applied['--bg']).toBeUndefined();
    expect(applied['--text']).toBeUndefined();
    expect(lowestContrast({ ...PALETTES.dark, ...applied })).toBeGreaterThanOrEqual(AA_TEXT);
    // The highlight reads well on dark panels, so there it is kept.
    expect(applied['--accent']).toBe('#69b5ce');
  });

  it('never makes a pale highlight the focus ring or link colour of a light theme (#69b5ce is 2.3:1 on white)', () => {
    expect(wcagContrast('#69b5ce', '#ffffff')).toBeLessThan(3);
    expect(styleVariables(SMART_STYLE, PALETTES.light)['--accent']).toBeUndefined();
  });

  it('drops anything that is not a plain opaque color', () => {
    expect(
      styleVariables(
        {
          color_background: 'url(https://evil.example/x.png)',
          color_text: 'red; background: url(x)',
          color_highlight: 'var(--other)',
          color_success: 'expression(alert(1))',
          color_error: 'transparent',
        },
        PALETTES.light,
      ),
    ).toEqual({});
    expect(styleVariables(null, PALETTES.light)).toEqual({});
  });
});
