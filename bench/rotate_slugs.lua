-- wrk script: requests GET /v1/products/{slug}, cycling through the slugs in slugs.txt
-- (one per line, written by bench/run.sh) so that every product detail is exercised.
local slugs = {}
for line in io.lines(os.getenv("BENCH_SLUGS") or "slugs.txt") do
    slugs[#slugs + 1] = line
end
local counter = 0

request = function()
    counter = counter + 1
    return wrk.format("GET", "/v1/products/" .. slugs[(counter % #slugs) + 1])
end
