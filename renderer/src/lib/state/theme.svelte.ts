export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'chartdesk.theme';

/**
 * Light, dark, or the OS setting (the default). styles.css reads `data-theme` on the root
 * element; without it `color-scheme: light dark` follows the OS.
 */
export class ThemeState {
  choice = $state<ThemeChoice>('system');

  constructor(
    private readonly root: HTMLElement,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null,
  ) {
    const saved = storage?.getItem(STORAGE_KEY);
    if (saved === 'light' || saved === 'dark') this.choice = saved;
    this.#apply();
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    this.storage?.setItem(STORAGE_KEY, choice);
    this.#apply();
  }

  #apply(): void {
    if (this.choice === 'system') delete this.root.dataset['theme'];
    else this.root.dataset['theme'] = this.choice;
  }
}
