-- luajit-args:
-- Creating a closure (FNEW) cannot be compiled: every attempt aborts with
-- "NYI: bytecode FNEW". Each abort penalises the FORL; the 11th blacklists
-- it (FORL -> IFORL) and LuaJIT stops trying.
local fns = {}
for i = 1, 5000 do
  fns[i % 10 + 1] = function() return i end
end
print("last", fns[1]())
