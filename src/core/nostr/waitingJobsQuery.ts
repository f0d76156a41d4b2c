/** Requests addressed to a DVM this recently and unanswered are waiting on it; older ones were left unanswered. */
export const WAITING_WINDOW_SEC = 86_400;
