import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The one HTML shell every Swarmscope webview uses. CSP: nothing by default; scripts only with this page's nonce
 * (from crypto.randomBytes), styles and images only from the extension's own files, no network at all.
 */
export function webviewHtml(options: { webview: vscode.Webview; extensionUri: vscode.Uri; bundle: string; title: string; styles?: readonly string[] }): string {
  const { webview, extensionUri } = options;
  const nonce = randomBytes(16).toString('base64');
  const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    "connect-src 'none'",
  ].join('; ');
  const styles = ['media/webview.css', ...(options.styles ?? [])]
    .map((file) => `<link rel="stylesheet" href="${asset(...file.split('/'))}">`)
    .join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeHtml(options.title)}</title>
  </head>
  <body>
    <div id="root" role="main"></div>
    <script nonce="${nonce}" src="${asset('dist', 'webview', `${options.bundle}.js`)}"></script>
  </body>
</html>`;
}

/** Only for our own fixed strings (titles); untrusted data never goes into HTML at all. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
