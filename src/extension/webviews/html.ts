import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

/** Folders a webview may load from: the built front ends only. */
export function mediaRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'media')];
}

export function nonce(): string {
  return crypto.randomBytes(18).toString('base64');
}

/**
 * The strict Content-Security-Policy every webview of ours uses: scripts only
 * with this page's nonce (no inline script without it, no eval), styles only
 * from our media folder, images from there or data: URIs, nothing else.
 */
export function contentSecurityPolicy(cspSource: string, n: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${n}'`,
    `style-src ${cspSource} 'nonce-${n}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/** The HTML shell of a webview: CSP meta, our stylesheet and script (by nonce), an empty root. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: 'panel' | 'chat', title: string): string {
  const n = nonce();
  const media = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, `${entry}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, `${entry}.css`));
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(webview.cspSource, n))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(style.toString())}" nonce="${n}">
<title>${esc(title)}</title>
</head>
<body>
<main id="root"></main>
<script nonce="${n}" src="${esc(script.toString())}"></script>
</body>
</html>`;
}
