import { parse, wcagContrast } from 'culori';
import { SMART_STYLE_COLOR, type SmartStyle } from '../../../common/smart-style';

/**
 * The app's colours, light and dark: the one place they are defined. ThemeState puts them on the root
 * element as CSS variables; the EHR's SMART style may replace some of them, but only where every text
 * colour keeps WCAG AA contrast (4.5:1) against both backgrounds of the theme in use.
 */

export type Scheme = 'light' | 'dark';
export type PaletteVar = '--bg' | '--surface' | '--border' | '--text' | '--muted' | '--accent' | '--danger' | '--ok' | '--warn';
export type Palette = Record<PaletteVar, string>;

export const PALETTES: Record<Scheme, Palette> = {
  light: {
    '--bg': '#f6f7f9',
    '--surface': '#ffffff',
    '--border': '#d9dde3',
    '--text': '#1b1f24',
    '--muted': '#5b6470',
    '--accent': '#0b63c5',
    '--danger': '#b3261e',
    '--ok': '#176b31',
    '--warn': '#8a5a00',
  },
  dark: {
    '--bg': '#15181d',
    '--surface': '#1e232a',
    '--border': '#2e353f',
    '--text': '#e6e9ee',
    '--muted': '#9aa4b1',
    '--accent': '#5aa2f0',
    '--danger': '#f2857d',
    '--ok': '#6fcf8e',
    '--warn': '#e9b44c',
  },
};

/** WCAG 2.x AA for normal text; the focus ring (drawn in --accent) needs only 3:1, so text's 4.5:1 covers it. */
export const AA_TEXT = 4.5;
/** Colours drawn as text, each checked against both backgrounds. */
const TEXT_VARS: readonly PaletteVar[] = ['--text', '--muted', '--accent', '--danger', '--ok', '--warn'];
const BACKGROUNDS: readonly PaletteVar[] = ['--bg', '--surface'];

export type StyleVariables = Partial<Record<PaletteVar | '--backdrop', string>>;

/** Every text colour of the palette against both backgrounds: the lowest ratio. */
export function lowestContrast(palette: Palette): number {
  let lowest = Infinity;
  for (const text of TEXT_VARS) {
    for (const background of BACKGROUNDS) lowest = Math.min(lowest, wcagContrast(palette[text], palette[background]));
  }
  return lowest;
}

/**
 * A plain, opaque colour (hex, rgb(), hsl(), a name): never url(), var() or another declaration, and
 * nothing see-through, whose contrast would depend on what lies beneath.
 */
function plainColor(value: string | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed || !SMART_STYLE_COLOR.test(trimmed)) return null;
  const color = parse(trimmed);
  return color && (color.alpha === undefined || color.alpha === 1) ? trimmed : null;
}

/**
 * The EHR's colours that can be applied over `base` (the theme in use). The background and text go
 * together when they can, else each alone; then the highlight, error and success colours one by one;
 * each is kept only if the whole palette still reads at AA. A dark theme thus keeps its panels
 * readable under an EHR's light background, and a pale highlight never becomes a light theme's text.
 */
export function styleVariables(style: SmartStyle | null | undefined, base: Palette): StyleVariables {
  if (!style) return {};
  const wanted: Array<Partial<Palette>> = [];
  const bg = plainColor(style.color_background);
  const text = plainColor(style.color_text);
  if (bg && text) wanted.push({ '--bg': bg, '--text': text });
  if (bg) wanted.push({ '--bg': bg });
  if (text) wanted.push({ '--text': text });
  for (const [field, variable] of [
    ['color_highlight', '--accent'],
    ['color_error', '--danger'],
    ['color_success', '--ok'],
  ] as const) {
    const color = plainColor(style[field]);
    if (color) wanted.push({ [variable]: color });
  }
  let palette = { ...base };
  const applied: StyleVariables = {};
  for (const change of wanted) {
    if (Object.keys(change).some((key) => key in applied)) continue;
    const candidate = { ...palette, ...change };
    if (lowestContrast(candidate) < AA_TEXT) continue;
    palette = candidate;
    Object.assign(applied, change);
  }
  // The backdrop dims what lies behind a dialog: no text is drawn on it, and it may be see-through.
  const backdrop = style.color_modal_backdrop?.trim();
  if (backdrop && SMART_STYLE_COLOR.test(backdrop) && parse(backdrop)) applied['--backdrop'] = backdrop;
  return applied;
}
