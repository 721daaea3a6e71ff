// PDF previews with pdf.js, within the app's CSP: the library is loaded only when a
// PDF is first shown, its worker is a file of our own (emitted into dist/ by Vite and
// found relative to this module), the bytes are handed over directly (nothing is
// fetched), and nothing is evaluated from strings.
import type { PDFDocumentProxy, RenderTask } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

type PdfJs = typeof import("pdfjs-dist");

let library: Promise<PdfJs> | null = null;

function pdfjs(): Promise<PdfJs> {
  library ??= import("pdfjs-dist").then((lib) => {
    lib.GlobalWorkerOptions.workerSrc = workerUrl;
    return lib;
  });
  // A failed load (e.g. the chunk could not be read) may be retried later.
  library.catch(() => (library = null));
  return library;
}

/** An open PDF: its page count, one page at a time into a canvas, then `close`. */
export class PdfView {
  readonly pages: number;
  #doc: PDFDocumentProxy;
  #task: RenderTask | null = null;

  private constructor(doc: PDFDocumentProxy) {
    this.#doc = doc;
    this.pages = doc.numPages;
  }

  static async open(bytes: Uint8Array): Promise<PdfView> {
    const lib = await pdfjs();
    const loading = lib.getDocument({
      data: bytes,
      isEvalSupported: false,
      // No WebAssembly (the CSP has no 'wasm-unsafe-eval') and nothing to fetch:
      // fonts that are not embedded fall back to the system's.
      useWasm: false,
      useWorkerFetch: false,
      enableXfa: false,
      stopAtErrors: false,
    });
    return new PdfView(await loading.promise);
  }

  /**
   * Draws page `number` (1-based) `width` CSS pixels wide, sharp on the screen's pixel
   * ratio. A render still under way is cancelled first.
   */
  async render(number: number, canvas: HTMLCanvasElement, width: number): Promise<void> {
    this.#task?.cancel();
    this.#task = null;
    const page = await this.#doc.getPage(number);
    const natural = page.getViewport({ scale: 1 });
    const ratio = window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
    const scale = Math.max(width, 1) / natural.width;
    const viewport = page.getViewport({ scale: scale * ratio });
    canvas.width = Math.max(1, Math.floor(viewport.width));
    canvas.height = Math.max(1, Math.floor(viewport.height));
    // CSS keeps the height in proportion (height: auto), also when the width shrinks.
    canvas.style.width = `${Math.floor(natural.width * scale)}px`;
    const task = page.render({ canvas, viewport });
    this.#task = task;
    try {
      await task.promise;
    } finally {
      if (this.#task === task) this.#task = null;
    }
  }

  close(): void {
    this.#task?.cancel();
    this.#task = null;
    void this.#doc.destroy();
  }
}

/** Whether a render ended because another one replaced it (not an error to show). */
export function wasCancelled(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "name" in error &&
    (error as { name: unknown }).name === "RenderingCancelledException"
  );
}
