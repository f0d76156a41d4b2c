import { CHROMIUM_PATH, chromiumInstalled } from '../support/browser';
import { CODE_SERVER_BIN, codeServerInstalled } from '../support/codeServer';

/**
 * The e2e tests fail, not skip, when their tools are missing: a skipped real-VS Code test would let `npm test`
 * pass without ever running the extension. `npm test` installs both through
 * `test/support/install-code-server.sh --with-chromium`.
 */
export function assertE2eToolsInstalled(): void {
  const missing: string[] = [];
  if (!codeServerInstalled()) missing.push(`code-server (${CODE_SERVER_BIN})`);
  if (!chromiumInstalled()) missing.push(`chromium (${CHROMIUM_PATH})`);
  if (missing.length > 0) {
    throw new Error(`e2e tools missing: ${missing.join(', ')}; run: bash test/support/install-code-server.sh --with-chromium`);
  }
}
