// V8 compiles a load of a field that no object of its shape has ever had
// rewritten as a constant of that shape, and makes the compiled code depend
// on it: the first rewrite anywhere then throws all that code away (a
// "code dependencies" deoptimisation) and V8 compiles it again. A field that
// is first rewritten late in a run (a blacklisting, the first heap walk) so
// costs a second compile of the hottest functions, trace code included.

/** Rewrite obj[key] and put its value back: from now on V8 treats the field of obj's shape as mutable. */
export function markMutable<T extends object, K extends keyof T>(obj: T, key: K, other: T[K]): void {
  const value = obj[key];
  obj[key] = other;
  obj[key] = value;
}
