import { UNIT_SYSTEMS, type UnitSystem } from '../../../../common/units';

const STORAGE_KEY = 'chartdesk.units';

/** The clinician's units for vital signs (metric, or °F, lb and in): a display setting kept per user, like the theme. */
export class UnitsState {
  choice = $state<UnitSystem>('metric');

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null) {
    const saved = storage?.getItem(STORAGE_KEY);
    if (UNIT_SYSTEMS.some((system) => system.id === saved)) this.choice = saved as UnitSystem;
  }

  set(choice: UnitSystem): void {
    this.choice = choice;
    this.storage?.setItem(STORAGE_KEY, choice);
  }
}
