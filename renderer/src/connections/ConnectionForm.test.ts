import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ConnectionTemplate } from '../../../common/connections';
import type { EndpointReport } from '../../../common/endpoint-report';
import { BridgeError } from '../lib/api';
import { EMPTY_SETTINGS } from '../lib/connection-form';
import { connection } from '../testing/fake-api';
import ConnectionForm from './ConnectionForm.svelte';

const epic: ConnectionTemplate = {
  id: 'epic-sandbox',
  label: 'Epic sandbox',
  needsClientId: true,
  note: 'Epic needs a client ID from open.epic.com.',
  settings: {
    ...EMPTY_SETTINGS,
    name: 'Epic sandbox',
    fhirBaseUrl: 'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4',
    clientId: 'placeholder',
    sendEpicClientIdHeader: true,
  },
};

const report: EndpointReport = {
  fhirBaseUrl: 'https://ehr.example.org/fhir',
  source: 'capability-statement',
  wellKnownProblem: 'HTTP 404',
  authorizationEndpoint: 'https://ehr.example.org/oauth/authorize',
  tokenEndpoint: 'https://ehr.example.org/oauth/token',
  revocationEndpoint: null,
  registrationEndpoint: null,
  introspectionEndpoint: null,
  issuer: null,
  jwksUri: null,
  pkceS256: true,
  capabilities: ['launch-standalone', 'client-public'],
  scopesSupported: [],
  smartVersion: 'v1',
  standaloneSignIn: { verdict: 'yes', reason: 'a test sign-in request went on to the EHR’s sign-in' },
  ehrLaunch: { verdict: 'unknown', reason: 'the EHR lists no capabilities' },
  warnings: ['No .well-known/smart-configuration: endpoints read from the CapabilityStatement.'],
  errors: [],
  reachable: true,
  canSignIn: true,
};

function renderForm(overrides: Record<string, unknown> = {}) {
  const onsave = vi.fn(async () => {});
  const oncheck = vi.fn(async () => report);
  const oncancel = vi.fn();
  render(ConnectionForm, { props: { templates: [epic], onsave, oncheck, oncancel, ...overrides } });
  return { onsave, oncheck, oncancel };
}

