// A DOM (jsdom) for @testing-library/react in Node; imported first by the tests that render.

import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
const globals = globalThis as Record<string, unknown>;
for (const name of ["window", "document", "navigator", "HTMLElement", "Node", "MutationObserver", "getComputedStyle"]) {
  if (globals[name] === undefined) {
    const value = (dom.window as unknown as Record<string, unknown>)[name];
    globals[name] = typeof value === "function" && name === "getComputedStyle" ? value.bind(dom.window) : value;
  }
}
globals.IS_REACT_ACT_ENVIRONMENT = true;
