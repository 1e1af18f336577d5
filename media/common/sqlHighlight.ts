// SQL syntax highlighting with highlight.js (core + the SQL language only). The
// SQL may quote chain data, so highlight.js's HTML string is not used: its token
// tree is walked and rebuilt as <span class="hljs-…"> elements holding text nodes.
import hljs from 'highlight.js/lib/core';
import sql from 'highlight.js/lib/languages/sql';
import { h } from './dom.js';

hljs.registerLanguage('sql', sql);

interface TokenNode {
  scope?: string;
  kind?: string;
  children: Array<TokenNode | string>;
}

function build(parent: Node, node: TokenNode): void {
  for (const child of node.children) {
    if (typeof child === 'string') {
      parent.appendChild(document.createTextNode(child));
      continue;
    }
    const scope = child.scope ?? child.kind ?? '';
    // Scopes are highlight.js's own names ("keyword", "title.function"); keep only safe class characters.
    const cls = scope ? scope.split('.').map((s, i) => (i === 0 ? `hljs-${s}` : `${s}_`)).join(' ').replace(/[^\w\- ]/g, '') : '';
    const span = h('span', cls ? { class: cls } : {});
    build(span, child);
    parent.appendChild(span);
  }
}

/** Fills `code` with highlighted SQL; falls back to plain text if highlight.js changes shape. */
export function highlightSql(code: HTMLElement, text: string): void {
  code.textContent = '';
  try {
    const result = hljs.highlight(text, { language: 'sql', ignoreIllegals: true });
    const root = (result._emitter as unknown as { rootNode?: TokenNode }).rootNode;
    if (!root || !Array.isArray(root.children)) throw new Error('unexpected highlight.js tree');
    build(code, root);
    if (code.textContent !== text) throw new Error('highlight.js lost text');
  } catch {
    code.textContent = text;
  }
  code.classList.add('hljs', 'language-sql');
}
