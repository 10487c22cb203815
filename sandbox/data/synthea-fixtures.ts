import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Synthea R4 patients kept in the project (fixtures/synthea-r4, whose README says where they come from), read by
 * the tests, the bench and the sandbox's `--data` examples. CHARTDESK_SYNTHEA_DIR names another folder of bundles.
 */
export const SYNTHEA_DIR =
  process.env.CHARTDESK_SYNTHEA_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/synthea-r4');
