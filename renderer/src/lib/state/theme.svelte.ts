import { PALETTES, type PaletteVar, type Scheme } from '../palette';

export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_CHOICES: ReadonlyArray<{ id: ThemeChoice; label: string }> = [
  { id: 'system', label: 'System' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

const STORAGE_KEY = 'chartdesk.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * Light, dark, or the OS setting (the default). The palette (lib/palette.ts) goes on the root element
 * as `light-dark()` pairs, and `data-theme` picks one of them; without it `color-scheme: light dark`
 * follows the OS. `scheme` is the one in use, for the EHR colours' contrast check.
 */
export class ThemeState {
  choice = $state<ThemeChoice>('system');
  #systemDark = $state(false);
  readonly scheme: Scheme = $derived(this.choice === 'system' ? (this.#systemDark ? 'dark' : 'light') : this.choice);
  readonly #media: MediaQueryList | null;
  readonly #onMedia = (event: MediaQueryListEvent) => (this.#systemDark = event.matches);

  constructor(
    private readonly root: HTMLElement,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null,
  ) {
    const saved = storage?.getItem(STORAGE_KEY);
    if (saved === 'light' || saved === 'dark') this.choice = saved;
    this.#media = typeof window.matchMedia === 'function' ? window.matchMedia(DARK_QUERY) : null;
    this.#systemDark = this.#media?.matches ?? false;
    this.#media?.addEventListener('change', this.#onMedia);
    for (const [name, light] of Object.entries(PALETTES.light) as Array<[PaletteVar, string]>) {
      root.style.setProperty(name, `light-dark(${light}, ${PALETTES.dark[name]})`);
    }
    this.#apply();
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    this.storage?.setItem(STORAGE_KEY, choice);
    this.#apply();
  }

  dispose(): void {
    this.#media?.removeEventListener('change', this.#onMedia);
  }

  #apply(): void {
    if (this.choice === 'system') delete this.root.dataset['theme'];
    else this.root.dataset['theme'] = this.choice;
  }
}
