import { z } from 'zod';
import { SMART_STYLE_COLOR, type SmartStyle } from '../../common/smart-style';
import { isLoopbackUrl } from '../../common/fhir-base';

/**
 * The EHR's `smart_style_url` document (SMART App Launch "Styling"), fetched by main and reduced
 * to plain values: colours in plain colour syntax, sizes as CSS lengths, font names as words. A
 * value that could carry url(), var() or another declaration is dropped, and so is the document
 * when it is not JSON, too large, or not from https (or the loopback sandbox).
 */
const MAX_BYTES = 64 * 1024;
const TIMEOUT_MS = 5000;
const LENGTH = /^\d{1,3}(\.\d{1,2})?(px|em|rem|%)$/;
const FONT = /^[A-Za-z0-9 ,'"-]{1,100}$/;

const optional = (pattern: RegExp) =>
  z
    .unknown()
    .transform((value) => (typeof value === 'string' && pattern.test(value.trim()) ? value.trim() : undefined))
    .optional();

const styleSchema = z.object({
  color_background: optional(SMART_STYLE_COLOR),
  color_error: optional(SMART_STYLE_COLOR),
  color_highlight: optional(SMART_STYLE_COLOR),
  color_modal_backdrop: optional(SMART_STYLE_COLOR),
  color_success: optional(SMART_STYLE_COLOR),
  color_text: optional(SMART_STYLE_COLOR),
  dim_border_radius: optional(LENGTH),
  dim_font_size: optional(LENGTH),
  dim_spacing_size: optional(LENGTH),
  font_family_body: optional(FONT),
  font_family_heading: optional(FONT),
});

export async function fetchSmartStyle(url: string, fetchImpl: typeof fetch): Promise<SmartStyle | null> {
  if (!url.startsWith('https://') && !isLoopbackUrl(url)) return null;
  try {
    const response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) return null;
    const text = await response.text();
    if (text.length > MAX_BYTES) return null;
    const parsed = styleSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return null;
    const style = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined)) as SmartStyle;
    return Object.keys(style).length > 0 ? style : null;
  } catch {
    return null;
  }
}

export interface SessionStylesDeps {
  /** The session's `smart_style_url`, or null when it has none or is signed out. */
  styleUrlOf(connectionId: string): string | null;
  fetch: typeof fetch;
}

/**
 * The styles service. The renderer asks each time an EHR's session comes to the front: a document is fetched once
 * per URL, and again only after a failure.
 */
export function createSessionStyles(deps: SessionStylesDeps) {
  const known = new Map<string, SmartStyle>();
  return {
    async forConnection(connectionId: string): Promise<SmartStyle | null> {
      const url = deps.styleUrlOf(connectionId);
      if (!url) return null;
      const cached = known.get(url);
      if (cached) return cached;
      const style = await fetchSmartStyle(url, deps.fetch);
      if (style) known.set(url, style);
      return style;
    },
  };
}
