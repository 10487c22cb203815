/**
 * The sandbox's server-rendered pages: plain HTML forms with labelled inputs and stable ids and
 * data-testid attributes, so that people and Playwright can drive them alike.
 */
import type { PatientSummary, SandboxUser } from '../types.js';
import { describeScope } from './scopes.js';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `body{font:15px/1.4 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
h1{font-size:1.3rem}label{display:block;margin:.5rem 0}input[type=text],input[type=password],input[type=search]{width:100%;padding:.4rem}
button{margin:.75rem .5rem 0 0;padding:.45rem 1rem}.hint{color:#52606d;font-size:.9rem}.error{color:#b00020}
ul{list-style:none;padding:0}li{margin:.3rem 0}code{background:#eef2f6;padding:0 .2rem}`;

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · ChartDesk Sandbox EHR</title>
<style>${STYLE}</style></head><body><main data-testid="sandbox-page">${body}</main></body></html>`;
}

export function errorPage(error: string, description: string): string {
  return page(
    'Error',
    `<h1 data-testid="error-title">Authorization error</h1><p><code data-testid="error-code">${escapeHtml(error)}</code></p>
<p data-testid="error-description">${escapeHtml(description)}</p>`,
  );
}

export function signInPage(action: string, clientId: string, users: SandboxUser[], error?: string): string {
  const credentials = users
    .map(
      (u) =>
        `<li><code>${escapeHtml(u.username)}</code> / <code>${escapeHtml(u.password)}</code> (${escapeHtml(u.displayName)})</li>`,
    )
    .join('');
  return page(
    'Sign in',
    `<h1>Sign in to the Sandbox EHR</h1><p><strong>${escapeHtml(clientId)}</strong> asks you to sign in.</p>
${error ? `<p class="error" role="alert" data-testid="sign-in-error">${escapeHtml(error)}</p>` : ''}
<form id="sign-in-form" method="post" action="${escapeHtml(action)}">
<label for="username">Username <input type="text" id="username" name="username" data-testid="username" autocomplete="username" required autofocus></label>
<label for="password">Password <input type="password" id="password" name="password" data-testid="password" autocomplete="current-password" required></label>
<button type="submit" id="sign-in" data-testid="sign-in">Sign in</button></form>
<p class="hint">Sandbox users (synthetic, for testing only):</p><ul data-testid="sandbox-credentials">${credentials}</ul>`,
  );
}

export function patientPickerPage(action: string, searchAction: string, query: string, patients: PatientSummary[]): string {
  const items = patients
    .map(
      (
        p,
      ) => `<li><label for="patient-${escapeHtml(p.id)}"><input type="radio" name="patient" id="patient-${escapeHtml(p.id)}" value="${escapeHtml(p.id)}" data-testid="patient-option" required>
${escapeHtml(p.name)} <span class="hint">born ${escapeHtml(p.birthDate)} · id ${escapeHtml(p.id)}</span></label></li>`,
    )
    .join('');
  return page(
    'Choose a patient',
    `<h1>Choose a patient</h1>
<form id="patient-search-form" method="get" action="${escapeHtml(searchAction)}">
<label for="patient-search">Search by name <input type="search" id="patient-search" name="q" value="${escapeHtml(query)}" data-testid="patient-search"></label>
<button type="submit" id="search" data-testid="search">Search</button></form>
<form id="patient-form" method="post" action="${escapeHtml(action)}">
${patients.length > 0 ? `<ul data-testid="patient-list">${items}</ul>` : '<p data-testid="no-patients">No patient matches.</p>'}
<button type="submit" id="select-patient" data-testid="select-patient">Continue</button></form>`,
  );
}

export function consentPage(action: string, clientId: string, scopes: string[], patient?: PatientSummary): string {
  const items = scopes
    .map(
      (
        scope,
        i,
      ) => `<li><label for="scope-${i}"><input type="checkbox" id="scope-${i}" name="scope" value="${escapeHtml(scope)}" data-testid="scope-option" data-scope="${escapeHtml(scope)}" checked>
<code>${escapeHtml(scope)}</code> <span class="hint">${escapeHtml(describeScope(scope))}</span></label></li>`,
    )
    .join('');
  return page(
    'Allow access',
    `<h1>Allow <strong>${escapeHtml(clientId)}</strong> access?</h1>
${patient ? `<p data-testid="consent-patient">Patient: ${escapeHtml(patient.name)} (${escapeHtml(patient.id)})</p>` : ''}
<form id="consent-form" method="post" action="${escapeHtml(action)}"><p>Untick what you do not want to share.</p><ul data-testid="scope-list">${items}</ul>
<button type="submit" name="decision" value="approve" id="approve" data-testid="approve">Allow</button>
<button type="submit" name="decision" value="deny" id="deny" data-testid="deny" formnovalidate>Deny</button></form>`,
  );
}

export function launchPage(
  action: string,
  patients: PatientSummary[],
  users: SandboxUser[],
  result?: { launch: string; link: string },
): string {
  const options = (items: Array<{ id: string; label: string }>) =>
    items.map((i) => `<option value="${escapeHtml(i.id)}">${escapeHtml(i.label)}</option>`).join('');
  return page(
    'EHR launch',
    `<h1>Launch ChartDesk from the EHR</h1>
<form id="launch-form" method="post" action="${escapeHtml(action)}">
<label for="launch-patient">Patient <select id="launch-patient" name="patient" data-testid="launch-patient">${options(patients.map((p) => ({ id: p.id, label: `${p.name} (${p.id})` })))}</select></label>
<label for="launch-encounter">Encounter id (optional) <input type="text" id="launch-encounter" name="encounter" data-testid="launch-encounter"></label>
<label for="launch-user">User <select id="launch-user" name="user" data-testid="launch-user">${options(users.map((u) => ({ id: u.id, label: u.displayName })))}</select></label>
<button type="submit" id="mint-launch" data-testid="mint-launch">Create launch</button></form>
${result ? `<p>Launch link: <a id="launch-link" data-testid="launch-link" href="${escapeHtml(result.link)}">${escapeHtml(result.link)}</a></p>` : ''}`,
  );
}

export function homePage(fhirBaseUrl: string, profile: string, users: SandboxUser[]): string {
  const rows = users
    .map(
      (u) =>
        `<li><code>${escapeHtml(u.username)}</code> / <code>${escapeHtml(u.password)}</code> (${escapeHtml(u.displayName)})</li>`,
    )
    .join('');
  return page(
    'Sandbox EHR',
    `<h1>ChartDesk Sandbox EHR (${escapeHtml(profile)})</h1>
<p>FHIR base URL: <code data-testid="fhir-base-url">${escapeHtml(fhirBaseUrl)}</code></p>
<p>Users:</p><ul>${rows}</ul>
<p><a href="/ehr/launch">Launch ChartDesk from the EHR</a> · <a href="${escapeHtml(fhirBaseUrl)}/metadata">CapabilityStatement</a></p>`,
  );
}
