-- luajit-args:
-- Generic for loops. ipairs: ITERC + ITERL, the trace patches ITERL -> JITERL.
-- pairs: ISNEXT + ITERN, the trace starts at ITERN and patches *it* to JLOOP.
local t = {}
for i = 1, 300 do t[i] = i * i end

local s = 0
for _, v in ipairs(t) do s = s + v end
print("ipairs", s)

local c = 0
for k in pairs(t) do c = c + k end
print("pairs", c)
