import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../common/ipc-contract';
import { LINUX_POLICY_FILE } from '../policy/policy-location';
import { RENDERER_CSP } from '../security/content-security-policy';

interface FakeWindow {
  options: Record<string, unknown>;
  webContents: EventEmitter & { mainFrame: { url: string } };
  loaded: string[];
  focus: () => void;
}

/**
 * Shell wiring, with a test double of the `electron` module: the real composition root runs
 * against it, and the test reads back what it asked Electron to do.
 */
const fake = vi.hoisted(() => {
  const state = {
    app: null as unknown as EventEmitter & Record<string, unknown>,
    handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
    windows: [] as FakeWindow[],
    privileged: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    permissionRequest: null as null | ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void),
    permissionCheck: null as null | (() => boolean),
    protocolClients: [] as unknown[][],
    openedExternal: [] as string[],
    errorBoxes: [] as Array<{ title: string; content: string }>,
    lock: true,
    packaged: false,
    userData: '',
    /** What the machine's policy location holds (/etc/chartdesk/policy.json here), or null. */
    machinePolicy: null as string | null,
    policyReads: [] as string[],
    readyResolve: (() => undefined) as () => void,
  };
  return state;
});

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: () => fake.lock,
    quit: vi.fn(),
    exit: vi.fn(),
    enableSandbox: vi.fn(),
    getVersion: () => '9.9.9',
    getPath: () => fake.userData,
    setPath: (_name: string, value: string) => (fake.userData = value),
    setAsDefaultProtocolClient: (...args: unknown[]) => fake.protocolClients.push(args),
    whenReady: () => new Promise<void>((resolve) => (fake.readyResolve = resolve)),
  });
  Object.defineProperty(app, 'isPackaged', { get: () => fake.packaged });
  fake.app = app as never;
  class BrowserWindow extends EventEmitter {
    webContents: EventEmitter & { mainFrame: { url: string } };
    loaded: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      super();
      const mainFrame = { url: 'app://bundle/index.html' };
      this.webContents = Object.assign(new EventEmitter(), { mainFrame, send: vi.fn(), setWindowOpenHandler: vi.fn() });
      fake.windows.push(this as never);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    isDestroyed = () => false;
    isMinimized = () => false;
    restore = vi.fn();
    focus = vi.fn();
    show = vi.fn();
  }
  return {
    app,
    BrowserWindow,
    ipcMain: { handle: (channel: string, fn: never) => fake.handlers.set(channel, fn) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.privileged.push(...schemes),
      handle: (scheme: string, fn: never) => fake.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: never) => (fake.permissionRequest = fn),
        setPermissionCheckHandler: (fn: never) => (fake.permissionCheck = fn),
      },
    },
    shell: { openExternal: (url: string) => fake.openedExternal.push(url) },
    dialog: { showErrorBox: (title: string, content: string) => fake.errorBoxes.push({ title, content }) },
    net: { fetch: () => Promise.reject(new Error('no network in this test')) },
  };
});

// The built renderer is not there in a unit test: its page is a stand-in.
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = ((file: unknown, ...rest: never[]) =>
    typeof file === 'string' && file.endsWith('/main/renderer/index.html')
      ? Promise.resolve(Buffer.from('<!doctype html><title>ChartDesk</title>'))
      : fs.readFile(file as string, ...rest)) as typeof fs.readFile;
  return { ...fs, default: { ...fs, readFile }, readFile };
});

// The machine's policy location is the test's to fill; any other file is read as it is.
vi.mock('../policy/os-readers', async (importOriginal) => {
  const { osPolicyReaders } = await importOriginal<typeof import('../policy/os-readers')>();
  const { LINUX_POLICY_FILE } = await import('../policy/policy-location');
  return {
    osPolicyReaders: {
      ...osPolicyReaders,
      readTextFile: (file: string) => {
        fake.policyReads.push(file);
        return file === LINUX_POLICY_FILE ? Promise.resolve(fake.machinePolicy) : osPolicyReaders.readTextFile(file);
      },
    },
  };
});

// The keychain is the integration tests' business; here it is an empty one.
vi.mock('keytar', () => ({
  default: {
    getPassword: () => Promise.resolve(null),
    setPassword: () => Promise.resolve(),
    deletePassword: () => Promise.resolve(false),
    findCredentials: () => Promise.resolve([]),
  },
}));

