import * as vscode from 'vscode';
import { SETTING_KEYS, STORAGE_URL_KEY, validateStorageUrl, type RawSettings, type Settings } from './core/config/settings';

/**
 * Reads `swarmscope.*` into the engine's raw settings. Validation happens in the engine (shared with the CLI);
 * the host only reports what it returns.
 */
export function readRawSettings(): RawSettings {
  const config = vscode.workspace.getConfiguration();
  const raw: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(SETTING_KEYS) as [keyof Settings, string][]) raw[field] = config.get(key);
  return raw as RawSettings;
}

export function affectsSwarmscope(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('swarmscope');
}

/** `swarmscope.storage.url`, checked: the team store to open instead of the embedded file, or a setting error. */
export function readStorageUrl(): ReturnType<typeof validateStorageUrl> {
  return validateStorageUrl(vscode.workspace.getConfiguration().get(STORAGE_URL_KEY));
}

/** A new store means a new engine: the URL is given at start, not through engine.configure. */
export function affectsStorageUrl(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(STORAGE_URL_KEY);
}
