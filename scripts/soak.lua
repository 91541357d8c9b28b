-- wrk script for scripts/soak.sh: a mixed workload of residents, signed-in job seekers and
-- their applications, as one stream of requests. Out of every 20 requests:
--   16 (80 %) public pages: `/` 2, `/lowongan` 3, the 16 searches below 5, an open
--             vacancy's page 5, `/pelatihan` 1 (in 16ths of the public share);
--    3 (15 %) a signed-in seeker's page: `/pencaker/lamaran`, `/pencaker/profil`, `/saya`,
--             from a pool of sessions signed in beforehand;
--    1  (5 %) a write: an application (POST /lowongan/{id}/lamar) or a training enrolment
--             (POST /pelatihan/{id}/daftar), each a (seeker, vacancy|programme) pair never
--             sent before, so that every one should succeed with a 303.
-- Every request asks for gzip, as browsers do.
--
-- soak.sh writes the data to the directory in SOAK_DATA (plain text, one item a line: a
-- Lua table constructor of 100 000 pairs is past LuaJIT's constant limit):
--   vacancies.txt  open vacancy ids
--   sessions.txt   "cookie csrf_token" of each signed-in seeker
--   writes.txt     "session kind id": kind a = application, e = enrolment
-- wrk runs each thread in its own Lua state. A thread takes every Nth write (N = threads),
-- so threads never send the same pair; the arguments after `--` are each thread's cursor
-- into its share, from the previous minute's run, so that pairs are not reused across the
-- per-minute wrk runs either. done() prints the cursors back (`soak-cursors`) with the
-- statuses seen (`soak-status`), the 303s' targets (`soak-redirect`) and how many writes fell
-- back to a read because the thread's pairs had run out (`soak-exhausted`).

local dir = os.getenv("SOAK_DATA") or error("SOAK_DATA is not set: run scripts/soak.sh")

local function lines(name)
  local t = {}
  for l in io.lines(dir .. "/" .. name) do t[#t + 1] = l end
  return t
end

-- The sixteen searches of bench-search.lua.
local searches = dofile("scripts/searches.lua")
-- The public share in sixteenths, interleaved rather than in runs.
local public_mix = {
  "home", "list", "search", "vacancy", "search", "vacancy", "list", "search",
  "vacancy", "home", "search", "vacancy", "list", "search", "vacancy", "training",
}
local seeker_pages = { "/pencaker/lamaran", "/pencaker/profil", "/saya" }
-- The note of every application, form-encoded.
local NOTE = "Saya+berminat+dan+siap+bekerja+segera."

local vacancies = lines("vacancies.txt")
local sessions = {}
for _, l in ipairs(lines("sessions.txt")) do
  local cookie, token = l:match("^(%S+) (%S+)$")
  sessions[#sessions + 1] = { cookie = "sibuser=" .. cookie, token = token }
end

wrk.headers["Accept-Encoding"] = "gzip"

-- The main state: setup() numbers the threads, done() reads their counters.
local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

-- A thread's state. Globals, so that done() can read them with thread:get.
cursor = 0        -- writes of this thread's share taken so far, over all runs
exhausted = 0     -- writes that found the share used up and became a signed-in read
statuses = {}     -- status code -> responses
redirects = {}    -- a 303's Location (without its query) -> responses
local mine = {}   -- this thread's share of the write pairs

function init(args)
  local nthreads = #args -- one cursor per thread
  cursor = tonumber(args[tid]) or error("soak.lua: no cursor for thread " .. tostring(tid))
  local i = 0
  for _, l in ipairs(lines("writes.txt")) do
    if i % nthreads == tid - 1 then mine[#mine + 1] = l end
    i = i + 1
  end
end

local n, p, s, q, v = 0, 0, 0, 0, 0

local function signed_in()
  s = s + 1
  local sess = sessions[(s % #sessions) + 1]
  -- Each session in turn, and each page in turn across rounds of the sessions.
  local page = seeker_pages[(math.floor(s / #sessions) % #seeker_pages) + 1]
  return wrk.format("GET", page, { ["Accept-Encoding"] = "gzip", Cookie = sess.cookie })
end

local function write()
  local line = mine[cursor + 1]
  if not line then
    exhausted = exhausted + 1
    return signed_in()
  end
  -- Counted as used when sent: a request cut off at the end of a run may still have
  -- reached the server, and must not be sent again in the next one.
  cursor = cursor + 1
  local si, kind, id = line:match("^(%d+) (%a) (%d+)$")
  local sess = sessions[tonumber(si)]
  local path, body
  if kind == "a" then
    path = "/lowongan/" .. id .. "/lamar"
    body = "csrf_token=" .. sess.token .. "&catatan=" .. NOTE
  else
    -- tunggu=1: a full programme puts the seeker on its waiting list instead of refusing.
    path = "/pelatihan/" .. id .. "/daftar"
    body = "csrf_token=" .. sess.token .. "&tunggu=1"
  end
  return wrk.format("POST", path, {
    ["Accept-Encoding"] = "gzip",
    Cookie = sess.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

local function public()
  p = p + 1
  local kind = public_mix[(p % #public_mix) + 1]
  if kind == "home" then
    return wrk.format("GET", "/")
  elseif kind == "list" then
    return wrk.format("GET", "/lowongan")
  elseif kind == "search" then
    q = q + 1
    return wrk.format("GET", searches[(q % #searches) + 1])
  elseif kind == "vacancy" then
    v = v + 1
    return wrk.format("GET", "/lowongan/" .. vacancies[(v % #vacancies) + 1])
  else
    return wrk.format("GET", "/pelatihan")
  end
end

function request()
  n = n + 1
  local slot = n % 20
  if slot == 0 then
    return write()
  elseif slot == 1 or slot == 8 or slot == 14 then
    return signed_in()
  end
  return public()
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 303 then
    local to = (headers["location"] or headers["Location"] or "?"):gsub("%?.*", "")
    redirects[to] = (redirects[to] or 0) + 1
  end
end

function done(summary, latency, requests)
  local cursors, total_status, total_redirect, total_exhausted = {}, {}, {}, 0
  for i, t in ipairs(threads) do
    cursors[i] = t:get("cursor")
    total_exhausted = total_exhausted + t:get("exhausted")
    for k, c in pairs(t:get("statuses")) do total_status[k] = (total_status[k] or 0) + c end
    for k, c in pairs(t:get("redirects")) do total_redirect[k] = (total_redirect[k] or 0) + c end
  end
  io.write("soak-cursors ", table.concat(cursors, " "), "\n")
  io.write("soak-exhausted ", total_exhausted, "\n")
  for k, c in pairs(total_status) do io.write("soak-status ", k, " ", c, "\n") end
  for k, c in pairs(total_redirect) do io.write("soak-redirect ", k, " ", c, "\n") end
end
