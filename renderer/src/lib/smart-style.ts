import { SMART_STYLE_COLOR, type SmartStyle } from '../../../common/smart-style';

/**
 * Maps the EHR's SMART style colors onto the app's CSS variables. Main validates the document;
 * the renderer still accepts only plain color syntax (hex, rgb(), hsl(), a color name), so a
 * value can never smuggle in url(), var() or another declaration.
 */

const VARIABLES: ReadonlyArray<[keyof SmartStyle, string]> = [
  ['color_background', '--bg'],
  ['color_text', '--text'],
  ['color_highlight', '--accent'],
  ['color_error', '--danger'],
  ['color_success', '--ok'],
  ['color_modal_backdrop', '--backdrop'],
];

export type StyleVariables = Partial<Record<'--bg' | '--text' | '--accent' | '--danger' | '--ok' | '--backdrop', string>>;

export function styleVariables(style: SmartStyle | null | undefined): StyleVariables {
  const variables: Record<string, string> = {};
  if (!style) return variables;
  for (const [field, variable] of VARIABLES) {
    const value = style[field]?.trim();
    if (value && SMART_STYLE_COLOR.test(value)) variables[variable] = value;
  }
  return variables;
}
