/** Stops what the development scripts started, in order, on Ctrl-C or a termination signal. */
export function stopOnSignal(services: Array<{ close?: () => Promise<void>; stop?: () => Promise<void> }>): void {
  const stop = async () => {
    for (const service of services) await (service.close ?? service.stop)?.call(service);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
