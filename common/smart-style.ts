/**
 * The SMART `smart_style_url` document (SMART App Launch: "Styling"), as main hands it to the
 * renderer after fetching and validating it. Every field is optional; unknown fields are dropped.
 */
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
