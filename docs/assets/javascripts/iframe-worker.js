/* nnspec: site search for a site opened from disk (file://).
 *
 * Browsers refuse to start a Web Worker from a file:// page, and Material's search runs in one.
 * On file:// only, this replaces Worker with a stand-in that runs the worker's script in a hidden
 * iframe: the page's postMessage reaches the script as a "message" event, and the script's
 * postMessage comes back to the page as one. Material's offline plugin (mkdocs.yml) inlines the
 * search index into search/search_index.js for the same reason.
 *
 * mkdocs.yml lists this file under extra.polyfills (loaded in <head>, before Material's bundle).
 * Its name contains "iframe-worker" so that the offline plugin, which looks for that name, does
 * not add a copy of its own from a CDN: the site fetches nothing from outside itself.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this.pending = [];
      this.scope = null;
      this.frame = document.createElement("iframe");
      this.frame.hidden = true;
      this.frame.title = "search";
      (document.body || document.documentElement).appendChild(this.frame);

      const scope = this.frame.contentWindow;
      // the worker's global scope: what it posts comes back to the page, as from a real worker
      scope.postMessage = (data) => this.emit("message", new MessageEvent("message", { data: structuredClone(data) }));
      // The search loads lunr's language support with importScripts (the Korean edition: lunr.ko,
      // lunr.multi). A worker's importScripts is synchronous; Material's worker awaits what it
      // returns, so here it loads the scripts into the frame one after the other and returns the
      // promise of the last. URLs are relative to the worker's script, as in a worker.
      const base = new URL(url, location.href).href;
      scope.importScripts = (...urls) => urls.reduce((loaded, u) => loaded.then(() => new Promise((resolve, reject) => {
        const s = scope.document.createElement("script");
        s.src = new URL(u, base).href;
        s.onload = () => resolve();
        s.onerror = () => reject(new Error(`importScripts: cannot load ${s.src}`));
        scope.document.documentElement.appendChild(s);
      })), Promise.resolve());
      const script = scope.document.createElement("script");
      script.src = base;
      script.onload = () => {
        this.scope = scope;
        for (const data of this.pending.splice(0)) this.postMessage(data);
      };
      script.onerror = () => this.emit("error", new ErrorEvent("error", { message: `cannot load ${script.src}` }));
      scope.document.documentElement.appendChild(script);
    }

    emit(type, event) {
      this.dispatchEvent(event);
      const handler = type === "message" ? this.onmessage : this.onerror;
      if (typeof handler === "function") handler.call(this, event);
    }

    postMessage(data) {
      if (!this.scope) this.pending.push(data);
      else this.scope.dispatchEvent(new MessageEvent("message", { data: structuredClone(data) }));
    }

    terminate() {
      this.frame.remove();
      this.scope = null;
    }
  }

  window.Worker = FrameWorker;
})();
