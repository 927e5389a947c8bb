-- luajit-args:
-- LuaJIT issue #1345 with default options. The caller is not compiled
-- (jit.off), so each call of work() enters its loop from the interpreter.
-- Round 1 compiles the loop as trace 1; jit.flush(1) in round 2 flushes it
-- (number 1 stays allocated) and the loop is compiled again as trace 2;
-- jit.flush(1) in round 3 flushes the stale trace 1 a second time, whose
-- start slot now holds trace 2's JFORL.
local function work(n)
  local acc = 0
  for i = 1, n do acc = acc + i % 7 end
  return acc
end

local function rounds()
  for r = 1, 4 do
    jit.flush(1)
    print("round", r, work(300))
  end
end

jit.off(rounds)
rounds()
