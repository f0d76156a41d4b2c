/** Page bounds of the animation frames, the same on both stores. */
export const FRAMES_PAGE_DEFAULT = 64;
export const FRAMES_PAGE_MAX = 256;
