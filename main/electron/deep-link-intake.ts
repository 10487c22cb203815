import { app } from 'electron';
import { DEEP_LINK_SCHEME } from '../../common/app-identity';
import { findDeepLinkInArgv } from '../deep-link/parse-deep-link';

/**
 * Collects links from every way the OS delivers them (cold-start argv, second-instance argv,
 * macOS open-url) and holds them until the services are ready to act.
 */
export class DeepLinkIntake {
  private readonly queue: string[] = [];
  private consumer: ((url: string) => void) | null = null;

  /** Call synchronously at start-up, before `ready`, or macOS launch links are lost. */
  listen(argv: readonly string[], onSecondInstance: () => void): void {
    app.on('open-url', (event, url) => {
      event.preventDefault();
      this.accept(url);
    });
    app.on('second-instance', (_event, secondArgv) => {
      onSecondInstance();
      const url = findDeepLinkInArgv(secondArgv);
      if (url) this.accept(url);
    });
    const coldStart = findDeepLinkInArgv(argv);
    if (coldStart) this.accept(coldStart);
  }

  /** Starts delivering, first the links that arrived before the app was ready. */
  deliverTo(consumer: (url: string) => void): void {
    this.consumer = consumer;
    for (const url of this.queue.splice(0)) consumer(url);
  }

  private accept(url: string): void {
    if (this.consumer) this.consumer(url);
    else this.queue.push(url);
  }
}

/** Registers the scheme with the OS at every start (idempotent; per-user on Windows). */
export function registerProtocolClient(): void {
  if (process.defaultApp && process.argv[1]) {
    // Development run (`electron .`): the OS must start Electron with our entry point.
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [process.argv[1]]);
  } else {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  }
}
