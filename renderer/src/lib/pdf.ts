import type { PDFDocumentProxy } from 'pdfjs-dist';

/**
 * PDFs drawn by pdf.js inside the sandboxed renderer, no plug-in: loaded on first use (its code is a chunk of
 * its own), its worker built from the app's bundle, fonts drawn as outlines rather than loaded as web fonts, its
 * helper files (standard fonts, CMaps, image decoders) from the app's own origin, no scripting and no
 * WebAssembly. The page text is kept beside each page so screen readers can read it.
 */

/** Pages drawn at most: a longer document says so and is read in the EHR. */
export const MAX_PDF_PAGES = 100;

export interface PdfPage {
  canvas: HTMLCanvasElement;
  text: string;
}

let pdfjs: Promise<typeof import('pdfjs-dist')> | null = null;

/** pdf.js and its worker, once. */
function library(): Promise<typeof import('pdfjs-dist')> {
  pdfjs ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?worker')]).then(
    ([module, { default: PdfWorker }]) => {
      module.GlobalWorkerOptions.workerPort = new PdfWorker();
      return module;
    },
  );
  return pdfjs;
}

const assets = (folder: string) => new URL(`pdfjs/${folder}/`, document.baseURI).href;

function bytesOf(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export interface OpenedPdf {
  pageCount: number;
  /** Draws page `number` (1-based) `width` CSS pixels wide. */
  page(number: number, width: number): Promise<PdfPage>;
  close(): Promise<void>;
}

export async function openPdf(base64: string): Promise<OpenedPdf> {
  const { getDocument } = await library();
  const task = getDocument({
    data: bytesOf(base64),
    disableFontFace: true,
    useSystemFonts: false,
    useWasm: false,
    enableXfa: false,
    standardFontDataUrl: assets('standard_fonts'),
    cMapUrl: assets('cmaps'),
    wasmUrl: assets('wasm'),
  });
  const document: PDFDocumentProxy = await task.promise;
  return {
    pageCount: document.numPages,
    async page(number, width) {
      const page = await document.getPage(number);
      const natural = page.getViewport({ scale: 1 });
      const scale = width / natural.width;
      const viewport = page.getViewport({ scale: scale * (window.devicePixelRatio || 1) });
      const canvas = window.document.createElement('canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${Math.floor(natural.width * scale)}px`;
      await page.render({ canvas, viewport }).promise;
      const content = await page.getTextContent();
      const text = content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : ''))
        .join('')
        .trim();
      page.cleanup();
      return { canvas, text };
    },
    // Frees the document in the worker; the worker itself stays for the next PDF.
    close: () => task.destroy(),
  };
}
