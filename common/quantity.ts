import type { Quantity } from './chart';
import { displayUnit } from './units';

// Plain decimals, no grouping: "0.0000001" rather than "1e-7", "12000" as a lab reports it.
const DECIMAL = new Intl.NumberFormat('en-US', { useGrouping: false, maximumFractionDigits: 20 });

/**
 * A quantity as the EHR sent it, then its unit as people write it (common/units.ts). Never rounded: a troponin of 0.004 ng/mL or a digoxin dose of
 * 0.125 mg is read as written, and rounding it would change what the clinician sees. A bound keeps its
 * comparator in front ("<5 mg/dL"): dropping it would turn "below 5" into "5".
 */
export function formatQuantity(quantity: Quantity): string {
  const value = `${quantity.comparator ?? ''}${DECIMAL.format(quantity.value)}`;
  return quantity.unit ? `${value} ${displayUnit(quantity.unit)}` : value;
}
