/** View models: the only shapes that reach the renderer. None of them may ever hold a secret. */

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** 'electron' in the desktop app, 'web' in the browser view used for development and tests. */
  shell: 'electron' | 'web';
}
