-- luajit-args:
-- while and repeat loops compile to LOOP; a trace patches it to JLOOP.
local n, steps = 27, 0
while n ~= 1 do
  if n % 2 == 0 then n = n / 2 else n = 3 * n + 1 end
  steps = steps + 1
end
print("collatz steps", steps)

local k = 0
repeat k = k + 3 until k >= 600
print("k", k)
