import type { IpcServices } from '../../app-services';

/** Services that record what reached them, for the dispatcher tests. */
export function recordingServices(calls: Array<{ method: string; args: unknown[] }> = []): IpcServices {
  const record =
    (method: string, result: unknown = null) =>
    (...args: unknown[]) => {
      calls.push({ method, args });
      return Promise.resolve(result) as never;
    };
  return {
    app: {
      info: () => ({ name: 'ChartDesk', version: '1.2.3', platform: 'linux', shell: 'web' }),
      policyStatus: () => ({
        source: null,
        applied: false,
        error: null,
        allowAddConnections: true,
        idleLockMinutes: 15,
        allowedWriteKinds: [],
      }),
    },
    notices: { list: () => [], dismiss: () => null },
    connections: { templates: () => [], add: record('add'), check: record('check') },
    sessions: {
      list: () => [],
      updateConnection: record('updateConnection'),
      removeConnection: record('removeConnection'),
      signIn: record('signIn'),
      cancel: record('cancel'),
      signOut: record('signOut'),
      signOutAll: record('signOutAll'),
      answerLaunch: record('answerLaunch'),
      forgetDevice: record('forgetDevice'),
      rotateDeviceKey: record('rotateDeviceKey'),
    },
    styles: { forConnection: record('forConnection') },
    chart: {
      searchPatients: record('searchPatients', []),
      recentPatients: () => [],
      open: record('open'),
      close: () => null,
      retrySection: record('retrySection'),
      attachment: record('attachment'),
    },
    writes: {
      availability: record('availability'),
      preview: record('preview'),
      submit: record('submit'),
      drafts: record('drafts', []),
      discard: record('discard'),
      keepUnfinished: record('keepUnfinished'),
      unfinished: record('unfinished', []),
      resumeUnfinished: record('resumeUnfinished'),
      searchMedications: record('searchMedications', []),
    },
  };
}
