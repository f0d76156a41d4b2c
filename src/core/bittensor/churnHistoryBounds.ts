/** Point bounds of the churn history, the same on both stores. */
export const CHURN_POINTS_DEFAULT = 500;
export const CHURN_POINTS_MAX = 2_000;
