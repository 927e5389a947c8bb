// LuaJIT's error message templates (ERRDEF in lj_errmsg.h, x64 build with JIT,
// FFI and string buffers) and the printf subset used to fill them in.

/** Message templates by LuaJIT's name (LJ_ERR_<name>); quotes already expanded. */
export const ERRMSG = {
  // Basic error handling.
  ERRMEM: "not enough memory",
  ERRERR: "error in error handling",
  ERRCPP: "C++ exception",

  // Allocations.
  STROV: "string length overflow",
  UDATAOV: "userdata length overflow",
  STKOV: "stack overflow",
  STKOVM: "stack overflow (%s)",
  TABOV: "table overflow",

  // Table indexing.
  NANIDX: "table index is NaN",
  NILIDX: "table index is nil",
  NEXTIDX: "invalid key to 'next'",

  // Metamethod resolving.
  BADCALL: "attempt to call a %s value",
  BADOPRT: "attempt to %s %s '%s' (a %s value)",
  BADOPRV: "attempt to %s a %s value",
  BADCMPT: "attempt to compare %s with %s",
  BADCMPV: "attempt to compare two %s values",
  GETLOOP: "loop in gettable",
  SETLOOP: "loop in settable",
  OPCALL: "call",
  OPINDEX: "index",
  OPARITH: "perform arithmetic on",
  OPCAT: "concatenate",
  OPLEN: "get length of",

  // Type checks.
  BADSELF: "calling '%s' on bad self (%s)",
  BADARG: "bad argument #%d to '%s' (%s)",
  BADTYPE: "%s expected, got %s",
  BADVAL: "invalid value",
  NOVAL: "value expected",
  NOCORO: "coroutine expected",
  NOTABN: "nil or table expected",
  NOLFUNC: "Lua function expected",
  NOFUNCL: "function or level expected",
  NOSFT: "string/function/table expected",
  NOPROXY: "boolean or proxy expected",
  FORINIT: "'for' initial value must be a number",
  FORLIM: "'for' limit must be a number",
  FORSTEP: "'for' step must be a number",

  // C API checks.
  NOENV: "no calling environment",
  CYIELD: "attempt to yield across C-call boundary",
  BADLU: "bad light userdata pointer",
  NOGCMM: "bad action while in __gc metamethod",

  // Standard library function errors.
  ASSERT: "assertion failed!",
  PROTMT: "cannot change a protected metatable",
  UNPACK: "too many results to unpack",
  RDRSTR: "reader function must return a string",
  PRTOSTR: "'tostring' must return a string to 'print'",
  NUMRNG: "number out of range",
  IDXRNG: "index out of range",
  BASERNG: "base out of range",
  LVLRNG: "level out of range",
  INVLVL: "invalid level",
  INVOPT: "invalid option",
  INVOPTM: "invalid option '%s'",
  INVFMT: "invalid format",
  SETFENV: "'setfenv' cannot change environment of given object",
  CORUN: "cannot resume running coroutine",
  CODEAD: "cannot resume dead coroutine",
  COSUSP: "cannot resume non-suspended coroutine",
  PRNGSD: "PRNG seeding failed",
  TABINS: "wrong number of arguments to 'insert'",
  TABCAT: "invalid value (%s) at index %d in table for 'concat'",
  TABSORT: "invalid order function for sorting",
  IOCLFL: "attempt to use a closed file",
  IOSTDCL: "standard file is closed",
  OSUNIQF: "unable to generate a unique filename",
  OSDATEF: "field '%s' missing in date table",
  STRDUMP: "unable to dump given function",
  STRSLC: "string slice too long",
  STRPATB: "missing '[' after '%f' in pattern",
  STRPATC: "invalid pattern capture",
  STRPATE: "malformed pattern (ends with '%')",
  STRPATM: "malformed pattern (missing ']')",
  STRPATU: "unbalanced pattern",
  STRPATX: "pattern too complex",
  STRCAPI: "invalid capture index",
  STRCAPN: "too many captures",
  STRCAPU: "unfinished capture",
  STRFMT: "invalid option '%s' to 'format'",
  STRGSRV: "invalid replacement value (a %s)",
  BADMODN: "name conflict for module '%s'",
  JITPROT: "runtime code generation failed, restricted kernel?",
  NOJIT: "JIT compiler disabled",
  JITOPT: "unknown or malformed optimization flag '%s'",

  // Lexer/parser errors.
  XMODE: "attempt to load chunk with wrong mode",
  XNEAR: "%s near '%s'",
  XLINES: "chunk has too many lines",
  XLEVELS: "chunk has too many syntax levels",
  XNUMBER: "malformed number",
  XLSTR: "unfinished long string",
  XLCOM: "unfinished long comment",
  XSTR: "unfinished string",
  XESC: "invalid escape sequence",
  XLDELIM: "invalid long string delimiter",
  XTOKEN: "'%s' expected",
  XJUMP: "control structure too long",
  XSLOTS: "function or expression too complex",
  XLIMC: "chunk has more than %d local variables",
  XLIMM: "main function has more than %d %s",
  XLIMF: "function at line %d has more than %d %s",
  XMATCH: "'%s' expected (to close '%s' at line %d)",
  XFIXUP: "function too long for return fixup",
  XPARAM: "<name> or '...' expected",
  XAMBIG: "ambiguous syntax (function call x new statement)",
  XFUNARG: "function arguments expected",
  XSYMBOL: "unexpected symbol",
  XDOTS: "cannot use '...' outside a vararg function",
  XSYNTAX: "syntax error",
  XFOR: "'=' or 'in' expected",
  XBREAK: "no loop to break",
  XLUNDEF: "undefined label '%s'",
  XLDUP: "duplicate label '%s'",
  XGSCOPE: "<goto %s> jumps into the scope of local '%s'",

  // Bytecode reader errors.
  BCFMT: "cannot load incompatible bytecode",
  BCBAD: "cannot load malformed bytecode",

  // FFI errors.
  FFI_INVTYPE: "invalid C type",
  FFI_INVSIZE: "size of C type is unknown or too large",
  FFI_BADSCL: "bad storage class",
  FFI_DECLSPEC: "declaration specifier expected",
  FFI_BADTAG: "undeclared or implicit tag '%s'",
  FFI_REDEF: "attempt to redefine '%s'",
  FFI_NUMPARAM: "wrong number of type parameters",
  FFI_INITOV: "too many initializers for '%s'",
  FFI_BADCONV: "cannot convert '%s' to '%s'",
  FFI_BADLEN: "attempt to get length of '%s'",
  FFI_BADCONCAT: "attempt to concatenate '%s' and '%s'",
  FFI_BADARITH: "attempt to perform arithmetic on '%s' and '%s'",
  FFI_BADCOMP: "attempt to compare '%s' with '%s'",
  FFI_BADCALL: "'%s' is not callable",
  FFI_NUMARG: "wrong number of arguments for function call",
  FFI_BADMEMBER: "'%s' has no member named '%s'",
  FFI_BADIDX: "'%s' cannot be indexed",
  FFI_BADIDXW: "'%s' cannot be indexed with '%s'",
  FFI_BADMM: "'%s' has no '%s' metamethod",
  FFI_WRCONST: "attempt to write to constant location",
  FFI_NODECL: "missing declaration for symbol '%s'",
  FFI_BADCBACK: "bad callback",
  FFI_CBACKOV: "too many callbacks",
  FFI_NYIPACKBIT: "NYI: packed bit fields",
  FFI_NYICALL: "NYI: cannot call this C function (yet)",

  // String buffer errors.
  BUFFER_SELF: "cannot put buffer into itself",
  BUFFER_BADOPT: "bad options table",
  BUFFER_BADENC: "cannot serialize '%s'",
  BUFFER_BADDEC: "cannot deserialize tag 0x%02x",
  BUFFER_BADDICTX: "cannot deserialize dictionary index %d",
  BUFFER_DEPTH: "too deep to serialize",
  BUFFER_DUPKEY: "duplicate table key",
  BUFFER_EOB: "unexpected end of buffer",
  BUFFER_LEFTOV: "left-over data in buffer",
} as const;

