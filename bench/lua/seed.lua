-- Seeds individuals through the real API: POST /tmf-api/party/v4/individual.
--
--   wrk -tT -cC -d<long> -s seed.lua URL -- COUNT THREADS MARKDIR
--
-- Thread i sends exactly its share of the COUNT creations (bodies numbered n = base .. base+share-1,
-- {"givenName":"G<n>","familyName":"F<n mod 1000>",...}). Once its share is sent it only sends a
-- harmless GET of an unknown id (404), so that no creation beyond COUNT is ever issued. When every
-- creation of the thread has been answered it writes MARKDIR/done.<i> and stops; a POST that was
-- not answered 201 is recorded in MARKDIR/failed.<i>. wrk itself keeps sleeping until its -d ends,
-- so the caller watches MARKDIR and interrupts wrk (SIGINT) when every thread is done.
--
-- wrk calls request() once on thread 0's script before the run starts, to check the request it
-- returns (script_verify_request); that request is never sent. Thread 0 therefore answers its
-- first call with the filler, so that no numbered creation is lost.

local next_thread_id = 0
function setup(thread)
  thread:set("tid", next_thread_id)
  next_thread_id = next_thread_id + 1
end

local path = "/tmf-api/party/v4/individual"
local headers = { ["Content-Type"] = "application/json" }
local filler
local base, share, sent, answered, failed, markdir, finished, verify_call

function init(args)
  local count, threads = tonumber(args[1]), tonumber(args[2])
  markdir = args[3]
  local per, rest = math.floor(count / threads), count % threads
  share = per + ((tid < rest) and 1 or 0)
  base = tid * per + math.min(tid, rest)
  sent, answered, failed, finished = 0, 0, 0, false
  verify_call = (tid == 0)
  filler = wrk.format("GET", path .. "/00000000-0000-0000-0000-000000000000", {})
  if share == 0 then mark() end
end

local genders = { "female", "male", "other" }
local nationalities = { "FR", "DE", "IT", "ES", "GB", "NL", "PL", "SE" }

function request()
  if verify_call then verify_call = false; return filler end
  if sent >= share then return filler end
  local n = base + sent
  sent = sent + 1
  local body = string.format(
    '{"givenName":"G%d","familyName":"F%d","gender":"%s","nationality":"%s",' ..
    '"birthDate":"19%02d-%02d-%02dT00:00:00Z","@type":"Individual"}',
    n, n % 1000, genders[n % 3 + 1], nationalities[n % 8 + 1],
    50 + n % 50, 1 + n % 12, 1 + n % 28)
  return wrk.format("POST", path, headers, body)
end

function mark()
  finished = true
  local f = io.open(markdir .. "/done." .. tid, "w")
  if f then f:write(tostring(share)); f:close() end
  if failed > 0 then
    f = io.open(markdir .. "/failed." .. tid, "w")
    if f then f:write(tostring(failed)); f:close() end
  end
  wrk.thread:stop()
end

function response(status, hdrs, body)
  if finished or status == 404 then return end -- 404: the filler GET
  answered = answered + 1
  if status ~= 201 then failed = failed + 1 end
  if answered >= share then mark() end
end
