// Types for what esbuild.mjs exports when imported (tests bundle webview code with the pages' own options).
import type { BuildOptions } from 'esbuild';

export declare const webviewBuild: BuildOptions;
/** vis-network's stylesheet without the rules of widgets our graphs leave off (navigation, toolbar, configurator). */
export declare function usedVisNetworkCss(css: string): string;
