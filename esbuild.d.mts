// Types for what esbuild.mjs exports when imported (tests bundle webview code with the pages' own options).
import type { BuildOptions } from 'esbuild';

export declare const webviewBuild: BuildOptions;
