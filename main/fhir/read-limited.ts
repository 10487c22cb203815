import { FhirError } from './fhir-errors';

/** An answer's text, read to its end within a size limit, told apart from a dropped connection or a cancellation. */
export async function readTextLimited(response: Response, what: string, signal: AbortSignal, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new FhirError('too-large', `${what} failed: the answer is larger than ${Math.round(maxBytes / 1048576)} MB.`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof FhirError) throw error;
    if (signal.aborted) throw new FhirError('cancelled', `${what} was cancelled.`);
    throw new FhirError('network', `${what} failed: the connection dropped while the answer arrived.`);
  }
  return Buffer.concat(chunks).toString('utf8');
}
