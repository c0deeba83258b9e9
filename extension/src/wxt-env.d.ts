// `wxt prepare` would generate this into .wxt/; declaring it here lets `tsc -p extension` run on a
// clean checkout without a generation step. Paths are checked at run time by the browser instead.
import 'wxt/browser';

declare module 'wxt/browser' {
  interface WxtRuntime {
    getURL(path: string): string;
  }
}
