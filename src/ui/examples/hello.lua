-- luajit-args:
-- Any Lua 5.1 program runs with LuaJIT's output (no JIT events needed).
local function greet(name)
  return ("hello, %s!"):format(name)
end
for _, who in ipairs({ "world", "LuaJIT" }) do
  print(greet(who))
end
print(("%.14g"):format(0.1 + 0.2), 2^53, #"bytes")
