// The shape a translation must have: every key of the English catalog, nested the same way,
// with the plural forms Chinese has (only `_other`: Chinese does not inflect for number).

/** Plural suffixes English has that Chinese does not (Intl.PluralRules('zh-CN') knows only 'other'). */
type OnlyEnglishPlural = `${string}_one`;

export type Translation<T> = {
  [K in keyof T as K extends OnlyEnglishPlural ? never : K]: T[K] extends string ? string : Translation<T[K]>;
};
