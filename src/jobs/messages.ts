// User-facing text of this area, in every supported locale. Keys start with "jobs.".
export const en = {
} as const;

export const zhCN: Record<keyof typeof en, string> = {
};
