-- capture.lua: record what LuaJIT's trace compiler does while a program runs,
-- as JSON lines that ljscope imports (the event-log format of ljscope's
-- oracle). One line per trace vmevent (start, stop, abort, flush), then "end".
--
-- Usage (next to your program; the -O options are the ones your program needs):
--   luajit -Ohotloop=1 capture.lua PROGRAM.lua LOG.jsonl [ARGS...] 2>>LOG.jsonl
-- The "2>>LOG.jsonl" appends stderr: if LuaJIT dies from a failed assertion
-- (a build with LUA_USE_ASSERT), its message ends the log and ljscope shows it.
-- Name the log NAME.fixed.jsonl, NAME.prefix-assert.jsonl or
-- NAME.prefix-release.jsonl to tell ljscope which LuaJIT build made it.
--
-- Each line: seq, event, then for start/stop/abort tr, func, pc, loc, kind
-- (root/side/stitch), parent, exit; stop adds linktype, link, stopfunc; abort
-- adds reason, abort_func, abort_pc, abort_loc; end has status (and error).
-- Every line but a crash also has `bc` (the patchable instructions of every
-- prototype: loop and function headers, ITERC/ITERN/ISNEXT, and whatever was
-- once one of them, with the trace number of J-ops) and `traces` (every
-- allocated trace number as [tr, linktype, link]).
--
-- Known limits: prototypes are keyed "file:line" (with "#2" for a second one
-- on the same line, told apart by their size); "NYI" abort reasons need
-- jit/vmdef.lua on LUA_PATH (else "trace error N"). The script's own code is
-- kept out of the JIT (jit.off) and warmed up before the program starts, so
-- that its loops no longer touch LuaJIT's shared hot counters; GC timing can
-- still differ slightly from a run without it.

local jit = require("jit")
local util = require("jit.util")
local bit = require("bit")
local funcinfo, funcbc, funck, traceinfo = util.funcinfo, util.funcbc, util.funck, util.traceinfo
local band, rshift = bit.band, bit.rshift
local format, concat, byte, sub = string.format, table.concat, string.byte, string.sub

-- This script and everything it defines never get traces of their own.
jit.off(true, true)

local okdef, vmdef = pcall(require, "jit.vmdef")
if not okdef then vmdef = nil end

-- LuaJIT 2.1's 97 opcode names, 6 characters each (lj_bc.h BCDEF), in case
-- jit/vmdef.lua is not installed.
local BCNAMES = vmdef and vmdef.bcnames or
  "ISLT  ISGE  ISLE  ISGT  ISEQV ISNEV ISEQS ISNES ISEQN ISNEN ISEQP ISNEP ISTC  ISFC  IST   ISF   " ..
  "ISTYPEISNUM MOV   NOT   UNM   LEN   ADDVN SUBVN MULVN DIVVN MODVN ADDNV SUBNV MULNV DIVNV MODNV " ..
  "ADDVV SUBVV MULVV DIVVV MODVV POW   CAT   KSTR  KCDATAKSHORTKNUM  KPRI  KNIL  UGET  USETV USETS " ..
  "USETN USETP UCLO  FNEW  TNEW  TDUP  GGET  GSET  TGETV TGETS TGETB TGETR TSETV TSETS TSETB TSETM " ..
  "TSETR CALLM CALL  CALLMTCALLT ITERC ITERN VARG  ISNEXTRETM  RET   RET0  RET1  FORI  JFORI FORL  " ..
  "IFORL JFORL ITERL IITERLJITERLLOOP  ILOOP JLOOP JMP   FUNCF IFUNCFJFUNCFFUNCV IFUNCVJFUNCVFUNCC " ..
  "FUNCCW"

local function opname(op)
  return (sub(BCNAMES, op * 6 + 1, op * 6 + 6):gsub(" +$", ""))
end

-- Instructions whose slots the log follows, and those whose D is a trace number.
local WATCHED, TRACE_D = {}, {}
for name in ("FORI JFORI FORL IFORL JFORL ITERL IITERL JITERL LOOP ILOOP JLOOP " ..
             "FUNCF IFUNCF JFUNCF FUNCV IFUNCV JFUNCV ITERC ITERN ISNEXT"):gmatch("%S+") do
  WATCHED[name] = true
end
for name in ("JFORL JITERL JLOOP JFUNCF JFUNCV"):gmatch("%S+") do TRACE_D[name] = true end

-- JSON ---------------------------------------------------------------------

local ESC = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function jstr(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return ESC[c] or format("\\u%04x", byte(c)) end) .. '"'
end

-- Prototypes ------------------------------------------------------------------

local protos = {}      -- in key order: { fn = proto, key = "file:line", seen = { [pc] = true } }
local byShape = {}     -- shape string -> entry, to name the functions events report

