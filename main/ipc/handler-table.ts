import { z } from 'zod';
import type { MainServices } from '../app-services';
import { noArgs, type HandlerTable } from './dispatcher';
import { connectionSettings } from '../../common/connection-rules';
import { chartOpenRequest, chartSectionId, localId, patientSearchQuery } from '../../common/ipc-schemas';

/** Binds every contract channel to the service that answers it, with its argument schema. */
export function createHandlerTable(s: MainServices): HandlerTable {
  return {
    'app:info': { args: noArgs, run: () => s.appInfo() },
    'policy:status': { args: noArgs, run: () => s.policyStatus() },
    'app:notices': { args: noArgs, run: () => s.notices() },
    'connections:list': { args: noArgs, run: () => s.connections.list() },
    'connections:templates': { args: noArgs, run: () => s.connections.templates() },
    'connections:add': { args: z.tuple([connectionSettings]), run: (settings) => s.connections.add(settings) },
    'connections:update': {
      args: z.tuple([localId, connectionSettings]),
      run: (id, settings) => s.connections.update(id, settings),
    },
    'connections:remove': { args: z.tuple([localId]), run: (id) => s.connections.remove(id) },
    'connections:check': {
      args: z.tuple([z.string().min(1).max(2048), z.string().max(256).nullable()]),
      run: (url, clientId) => s.connections.check(url, clientId),
    },
    'session:sign-in': { args: z.tuple([localId]), run: (id) => s.sessions.signIn(id) },
    'session:cancel': { args: z.tuple([localId]), run: (id) => s.sessions.cancel(id) },
    'session:sign-out': { args: z.tuple([localId]), run: (id) => s.sessions.signOut(id) },
    'session:sign-out-all': { args: noArgs, run: () => s.sessions.signOutAll() },
    'session:style': { args: z.tuple([localId]), run: (id) => s.sessions.style(id) },
    'device:forget': { args: z.tuple([localId]), run: (id) => s.sessions.forgetDevice(id) },
    'device:rotate-key': { args: z.tuple([localId]), run: (id) => s.sessions.rotateDeviceKey(id) },
    'launch:answer': { args: z.tuple([localId, z.boolean()]), run: (id, accept) => s.sessions.answerLaunch(id, accept) },
    'patients:search': { args: z.tuple([localId, patientSearchQuery]), run: (id, query) => s.chart.searchPatients(id, query) },
    'patients:recent': { args: z.tuple([localId]), run: (id) => s.chart.recentPatients(id) },
    'chart:open': { args: z.tuple([chartOpenRequest]), run: (request) => s.chart.open(request) },
    'chart:close': { args: z.tuple([localId, localId]), run: (id, loadId) => s.chart.close(id, loadId) },
    'chart:retry-section': {
      args: z.tuple([localId, localId, chartSectionId]),
      run: (id, loadId, section) => s.chart.retrySection(id, loadId, section),
    },
  };
}
