-- luajit-args:
-- The loop is compiled while i <= 400, so the trace assumes the first
-- branch. When i passes 400 the guard fails; after hotexit (10) exits a
-- side trace is recorded from that exit and linked back to the loop.
local a, b = 0, 0
for i = 1, 1000 do
  if i <= 400 then a = a + 1 else b = b + 1 end
end
print(a, b)
