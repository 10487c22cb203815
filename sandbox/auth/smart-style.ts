/** The style document behind smart_style_url (SMART's experimental context-style capability). */
export const SMART_STYLE_PATH = '/ehr/smart-style.json';

export const SMART_STYLE = {
  color_background: '#edeae3',
  color_error: '#9e2d2d',
  color_highlight: '#69b5ce',
  color_modal_backdrop: '',
  color_success: '#498e49',
  color_text: '#303030',
  dim_border_radius: '6px',
  dim_font_size: '13px',
  dim_spacing_size: '20px',
  font_family_body: 'Georgia, Times, serif',
  font_family_heading: '"HelveticaNeue-Light", Helvetica, Arial, sans-serif',
};
