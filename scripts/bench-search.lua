-- wrk script: the vacancy search page with a keyword and three filters, rotating through
-- realistic searches so that the result is not one query kept hot. Used by scripts/bench.sh.
local queries = dofile("scripts/searches.lua")
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", queries[(n % #queries) + 1])
end
