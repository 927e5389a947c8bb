// JS code that tests whether a value (itself code) is a table, a Lua closure
// or a builtin, for the code generators of prototypes and traces. They test
// the marks on the classes' prototypes (LuaTable.isLuaTable and the like)
// rather than use instanceof, which V8's optimising compiler turns into a
// walk up the prototype chain: a loop at every test, and long generated
// functions have dozens of them. The value is named twice: pass a variable
// or a slot read, nothing with side effects.

export const isTableCode = (v: string): string => `(${v} != null && ${v}.isLuaTable === true)`;
export const isClosureCode = (v: string): string => `(${v} != null && ${v}.isLuaClosure === true)`;
export const isNativeCode = (v: string): string => `(${v} != null && ${v}.isNativeFunction === true)`;
