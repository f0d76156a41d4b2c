import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { SUBJECT_META_NAME } from '../protocol/webviewPanelProtocol';

/**
 * The one HTML shell every Swarmscope webview uses. CSP: nothing by default; scripts only with this page's nonce
 * (from crypto.randomBytes, new for every page), styles, images and fonts only from the extension's own files (no
 * inline style: vis-network's CSS is linked as a file), no network at all. The panel's subject (a netuid, a job id)
 * rides in a meta tag as escaped JSON, so the page can persist it for the serializer before any message arrives.
 */
export function webviewHtml(options: {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  bundle: string;
  title: string;
  subject: unknown;
  styles?: readonly string[];
}): string {
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
    <meta name="${SUBJECT_META_NAME}" content="${escapeHtml(JSON.stringify(options.subject ?? null))}">
    ${styles}
    <title>${escapeHtml(options.title)}</title>
  </head>
  <body>
    <div id="root" role="main"></div>
    <script nonce="${nonce}" src="${asset('dist', 'webview', `${options.bundle}.js`)}"></script>
  </body>
</html>`;
}

/** Only for our own values (titles, subjects); untrusted data never goes into HTML at all. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Options for a new panel, and again for a restored one: a panel revived after an update must be given its
 * `localResourceRoots` anew, or it may point at the old extension folder and come up blank.
 */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
