import type { MainServices } from '../../app-services';

/** Main services that record what reached them, for the dispatcher tests. */
export function recordingServices(calls: Array<{ method: string; args: unknown[] }> = []): MainServices {
  const record =
    (method: string, result: unknown = null) =>
    (...args: unknown[]) => {
      calls.push({ method, args });
      return Promise.resolve(result) as never;
    };
  return {
    appInfo: () => ({ name: 'ChartDesk', version: '1.2.3', platform: 'linux', shell: 'web' }),
    policyStatus: () => ({ source: null, applied: false, error: null, allowAddConnections: true, idleLockMinutes: 15 }),
    notices: () => [],
    connections: {
      list: () => [],
      templates: () => [],
      add: record('add'),
      update: record('update'),
      remove: record('remove'),
      check: record('check'),
    },
    sessions: {
      signIn: record('signIn'),
      cancel: record('cancel'),
      signOut: record('signOut'),
      signOutAll: record('signOutAll'),
      answerLaunch: record('answerLaunch'),
      style: record('style'),
      forgetDevice: record('forgetDevice'),
      rotateDeviceKey: record('rotateDeviceKey'),
    },
    chart: {
      searchPatients: record('searchPatients', []),
      recentPatients: () => [],
      open: record('open'),
      close: () => null,
      retrySection: record('retrySection'),
    },
    handleDeepLink: (link) => calls.push({ method: 'handleDeepLink', args: [link] }),
  };
}