local function shape(fi)
  return concat({ fi.source or "", fi.linedefined or 0, fi.lastlinedefined or 0, fi.bytecodes or 0,
    fi.params or 0, fi.gcconsts or 0, fi.nconsts or 0, fi.upvalues or 0 }, ":")
end

local function collect(fn, list)
  list[#list + 1] = fn
  if funcinfo(fn).children then
    for i = -1, -1000000, -1 do
      local k = funck(fn, i)
      if k == nil then break end
      if type(k) == "proto" then collect(k, list) end
    end
  end
end

local count = {}       -- key -> how many prototypes have it so far

local function registerProtos(main)
  local list = {}
  collect(main, list)
  local order = {}
  for i, fn in ipairs(list) do order[i] = { fn = fn, i = i, fi = funcinfo(fn) } end
  table.sort(order, function(a, b)
    if a.fi.linedefined ~= b.fi.linedefined then return a.fi.linedefined < b.fi.linedefined end
    return a.i < b.i
  end)
  for _, o in ipairs(order) do
    local loc = o.fi.loc
    count[loc] = (count[loc] or 0) + 1
    local key = count[loc] == 1 and loc or (loc .. "#" .. count[loc])
    local entry = { fn = o.fn, key = key, jkey = jstr(key), seen = {}, size = o.fi.bytecodes }
    protos[#protos + 1] = entry
    byShape[shape(o.fi)] = byShape[shape(o.fi)] or entry
  end
end

-- A Lua function met in an event that is not the program's (a library
-- function written in Lua): keyed by its source ("[string]" unless the name
-- starts with "@" or "="), placed among the others by its first line.
local function registerLate(func, fi)
  local src = fi.source or "?"
  local c = sub(src, 1, 1)
  local loc = ((c == "@" or c == "=") and sub(src, 2) or "[string]") .. ":" .. fi.linedefined
  count[loc] = (count[loc] or 0) + 1
  local key = count[loc] == 1 and loc or (loc .. "#" .. count[loc])
  local entry = { fn = func, key = key, jkey = jstr(key), seen = {}, size = fi.bytecodes }
  local i = #protos
  while i >= 1 and funcinfo(protos[i].fn).linedefined > fi.linedefined do
    protos[i + 1] = protos[i]
    i = i - 1
  end
  protos[i + 1] = entry
  byShape[shape(fi)] = entry
  return entry
end

-- "file:line" of a Lua function, or a builtin's name ("print", "jit.flush").
local function funcname(func)
  if func == nil then return "?" end
  local fi = funcinfo(func)
  if fi.loc then
    local e = byShape[shape(fi)] or registerLate(func, fi)
    return e.key
  end
  if fi.ffid and vmdef then return vmdef.ffnames[fi.ffid] end
  if fi.addr then return format("C:%x", fi.addr) end
  return "?"
end

local function locof(func, pc)
  local fi = funcinfo(func, pc)
  return fi.loc or funcname(func)
end

-- The state every line carries ------------------------------------------------
-- Written piece by piece with file:write (numbers included), so that the
-- handler allocates next to nothing: its garbage would make GC cycles, which
-- free flushed traces, come earlier than in a run without capture.

local out        -- the log file
local maxTrace = 0
local OPNAMES = {}
for op = 0, #BCNAMES / 6 - 1 do OPNAMES[op] = opname(op) end

local function writeBc()
  out:write('"bc":{')
  for i = 1, #protos do
    local p = protos[i]
    if i > 1 then out:write(",") end
    out:write(p.jkey, ":[")
    local first = true
    for pc = 0, p.size - 1 do
      local ins = funcbc(p.fn, pc)
      if not ins then break end
      local name = OPNAMES[band(ins, 0xff)]
      if WATCHED[name] then p.seen[pc] = true end
      if p.seen[pc] then
        out:write(first and '[' or ',[', pc, ',"', name, '"')
        if TRACE_D[name] then out:write(",", rshift(ins, 16)) end
        out:write("]")
        first = false
      end
    end
    out:write("]")
  end
  out:write("}")
end

local function writeTraces()
  out:write('"traces":[')
  local first = true
  for tr = 1, maxTrace do
    local info = traceinfo(tr)
    if info then
      out:write(first and "[" or ",[", tr, ',"', info.linktype or "none", '",', info.link or 0, "]")
      first = false
    end
  end
  out:write("]")
end

-- Abort reasons as jit/v.lua prints them ("NYI: bytecode FNEW  " keeps its padding).
local function reasonText(err, info)
  if type(err) ~= "number" then return tostring(err) end
  local fmt = vmdef and vmdef.traceerr[err]
  if not fmt then return "trace error " .. err end
  if type(info) == "function" then info = locof(info) end
  if fmt:find("bytecode %%[sd]") and type(info) == "number" then
    fmt = fmt:gsub("%%d", "%%s")
    info = sub(BCNAMES, info * 6 + 1, info * 6 + 6)
  end
  return format(fmt, info)
end

-- Writing ------------------------------------------------------------------------

local seq = 0
local starts = {}  -- tr -> { func, pc, loc, kind, parent, exit } of its start

local function emit(fields)
  seq = seq + 1
  out:write('{"seq":', seq)
  for i = 1, #fields do
    local k, v = fields[i][1], fields[i][2]
    if v ~= nil then
      out:write(',"', k, '":')
      if type(v) == "string" then out:write(jstr(v)) else out:write(v) end
    end
  end
  out:write(",")
  writeBc()
  out:write(",")
  writeTraces()
  out:write("}\n")
  out:flush()
end

local function originFields(event, o)
  return { { "event", event }, { "tr", o.tr }, { "func", o.func }, { "pc", o.pc }, { "loc", o.loc },
           { "kind", o.kind }, { "parent", o.parent }, { "exit", o.exit } }
end

local function handler(what, tr, func, pc, otr, oex)
  if what == "start" then
    if tr > maxTrace then maxTrace = tr end
    local o = { tr = tr, func = funcname(func), pc = pc, loc = locof(func, pc), kind = "root" }
    if otr then
      o.parent = otr
      if oex == -1 then o.kind = "stitch" else o.kind = "side"; o.exit = oex end
    end
    starts[tr] = o
    emit(originFields("start", o))
  elseif what == "stop" then
    local o = starts[tr] or { tr = tr, func = "?", pc = 0, loc = "?", kind = "root" }
    local info = traceinfo(tr) or {}
    local f = originFields("stop", o)
    f[#f + 1] = { "linktype", info.linktype or "none" }
    f[#f + 1] = { "link", info.link or 0 }
    f[#f + 1] = { "stopfunc", funcname(func) }
    emit(f)
  elseif what == "abort" then
    local o = starts[tr] or { tr = tr, func = "?", pc = 0, loc = "?", kind = "root" }
    local f = originFields("abort", o)
    f[#f + 1] = { "reason", reasonText(otr, oex) }
    f[#f + 1] = { "abort_func", funcname(func) }
    f[#f + 1] = { "abort_pc", pc }
    f[#f + 1] = { "abort_loc", func and locof(func, pc) or "?" }
    emit(f)
  elseif what == "flush" then
    emit({ { "event", "flush" } })
  end
end

-- Main ----------------------------------------------------------------------------

local progname, logname = ...
if not progname or not logname then
  io.stderr:write("usage: luajit [-O...] capture.lua PROGRAM.lua LOG.jsonl [ARGS...]\n")
  os.exit(2)
end

local chunk, err = loadfile(progname)
if not chunk then
  io.stderr:write("capture.lua: ", err, "\n")
  os.exit(1)
end
out = assert(io.open(logname, "w"))
registerProtos(chunk)

-- Warm up: run the capture code until its own loops and functions are hot,
-- which turns them into IFORL/ILOOP/IFUNCF (JIT disabled) so that they stop
-- counting; then turning the JIT off and on resets LuaJIT's hot counters
-- (lj_dispatch_update does so on the off->on transition) for the program.
do
  local saved = out
  out = { write = function() end, flush = function() end }
  for _ = 1, 300 do
    seq = 0
    handler("flush")
    jstr("warm\tup")
    locof(chunk, 0)
    funcname(print)
  end
  seq = 0
  out = saved
  for _, p in ipairs(protos) do p.seen = {} end
  jit.off()
  jit.on()
end

local args = { select(3, ...) }
arg = { [0] = progname }
for i, a in ipairs(args) do arg[i] = a end

-- os.exit would skip the end line: write it first.
local realExit = os.exit
os.exit = function(code, ...)
  jit.attach(handler)
  local ok = code == nil or code == true or code == 0
  emit({ { "event", "end" }, { "status", ok and "ok" or "error" }, { "error", (not ok) and ("exit " .. tostring(code)) or nil } })
  out:close()
  return realExit(code, ...)
end

jit.attach(handler, "trace")
local ok, perr = pcall(chunk, unpack(args))
jit.attach(handler)
os.exit = realExit
if ok then
  emit({ { "event", "end" }, { "status", "ok" } })
else
  emit({ { "event", "end" }, { "status", "error" }, { "error", tostring(perr) } })
end
out:close()
if not ok then
  io.stderr:write("luajit: ", tostring(perr), "\n")
  os.exit(1)
end
