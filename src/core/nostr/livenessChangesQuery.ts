/** More than this and the views re-read their lists whole anyway (treeRefresher.ts). */
export const MAX_CHANGED = 1_000;
