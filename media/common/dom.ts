// Tiny DOM helpers. Text goes in through `textContent` only: no helper here ever
// parses a string as HTML, so chain data cannot become markup.

type Attrs = Record<string, string | number | boolean | undefined | null>;
type Child = Node | string | null | undefined | false;

/** Creates an element; string children become text nodes; `class`, `aria-*`, `role` etc. are attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (/^on/i.test(k) || k === 'style' || k === 'href' || k === 'src') throw new Error(`h(): refusing attribute ${k}`);
    el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** A button with a text label (and an optional accessible name when the label is terse). */
export function button(label: string, onClick: (e: MouseEvent) => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** Typed wrapper over the webview API; `acquireVsCodeApi` may be called once per page. */
export function hostApi<ToHost, State = unknown>(): { post(msg: ToHost): void; getState(): State | undefined; setState(s: State): void } {
  const api = acquireVsCodeApi<State>();
  return { post: (m) => api.postMessage(m), getState: () => api.getState(), setState: (s) => { api.setState(s); } };
}
