-- luajit-args:
-- jit.flush() with no argument throws every trace away (the "flush" event):
-- all patched bytecode is restored and numbering starts again at 1.
local function spin(n)
  local x = 0
  for i = 1, n do x = x + i end
  return x
end

print(spin(500), spin(500))
jit.flush()
print(spin(500))
