import { smartConfigurationOf } from '../discovery';

/** A SMART configuration that advertises nothing optional: a test names only what its EHR publishes. */
export const smartConfiguration = smartConfigurationOf;