async function startShell() {
  await import('./index');
  fake.readyResolve();
  await vi.waitFor(() => {
    if (!fake.windows[0]) throw new Error('no window was created');
  });
  return fake.windows[0] as FakeWindow;
}

describe('Electron shell wiring', () => {
  beforeEach(() => {
    vi.resetModules();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'chartdesk-shell-'));
    process.env.CHARTDESK_USER_DATA = dir;
    process.env.CHARTDESK_POLICY_FILE = path.join(dir, 'no-policy.json');
    fake.handlers.clear();
    fake.windows.length = 0;
    fake.privileged.length = 0;
    fake.protocolClients.length = 0;
    fake.openedExternal.length = 0;
    fake.errorBoxes.length = 0;
    fake.lock = true;
    fake.packaged = false;
    fake.machinePolicy = null;
    fake.policyReads.length = 0;
  });

  it('creates the window with the secure web preferences and loads app://, never file://', async () => {
    const window = await startShell();
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(window.loaded).toEqual(['app://bundle/index.html']);
    expect(fake.app.enableSandbox).toHaveBeenCalled();
    expect(fake.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('registers the OAuth scheme with the OS at every start', async () => {
    await startShell();
    expect(fake.protocolClients.map((args) => args[0])).toEqual(['org.chartdesk.desktop']);
  });

  it('has a handler for every contract channel, and refuses foreign senders', async () => {
    const window = await startShell();
    expect([...fake.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const handler = fake.handlers.get('app:info');
    const trusted = await handler?.({ senderFrame: window.webContents.mainFrame });
    expect(trusted).toMatchObject({ ok: true, value: { version: '9.9.9', shell: 'electron' } });
    const foreignFrame = await handler?.({ senderFrame: { url: 'https://evil.example/' } });
    expect(foreignFrame).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    const subFrame = await handler?.({ senderFrame: { url: 'app://bundle/index.html' } });
    expect(subFrame).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    const noFrame = await handler?.({ senderFrame: null });
    expect(noFrame).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
  });

  it('denies every permission request and check', async () => {
    await startShell();
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      fake.permissionRequest?.({}, permission, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(fake.permissionCheck?.()).toBe(false);
  });

  it('locks navigation and window.open on every web contents', async () => {
    await startShell();
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    fake.app.emit('web-contents-created', {}, contents);
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      const outside = { url: 'https://evil.example/', preventDefault: vi.fn() };
      contents.emit(event, outside);
      expect(outside.preventDefault, event).toHaveBeenCalled();
      const inside = { url: 'app://bundle/index.html', preventDefault: vi.fn() };
      contents.emit(event, inside);
      expect(inside.preventDefault, event).not.toHaveBeenCalled();
    }
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    const openHandler = contents.setWindowOpenHandler.mock.calls[0]?.[0] as (d: { url: string }) => { action: string };
    expect(openHandler({ url: 'https://www.hl7.org/fhir/' })).toEqual({ action: 'deny' });
    expect(openHandler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fake.openedExternal).toEqual(['https://www.hl7.org/fhir/']);
  });

  it('routes a link from second-instance argv and focuses the window', async () => {
    const window = await startShell();
    fake.app.emit('second-instance', {}, ['/opt/ChartDesk/chartdesk', '--flag', 'org.chartdesk.desktop:/unknown?x=1']);
    expect(window.focus).toHaveBeenCalled();
    const log = readFileSync(path.join(fake.userData, 'logs', 'chartdesk.log'), 'utf8');
    expect(log).toContain('deep-link.rejected');
    expect(log).toContain('unknown path');
  });

  it('serves the renderer with the CSP header and refuses traversal', async () => {
    await startShell();
    const handler = fake.protocolHandlers.get('app');
    const page = await handler?.(new Request('app://bundle/index.html'));
    expect(page?.status).toBe(200);
    expect(page?.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    const traversal = await handler?.(new Request('app://bundle/..%2f..%2fpackage.json'));
    expect(traversal?.status).toBe(403);
    const otherHost = await handler?.(new Request('app://elsewhere/index.html'));
    expect(otherHost?.status).toBe(404);
  });

  describe('packaged', () => {
    const policyStatus = async (window: FakeWindow) =>
      (await fake.handlers.get('policy:status')?.({ senderFrame: window.webContents.mainFrame })) as {
        value: { source: string | null; idleLockMinutes: number };
      };

    it("keeps the machine's policy and folders: the development variables are ignored", async () => {
      fake.packaged = true;
      const machineFolder = mkdtempSync(path.join(os.tmpdir(), 'chartdesk-machine-'));
      fake.userData = machineFolder;
      fake.machinePolicy = JSON.stringify({ idleLockMinutes: 5, persistTokens: false });
      // What a user could set to shed IT's policy: their own policy file, another folder, a sandbox connection.
      const own = process.env.CHARTDESK_USER_DATA!;
      writeFileSync(process.env.CHARTDESK_POLICY_FILE!, JSON.stringify({ idleLockMinutes: 720 }));
      process.env.CHARTDESK_DEV_SANDBOX_URL = 'http://127.0.0.1:4410/fhir';
      try {
        const window = await startShell();
        expect(fake.userData).toBe(machineFolder);
        expect(fake.policyReads).toEqual([LINUX_POLICY_FILE]);
        expect((await policyStatus(window)).value).toMatchObject({ source: LINUX_POLICY_FILE, idleLockMinutes: 5 });
        const connections = (await fake.handlers.get('connections:list')?.({ senderFrame: window.webContents.mainFrame })) as {
          value: unknown[];
        };
        expect(connections.value).toEqual([]);
        expect(readFileSync(path.join(machineFolder, 'logs', 'chartdesk.log'), 'utf8')).toContain('policy.applied');
        expect(existsSync(path.join(own, 'logs'))).toBe(false);
      } finally {
        delete process.env.CHARTDESK_DEV_SANDBOX_URL;
      }
    });

    it('opens no DevTools unless the policy allows them', async () => {
      fake.packaged = true;
      fake.userData = mkdtempSync(path.join(os.tmpdir(), 'chartdesk-machine-'));
      expect((await startShell()).options.webPreferences).toMatchObject({ devTools: false });

      vi.resetModules();
      fake.windows.length = 0;
      fake.machinePolicy = JSON.stringify({ allowDevTools: true });
      expect((await startShell()).options.webPreferences).toMatchObject({ devTools: true });
    });

    it('a development run keeps its DevTools and honours the development variables', async () => {
      writeFileSync(process.env.CHARTDESK_POLICY_FILE!, JSON.stringify({ idleLockMinutes: 30 }));
      const window = await startShell();
      expect(window.options.webPreferences).toMatchObject({ devTools: true });
      expect(fake.userData).toBe(process.env.CHARTDESK_USER_DATA);
      expect((await policyStatus(window)).value).toMatchObject({
        source: process.env.CHARTDESK_POLICY_FILE,
        idleLockMinutes: 30,
      });
    });
  });

  it('shows a native error box in plain words and quits when it cannot start (unreadable connections.json)', async () => {
    // A folder where the file should be: unreadable even for root, who can read a file without permissions.
    mkdirSync(path.join(process.env.CHARTDESK_USER_DATA!, 'connections.json'));
    await import('./index');
    fake.readyResolve();
    await vi.waitFor(() => expect(fake.errorBoxes).toHaveLength(1));
    const [box] = fake.errorBoxes;
    expect(box?.title).toBe('ChartDesk could not start');
    expect(box?.content).toMatch(
      /^ChartDesk could not start because it cannot use its files in \S+ \(a folder stands where a file should be\)\./,
    );
    expect(box?.content).toContain('ask your IT department');
    expect(box?.content).toContain(path.join(fake.userData, 'logs'));
    expect(box?.content).not.toMatch(/\n\s+at |EISDIR:/);
    expect(fake.app.exit).toHaveBeenCalledWith(1);
    expect(fake.windows).toHaveLength(0);
    // Logged once, with the cause IT needs.
    const log = readFileSync(path.join(fake.userData, 'logs', 'chartdesk.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; event: string; error?: { message: string; stack?: string[] } });
    const failures = log.filter((line) => line.level === 'error');
    expect(failures.map((line) => line.event)).toEqual(['boot.failed']);
    expect(failures[0]?.error?.message).toMatch(/EISDIR/);
    expect(failures[0]?.error?.stack?.length).toBeGreaterThan(0);
  });

  it('quits at once when another instance holds the lock', async () => {
    fake.lock = false;
    await import('./index');
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.windows).toHaveLength(0);
  });
});
