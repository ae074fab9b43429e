// Checkout load driver for bench/checkout.sh. It registers BUYERS customers and gives each
// a cart with one unit of one of the VARIANTS (comma-separated ids). Then it sends every
// checkout at once through CONCURRENCY connections and prints the throughput, the latency
// percentiles and how many checkouts got an order (201) or were refused for stock (409).
//
// Usage: node bench/checkout.mjs BASE_URL BUYERS CONCURRENCY VARIANTS
const [base, buyersText, concurrencyText, variantsText] = process.argv.slice(2);
const buyers = Number(buyersText);
const concurrency = Number(concurrencyText);
const variants = variantsText.split(',');

async function post(path, body, headers = {}) {
    const response = await fetch(base + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text };
}

async function pool(count, limit, work) {
    let next = 0;
    const runners = Array.from({ length: limit }, async () => {
        while (next < count) {
            const index = next++;
            await work(index);
        }
    });
    await Promise.all(runners);
}

const tokens = new Array(buyers);
await pool(buyers, 8, async (i) => {
    const registered = await post('/v1/auth/register', {
        email: `comprador${i}@exemplo.com.br`, password: 'brinco de lua cheia', name: `Comprador ${i}`, client: 'native',
    });
    if (registered.status !== 201) throw new Error(`register ${i}: ${registered.status} ${registered.body}`);
    tokens[i] = JSON.parse(registered.body).access_token;
    const added = await post('/v1/cart/items', { variant_id: variants[i % variants.length], quantity: 1 },
                             { Authorization: `Bearer ${tokens[i]}` });
    if (added.status !== 201) throw new Error(`cart ${i}: ${added.status} ${added.body}`);
});

const latencies = [];
const counts = {};
const body = {
    address: { recipient_name: 'Comprador', cep: '01310-100', street: 'Avenida Paulista', number: '1000',
               district: 'Bela Vista', city: 'São Paulo', uf: 'SP' },
    shipping_option: 'economy', payment_method: 'pix',
};
const started = performance.now();
await pool(buyers, concurrency, async (i) => {
    const t0 = performance.now();
    const result = await post('/v1/checkout', body,
                              { Authorization: `Bearer ${tokens[i]}`, 'Idempotency-Key': `bench-${i}` });
    latencies.push(performance.now() - t0);
    counts[result.status] = (counts[result.status] || 0) + 1;
});
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const percentile = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1);
console.log(`checkouts: ${buyers} in ${elapsed.toFixed(2)} s = ${(buyers / elapsed).toFixed(0)} checkouts/s`);
console.log(`latency ms: p50 ${percentile(0.5)}  p90 ${percentile(0.9)}  p99 ${percentile(0.99)}  max ${latencies.at(-1).toFixed(1)}`);
console.log(`responses: ${JSON.stringify(counts)}`);