export type ErrName = keyof typeof ERRMSG;

/**
 * Fill in a template the way lj_strfmt_pushvf does for the conversions the
 * messages use: %s, %d, %c, %x (with optional 0-padded width) and %%.
 * %s stops at a NUL byte because LuaJIT passes C strings.
 */
export function formatMessage(template: string, ...args: (string | number)[]): string {
  let out = "";
  let argi = 0;
  let i = 0;
  while (i < template.length) {
    const pct = template.indexOf("%", i);
    if (pct < 0 || pct + 1 >= template.length) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, pct);
    let j = pct + 1;
    const zeroPad = template[j] === "0";
    let width = 0;
    while (template[j] >= "0" && template[j] <= "9") width = width * 10 + (template.charCodeAt(j++) - 48);
    const conv = template[j];
    let piece: string;
    switch (conv) {
      case "s": {
        const s = String(args[argi++]);
        const nul = s.indexOf("\0");
        piece = nul < 0 ? s : s.slice(0, nul);
        break;
      }
      case "d": piece = String(Number(args[argi++]) | 0); break;
      case "c": piece = String.fromCharCode(Number(args[argi++]) & 255); break;
      case "x": piece = (Number(args[argi++]) >>> 0).toString(16); break;
      case "%": piece = "%"; break;
      default: piece = template.slice(pct, j + 1); break;
    }
    if (piece.length < width) piece = (zeroPad ? "0" : " ").repeat(width - piece.length) + piece;
    out += piece;
    i = j + 1;
  }
  return out;
}
