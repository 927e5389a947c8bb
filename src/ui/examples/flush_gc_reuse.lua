-- luajit-args:
-- jit.flush(1) flushes one root trace: its bytecode is unpatched, but the
-- number stays taken until a GC cycle frees the trace. The loop is compiled
-- again under number 2; after collectgarbage() number 1 is free again.
local function count(n)
  local c = 0
  for _ = 1, n do c = c + 1 end
  return c
end

count(200)
jit.flush(1)
count(200)
collectgarbage()
local z = 0
while z < 500 do z = z + 1 end
print("done", z)