async function type(label: string | RegExp, value: string) {
  await fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

describe('ConnectionForm', () => {
  it('shows every problem beside its field, marks it invalid, focuses the first, and sends nothing', async () => {
    const { onsave } = renderForm();
    await type('FHIR base URL', 'not a url');
    await fireEvent.click(screen.getByTestId('save-connection'));

    expect(screen.getByTestId('error-name').textContent).toMatch(/name/);
    expect(screen.getByTestId('error-fhirBaseUrl').textContent).toMatch(/full URL/);
    expect(screen.getByTestId('error-clientId')).toBeTruthy();
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Name').getAttribute('aria-describedby')).toBe('name-error');
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    expect(onsave).not.toHaveBeenCalled();
  });

  it('fills the form from a template, asks for the client ID it needs, and saves normalized settings', async () => {
    const { onsave } = renderForm();
    await fireEvent.change(screen.getByTestId('template-picker'), { target: { value: 'epic-sandbox' } });
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Epic sandbox');
    expect((screen.getByLabelText('Client ID') as HTMLInputElement).value).toBe('');
    expect(screen.getByText(/Enter the client ID your organization registered/)).toBeTruthy();

    await type('Client ID', '  my-epic-client  ');
    await fireEvent.click(screen.getByTestId('save-connection'));
    expect(onsave).toHaveBeenCalledWith({ ...epic.settings, clientId: 'my-epic-client' });
  });

  it('goes back to a truly blank form: no note, scope syntax or Epic-Client-ID box left from the template', async () => {
    renderForm({ templates: [{ ...epic, settings: { ...epic.settings, scopeSyntax: 'v1' } }] });
    const picker = screen.getByTestId('template-picker');
    await fireEvent.change(picker, { target: { value: 'epic-sandbox' } });
    const epicBox = () => (screen.getByRole('checkbox', { name: /Epic-Client-ID/ }) as HTMLInputElement).checked;
    expect(epicBox()).toBe(true);
    await fireEvent.change(picker, { target: { value: '' } });
    expect(epicBox()).toBe(false);
    expect(screen.queryByText(/Epic needs a client ID/)).toBeNull();
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Scope syntax') as HTMLSelectElement).value).toBe(EMPTY_SETTINGS.scopeSyntax);
  });

  it('checks the endpoint only for a usable URL and shows the report', async () => {
    const { oncheck } = renderForm();
    const check = screen.getByTestId('check-endpoint') as HTMLButtonElement;
    expect(check.disabled).toBe(true);
    await type('FHIR base URL', 'https://ehr.example.org/fhir');
    expect(check.disabled).toBe(false);
    await fireEvent.click(check);
    expect(oncheck).toHaveBeenCalledWith('https://ehr.example.org/fhir', null);

    const shown = await screen.findByTestId('endpoint-report');
    expect(shown.dataset['canSignIn']).toBe('true');
    expect(shown.textContent).toContain('ChartDesk can sign in to this EHR.');
    expect(shown.textContent).toContain('CapabilityStatement (oauth-uris)');
    expect(shown.textContent).toContain('https://ehr.example.org/oauth/token');
    expect(shown.textContent).toContain('No .well-known/smart-configuration');
  });

  it("shows main's refusal when saving fails", async () => {
    renderForm({
      editing: connection(),
      onsave: vi.fn(async () => {
        throw new BridgeError('conflict', 'A connection with this name already exists.');
      }),
    });
    expect(screen.getByRole('heading').textContent).toBe('Edit Sandbox');
    await fireEvent.click(screen.getByTestId('save-connection'));
    expect((await screen.findByRole('alert')).textContent).toBe('A connection with this name already exists.');
  });

  it('keeps "register this device" when editing, and saves the box as the clinician leaves it', async () => {
    const { onsave } = renderForm({ editing: connection({ registerDevice: true }) });
    const box = screen.getByLabelText(/Register this device/) as HTMLInputElement;
    expect(box.checked).toBe(true);
    await fireEvent.click(box);
    await fireEvent.click(screen.getByTestId('save-connection'));
    expect(onsave).toHaveBeenCalledWith(expect.objectContaining({ registerDevice: false }));
  });

  it('says when the checked EHR offers no device registration', async () => {
    renderForm();
    await type('FHIR base URL', 'https://ehr.example.org/fhir');
    await fireEvent.click(screen.getByTestId('check-endpoint'));
    expect(await screen.findByText(/advertises no registration endpoint/)).toBeTruthy();
  });

  it('writes nothing by default; saves the kinds of writing turned on, in their fixed order', async () => {
    const { onsave } = renderForm({ editing: connection() });
    const notes = screen.getByLabelText('Notes') as HTMLInputElement;
    const vitals = screen.getByLabelText('Vital signs') as HTMLInputElement;
    expect([notes.checked, vitals.checked]).toEqual([false, false]);
    expect(screen.queryByTestId('write-kinds-sign-out')).toBeNull();
    await fireEvent.click(notes);
    await fireEvent.click(vitals);
    // Changing what a connection may write changes its scopes: the clinician is told it signs out.
    expect(screen.getByTestId('write-kinds-sign-out').textContent).toMatch(/signs it out/);
    await fireEvent.click(screen.getByTestId('save-connection'));
    expect(onsave).toHaveBeenCalledWith(expect.objectContaining({ writeKinds: ['vitals', 'notes'] }));
  });

  it('offers only the kinds of writing IT allows, says why the others are off, and lets a forbidden kind be turned off', async () => {
    const { onsave } = renderForm({
      editing: connection({ writeKinds: ['medication-orders'] }),
      allowedWriteKinds: ['vitals'],
    });
    const notes = screen.getByLabelText('Notes') as HTMLInputElement;
    expect(notes.disabled).toBe(true);
    expect(document.getElementById(notes.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Your IT department does not allow this kind of writing.',
    );
    const orders = screen.getByLabelText(/Medication orders/) as HTMLInputElement;
    expect(orders.disabled).toBe(false);
    await fireEvent.click(orders);
    expect(orders.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('save-connection'));
    expect(onsave).toHaveBeenCalledWith(expect.objectContaining({ writeKinds: [] }));
  });
});
