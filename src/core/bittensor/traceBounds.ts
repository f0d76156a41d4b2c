/** Bounds of a traces request, the same on both stores. */
export const TRACE_SERIES_MAX = 64;
export const TRACE_POINTS_DEFAULT = 1_000;
export const TRACE_POINTS_MAX = 5_000;
