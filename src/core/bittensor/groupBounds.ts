export { GROUPS_PAGE_MAX } from './groupRows';

/** Bounds of the grouping requests, the same on both stores. */
export const GROUP_SERIES_MAX = 50;
export const GROUP_POINTS_DEFAULT = 500;
export const GROUP_POINTS_MAX = 2_000;
