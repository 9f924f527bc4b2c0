/**
 * `value` as it is, refused where its type is `any`: a template checker that found no type for an
 * event would give it `any`, and any use of it would pass.
 */
export const known = <T>(value: 0 extends 1 & T ? never : T): T => value
