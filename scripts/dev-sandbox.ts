import { startSandbox, type Sandbox } from '../sandbox/index';

/** The port the development sandbox prefers, so the connection it is offered as stays valid between runs. */
export const DEV_SANDBOX_PORT = 4410;

/** Starts the sandbox EHR beside the app in development, on its usual port when that is free. */
export async function startDevSandbox(): Promise<Sandbox> {
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({ port: DEV_SANDBOX_PORT, quiet: true });
  } catch {
    sandbox = await startSandbox({ port: 0, quiet: true });
  }
  console.log(`Sandbox EHR: ${sandbox.fhirBaseUrl}`);
  for (const user of sandbox.users) console.log(`  sign in as ${user.username} / ${user.password} (${user.displayName})`);
  return sandbox;
}
