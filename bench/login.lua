-- wrk script: POST /v1/auth/login for the accounts bench/login_storm.sh created, cycling
-- through them. Each wrk thread starts at a different account.
local count = tonumber(os.getenv("BENCH_ACCOUNTS") or "200")
local password = os.getenv("BENCH_PASSWORD") or "brinco de lua cheia"
local next_account = 0

setup = function(thread)
    thread:set("next_account", math.random(count) - 1)
end

request = function()
    next_account = (next_account + 1) % count
    local body = string.format('{"email":"carga%d@exemplo.com.br","password":"%s","client":"native"}', next_account, password)
    return wrk.format("POST", "/v1/auth/login", {["Content-Type"] = "application/json"}, body)
end
