-- wrk script for bench/soak/soak.sh: one request kind per wrk process, paced to a steady rate.
--
--   SOAK_KIND=list SOAK_DELAY_MS=40 SOAK_IDS=ids.txt SOAK_WINDOW_OUT=windows.jsonl \
--     wrk -t1 -cC -dNs --timeout 2s -s mix.lua URL
--
-- SOAK_KIND        list | search | similar | audio
-- SOAK_DELAY_MS    pause before each request on a connection: rate = C * 1000 / SOAK_DELAY_MS
--                  (Debian's wrk 4.1 has no -R option; delay() is how it paces)
-- SOAK_IDS         lines "id size_bytes" of analysed samples
-- SOAK_WINDOW_OUT  done() appends one JSON line: the window's counts and latency percentiles (µs)
-- SOAK_TOKEN       optional API token, sent as "Authorization: Bearer …" (servers with auth on)
-- (Settings come from the environment because done() runs in wrk's main Lua state, which never
-- sees the per-thread init() arguments.)

local kind = os.getenv("SOAK_KIND") or "list"
local delay_ms = tonumber(os.getenv("SOAK_DELAY_MS") or "10")
local ids, sizes = {}, {}
local token = os.getenv("SOAK_TOKEN") or ""
local words = { "kick", "snare", "hat", "loop", "pad", "bass", "drums", "soak", "tone", "perc", "-loop", "kick snare" }
local sorts = { "-created", "name", "bpm", "-bpm", "key", "duration", "-loudness" }
local types = { "", "one-shot", "loop" }

-- setup runs once per thread in the main Lua state; hand the thread a seed.
local thread_n = 0
function setup(thread)
	thread_n = thread_n + 1
	thread:set("seed", thread_n)
end

function init(args)
	local file = os.getenv("SOAK_IDS") or error("SOAK_IDS is not set")
	for line in io.lines(file) do
		local id, size = line:match("^(%d+)%s+(%d+)")
		if id then
			ids[#ids + 1] = id
			sizes[#sizes + 1] = tonumber(size)
		end
	end
	if #ids == 0 then error("no sample ids in " .. file) end
	math.randomseed(os.time() * 1000 + (seed or 0))
end

function delay()
	return delay_ms
end

local function pick(t) return t[math.random(#t)] end

local function get(path, headers)
	headers = headers or {}
	if token ~= "" then headers["Authorization"] = "Bearer " .. token end
	return wrk.format("GET", path, headers)
end

local function urlencode(s)
	return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
	if kind == "list" then
		local q = "/api/v1/samples?limit=50&page=" .. math.random(1, 4) .. "&sort=" .. pick(sorts)
		local t = pick(types)
		if t ~= "" then q = q .. "&type=" .. t end
		if math.random() < 0.3 then
			local lo = math.random(60, 140)
			q = q .. "&bpm_min=" .. lo .. "&bpm_max=" .. (lo + 20)
		end
		return get(q)
	elseif kind == "search" then
		return get("/api/v1/search?limit=50&q=" .. urlencode(pick(words)))
	elseif kind == "similar" then
		return get("/api/v1/samples/" .. pick(ids) .. "/similar?limit=20")
	else -- audio: a 64 KiB range somewhere inside the file, as a browser seeking would ask
		local i = math.random(#ids)
		local size = sizes[i]
		local first = math.random(0, math.max(size - 1, 0))
		local last = math.min(first + 65535, size - 1)
		return get("/api/v1/samples/" .. ids[i] .. "/audio", { Range = "bytes=" .. first .. "-" .. last })
	end
end

function done(summary, latency, requests)
	local e = summary.errors
	local f = assert(io.open(os.getenv("SOAK_WINDOW_OUT") or error("SOAK_WINDOW_OUT is not set"), "a"))
	f:write(string.format(
		'{"kind":"%s","requests":%d,"duration_us":%d,"bytes":%d,"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d,' ..
		'"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f}\n',
		kind, summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
		latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
		latency.max, latency.mean))
	f:close()
end

