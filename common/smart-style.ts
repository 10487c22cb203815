/**
 * The SMART `smart_style_url` document (SMART App Launch: "Styling"), as main hands it to the
 * renderer after fetching and validating it. Every field is optional; unknown fields are dropped.
 */
/**
 * Plain colour syntax (hex, rgb(), hsl(), a colour name) and nothing else: a value can never carry url(),
 * var() or another declaration. Main filters the document with it; the renderer checks again before use.
 */
export const SMART_STYLE_COLOR = /^(#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})|(rgb|rgba|hsl|hsla)\([0-9.,%\s/]+\)|[a-z]{3,20})$/i;

export interface SmartStyle {
  color_background?: string;
  color_error?: string;
  color_highlight?: string;
  color_modal_backdrop?: string;
  color_success?: string;
  color_text?: string;
  dim_border_radius?: string;
  dim_font_size?: string;
  dim_spacing_size?: string;
  font_family_body?: string;
  font_family_heading?: string;
}
