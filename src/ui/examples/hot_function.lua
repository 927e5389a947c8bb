-- luajit-args:
-- A function called often from code that is not compiled gets a trace of
-- its own: after 2*hotloop calls its FUNCF header becomes JFUNCF, and the
-- trace ends where the function returns (link "return").
local function area(w, h)
  return w * h
end

local function driver()
  local total = 0
  for i = 1, 300 do total = total + area(i, 2) end
  return total
end

jit.off(driver)
print("total", driver())
