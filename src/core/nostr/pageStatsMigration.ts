/** `kind` of the user rollups that count distinct users over every kind together. */
export const ANY_KIND = 0;
