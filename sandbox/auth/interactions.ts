/**
 * The interaction pages oidc-provider sends the browser to: sign-in, patient picker (standalone
 * launch with launch/patient) and consent, or, with auto-approve, none of them (redirects only).
 * One interaction ends with both login and consent, so the library needs no second round.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { readForm, redirect, sendHtml, sendJson } from '../http-util.js';
import type { AutoApproveOptions, PatientSummary, SandboxUser } from '../types.js';
import type { ContextStore, PendingLaunch } from './context-store.js';
import { consentPage, errorPage, patientPickerPage, signInPage } from './pages.js';
import { parseScopes } from './scopes.js';

export interface InteractionDeps {
  provider: Provider;
  users: SandboxUser[];
  contexts: ContextStore;
  findPatients(nameQuery: string): PatientSummary[];
  patient(id: string): PatientSummary | undefined;
  autoApprove: AutoApproveOptions | null;
  /** 'json-401': a denied consent is answered in the browser, as the SMART reference server does, and the app hears nothing. */
  consentDenial: 'redirect' | 'json-401';
}

interface Progress {
  userId?: string;
  patient?: string;
}

interface Decision {
  approved: string[];
  rejected: string[];
}

export const INTERACTION_PATH = '/ehr/interaction/';

export function createInteractionHandler(deps: InteractionDeps) {
  const { provider, users, contexts } = deps;
  const progress = new Map<string, Progress>();

  async function finish(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    userId: string,
    decision: Decision,
  ): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const launchValue = typeof details.params.launch === 'string' ? details.params.launch : undefined;
    const launch = launchValue ? contexts.peekLaunch(launchValue) : undefined;
    const picked = progress.get(uid)?.patient ?? deps.autoApprove?.patient;
    const grant = new provider.Grant({ accountId: userId, clientId: String(details.params.client_id) });
    if (decision.approved.length > 0) grant.addOIDCScope(decision.approved.join(' '));
    if (decision.rejected.length > 0) grant.rejectOIDCScope(decision.rejected.join(' '));
    const grantId = await grant.save();
    const approved = new Set(decision.approved);
    const patient = launch && approved.has('launch') ? launch.patient : approved.has('launch/patient') ? picked : undefined;
    contexts.bindGrant(grantId, {
      userId,
      ehrLaunch: launch !== undefined,
      ...(patient ? { patient } : {}),
      ...(launch?.encounter && approved.has('launch') ? { encounter: launch.encounter } : {}),
      ...(launch?.simulateError ? { simulateError: launch.simulateError } : {}),
    });
    if (launchValue) contexts.consumeLaunch(launchValue);
    progress.delete(uid);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: userId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  /** Shows the next page the interaction needs, or finishes it when none is left. */
  async function advance(req: IncomingMessage, res: ServerResponse, uid: string, query: URLSearchParams): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const clientId = String(details.params.client_id);
    const launchValue = typeof details.params.launch === 'string' ? details.params.launch : undefined;
    const launch: PendingLaunch | undefined = launchValue ? contexts.peekLaunch(launchValue) : undefined;
    if (launchValue && !launch) {
      await provider.interactionFinished(req, res, {
        error: 'invalid_request',
        error_description: 'launch is unknown, used or expired',
      });
      return;
    }
    const requested = parseScopes(typeof details.params.scope === 'string' ? details.params.scope : undefined);
    const state = progress.get(uid) ?? {};
    progress.set(uid, state);
    const auto = deps.autoApprove;
    const userId = launch?.userId ?? state.userId ?? (auto ? (auto.user ?? users[0]?.id) : details.session?.accountId);
    const base = `${INTERACTION_PATH}${uid}`;
    if (!userId) {
      sendHtml(res, 200, signInPage(`${base}/login`, clientId, users));
      return;
    }
    const needsPatient = !launch && requested.includes('launch/patient');
    if (needsPatient && !state.patient && !auto) {
      const q = query.get('q') ?? '';
      sendHtml(res, 200, patientPickerPage(`${base}/patient`, base, q, deps.findPatients(q)));
      return;
    }
    if (auto) {
      await finish(req, res, uid, userId, { approved: requested, rejected: [] });
      return;
    }
    state.userId = userId;
    const patientId = launch?.patient ?? state.patient;
    sendHtml(res, 200, consentPage(`${base}/consent`, clientId, requested, patientId ? deps.patient(patientId) : undefined));
  }

  async function signIn(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const form = await readForm(req);
    const user = users.find((u) => u.username === form.get('username') && u.password === form.get('password'));
    if (!user) {
      const details = await provider.interactionDetails(req, res);
      sendHtml(
        res,
        401,
        signInPage(
          `${INTERACTION_PATH}${uid}/login`,
          String(details.params.client_id),
          users,
          'Unknown username or wrong password.',
        ),
      );
      return;
    }
    progress.set(uid, { ...progress.get(uid), userId: user.id });
    redirect(res, `${INTERACTION_PATH}${uid}`);
  }

  async function pickPatient(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const chosen = (await readForm(req)).get('patient');
    if (chosen && deps.patient(chosen)) progress.set(uid, { ...progress.get(uid), patient: chosen });
    redirect(res, `${INTERACTION_PATH}${uid}`);
  }

  async function consent(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const form = await readForm(req);
    const details = await provider.interactionDetails(req, res);
    const userId = progress.get(uid)?.userId;
    if (form.get('decision') !== 'approve' || !userId) {
      progress.delete(uid);
      if (deps.consentDenial === 'json-401') {
        sendJson(res, 401, { error: 'invalid_request', error_description: 'Unauthorized' });
        return;
      }
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user denied access' });
      return;
    }
    const requested = parseScopes(typeof details.params.scope === 'string' ? details.params.scope : undefined);
    const ticked = new Set(form.getAll('scope'));
    await finish(req, res, uid, userId, {
      approved: requested.filter((s) => ticked.has(s)),
      rejected: requested.filter((s) => !ticked.has(s)),
    });
  }

  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const [uid, step] = url.pathname.slice(INTERACTION_PATH.length).split('/');
    if (!uid) {
      sendHtml(res, 404, errorPage('not_found', 'No such interaction.'));
      return;
    }
    // Auto-approve serves scripted clients that keep no cookies: the uid in the path stands in for the cookie.
    if (deps.autoApprove && !req.headers.cookie) req.headers.cookie = `_interaction=${uid}`;
    try {
      if (req.method === 'GET' && !step) await advance(req, res, uid, url.searchParams);
      else if (req.method === 'POST' && step === 'login') await signIn(req, res, uid);
      else if (req.method === 'POST' && step === 'patient') await pickPatient(req, res, uid);
      else if (req.method === 'POST' && step === 'consent') await consent(req, res, uid);
      else sendHtml(res, 404, errorPage('not_found', 'No such page.'));
    } catch (error) {
      const name = (error as { name?: string }).name;
      const status = name === 'SessionNotFound' ? 400 : 500;
      if (!res.headersSent)
        sendHtml(
          res,
          status,
          errorPage(name ?? 'server_error', 'The sign-in session expired or is invalid: start again from the app.'),
        );
    }
  };
}
