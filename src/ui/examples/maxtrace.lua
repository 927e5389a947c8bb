-- luajit-args: -Omaxtrace=4
-- Only trace numbers 1..4 exist. The fifth hot loop finds no free number,
-- so LuaJIT flushes everything ("flush") and numbering starts over at 1.
local t = 0
for i = 1, 100 do t = t + i end
for i = 1, 100 do t = t - i end
for i = 1, 100 do t = t + 2 * i end
for i = 1, 100 do t = t - 2 * i end
for i = 1, 300 do t = t + 3 end
print("t", t)
