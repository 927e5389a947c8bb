-- luajit-args:
-- A numeric for loop. After hotloop (56) back-edges its FORL is hot; the
-- next iteration is recorded, and trace_stop patches FORL -> JFORL 1 and
-- the loop's FORI -> JFORI.
local sum = 0
for i = 1, 1000 do
  sum = sum + i * 2
end
print("sum", sum)
