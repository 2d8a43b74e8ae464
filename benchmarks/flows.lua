-- wrk script for benchmarks/serving.py: one scenario per run, named after the URL:
--
--   wrk -t N -c N -d 10s -s benchmarks/flows.lua http://127.0.0.1:8000 -- SCENARIO ARGS...
--
--   get PATH [TOKEN]        GET PATH (with a bearer token); a flow is one 200
--   login PERSONA...        wx.login on the sandbox phone, then POST /api/login; a flow is a
--                           login answered {"code": 0}
--   h5 PERSONA...           web authorization (snsapi_base) from a new browser: /h5/login ->
--                           the sandbox's authorize page -> /h5/callback -> /h5/; a flow is
--                           the logged-in page
--   page PATH ASSET...      a first visit: the page, then every asset it loads
--
-- Run it with as many threads as connections: each thread then drives one connection, so a
-- flow's steps (and its cookies) are that thread's own state. At the end it prints one JSON
-- line: requests, flows, errors, and the latency of single requests in microseconds.

local APPID = "wx5d1c4a0f3e2b7a91"  -- the sandbox mini-program
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  scenario = args[1]
  params = {}
  for i = 2, #args do params[#params + 1] = args[i] end
  flows, failures, step = 0, 0, 1
  persona = params[((id or 0) % math.max(#params, 1)) + 1]
  cookies = {}
end

-- A path and query from a Location header (absolute or not), without its #fragment.
local function path_of(location)
  return (location:gsub("^https?://[^/]+", ""):gsub("#.*$", ""))
end

local function cookie_header()
  local parts = {}
  for name, value in pairs(cookies) do parts[#parts + 1] = name .. "=" .. value end
  return table.concat(parts, "; ")
end

local function keep_cookie(headers)
  -- wrk keeps one value per header name: the flows here set one cookie per response.
  local set = headers["Set-Cookie"]
  if set then
    local name, value = set:match("^([^=]+)=([^;]*)")
    if name then cookies[name] = value end
  end
end

local function restart(ok)
  if ok then flows = flows + 1 else failures = failures + 1 end
  step, cookies, next_path = 1, {}, nil
end

local steps = {}

function steps.get()
  local headers = {}
  if params[2] then headers["Authorization"] = "Bearer " .. params[2] end
  return wrk.format("GET", params[1], headers)
end

function steps.login()
  local json = { ["Content-Type"] = "application/json" }
  if step == 1 then
    return wrk.format("POST", "/sandbox/device/login", json,
      '{"appid": "' .. APPID .. '", "user": "' .. persona .. '"}')
  end
  return wrk.format("POST", "/api/login", json, '{"code": "' .. code .. '"}')
end

function steps.h5()
  cookies["sandbox_user"] = persona  -- who holds the phone, as the lab's switcher sets it
  local path = next_path or "/h5/login?scope=snsapi_base&next=/h5/"
  return wrk.format("GET", path, { ["Cookie"] = cookie_header() })
end

function steps.page()
  return wrk.format("GET", step == 1 and params[1] or params[step])
end

function request()
  return steps[scenario]()
end

function response(status, headers, body)
  if scenario == "get" then
    restart(status == 200)
  elseif scenario == "login" then
    if step == 1 then
      code = status == 200 and body:match('"code"%s*:%s*"([^"]+)"')
      if code then step = 2 else restart(false) end
    else
      restart(status == 200 and body:match('"code"%s*:%s*0[,}]') ~= nil)
    end
  elseif scenario == "h5" then
    keep_cookie(headers)
    if step < 4 then  -- /h5/login, authorize, /h5/callback: each a redirect
      if status == 302 and headers["Location"] then
        next_path, step = path_of(headers["Location"]), step + 1
      else
        restart(false)
      end
    else
      restart(status == 200 and body:find('data-testid="login-method">snsapi_base<', 1, true) ~= nil)
    end
  elseif scenario == "page" then
    if status ~= 200 then
      restart(false)
    elseif step >= #params then
      restart(true)
    else
      step = step + 1
    end
  end
end

function done(summary, latency, requests)
  local total_flows, total_failures = 0, 0
  for _, thread in ipairs(threads) do
    total_flows = total_flows + thread:get("flows")
    total_failures = total_failures + thread:get("failures")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "flows": %d, "flow_failures": %d, '
      .. '"socket_errors": %d, "http_errors": %d, "timeouts": %d, '
      .. '"latency_us": {"p50": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, total_flows, total_failures,
    e.connect + e.read + e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, latency.mean))
end
