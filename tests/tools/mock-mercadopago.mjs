// A stand-in for Mercado Pago's payments API (POST /v1/payments, GET /v1/payments/{id})
// for the integration tests. It checks the Bearer token, the X-Idempotency-Key header and
// the body fields each payment method needs, and returns bodies shaped like the real
// API's. Every request is appended to RECORD_FILE as a JSON line.
//
// Behaviour a test can trigger:
//   payer.email fail-500@...   returns 500 (not stored under the idempotency key)
//   payer.email slow@...       responds after 3 seconds, for client timeouts
//   GET /v1/payments/oversize  a 2 MiB body, for the client's response-size cap
//   token tok_rejected         a card payment rejected with cc_rejected_insufficient_amount
//   any other card token       an approved card payment
//
// Usage: node mock-mercadopago.mjs PORT RECORD_FILE
import http from 'node:http';
import { IdempotencyStore, pixCode, readBody, recordRequest, sendJson } from './mock-common.mjs';

const [port, recordFile] = process.argv.slice(2);
if (!port || !recordFile) {
    console.error('usage: node mock-mercadopago.mjs PORT RECORD_FILE');
    process.exit(2);
}

const ACCESS_TOKEN = 'TEST-0000000000000000-000000-mock';
const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABAQAAAAA3bvkkAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==';
const idempotency = new IdempotencyStore();
const payments = new Map();
let nextId = 1325938431;

const ERROR_NAMES = { 401: 'unauthorized', 404: 'not_found', 409: 'conflict', 500: 'internal_error' };

function error(status, message, cause) {
    const name = ERROR_NAMES[status] ?? 'bad_request';
    return { message, error: name, status, cause: cause ? [{ code: cause, description: message }] : [] };
}

// Returns [status, body] for a payment request, after checking its shape.
function createPayment(request) {
    if (typeof request.transaction_amount !== 'number' || !(request.transaction_amount > 0)) {
        return [400, error(400, 'transaction_amount must be a positive number', 4037)];
    }
    if (!request.payer || typeof request.payer.email !== 'string' || !request.payer.email.includes('@')) {
        return [400, error(400, 'payer.email must be a valid e-mail', 4050)];
    }
    if (request.payer.email.startsWith('fail-500@')) return [500, error(500, 'internal_error')];
    const method = request.payment_method_id;
    const id = nextId++;
    const now = new Date();
    const payment = {
        id, date_created: now.toISOString(), date_last_updated: now.toISOString(),
        date_of_expiration: request.date_of_expiration ?? null, operation_type: 'regular_payment',
        payment_method_id: method, currency_id: 'BRL', description: request.description,
        external_reference: request.external_reference ?? null, transaction_amount: request.transaction_amount,
        installments: request.installments ?? 1, live_mode: false,
        payer: { email: request.payer.email, identification: request.payer.identification ?? null },
        transaction_details: { net_received_amount: 0, total_paid_amount: request.transaction_amount },
    };
    if (method === 'pix') {
        if (typeof request.date_of_expiration !== 'string') {
            return [400, error(400, 'date_of_expiration is required for pix', 4016)];
        }
        Object.assign(payment, {
            payment_type_id: 'bank_transfer', status: 'pending', status_detail: 'pending_waiting_transfer',
            point_of_interaction: {
                type: 'PIX',
                transaction_data: {
                    qr_code: pixCode(`pix.mercadopago.example/qr/v2/${id}`, 'MERCADO PAGO', 'SAO PAULO'),
                    qr_code_base64: TINY_PNG,
                    ticket_url: `https://mercadopago.example/payments/${id}/ticket`,
                },
            },
        });
    } else if (method === 'bolbradesco') {
        const identification = request.payer.identification;
        if (!identification || identification.type !== 'CPF' || !/^[0-9]{11}$/.test(identification.number ?? '')) {
            return [400, error(400, 'payer.identification must be a CPF for boleto', 4049)];
        }
        if (!request.payer.first_name || !request.payer.last_name) {
            return [400, error(400, 'payer.first_name and payer.last_name are required for boleto', 4047)];
        }
        Object.assign(payment, {
            payment_type_id: 'ticket', status: 'pending', status_detail: 'pending_waiting_payment',
            barcode: { content: '23791123400000129903381260000000001234567890' },
        });
        payment.transaction_details.external_resource_url = `https://mercadopago.example/payments/${id}/ticket?caller_id=1`;
        payment.transaction_details.digitable_line = '23793.38128 60000.000004 12345.678903 1 12340000012990';
    } else {
        if (typeof request.token !== 'string' || request.token === '') {
            return [400, error(400, 'token is required for card payments', 2006)];
        }
        if (request.installments !== 1) return [400, error(400, 'installments must be 1', 3011)];
        const rejected = request.token === 'tok_rejected';
        Object.assign(payment, {
            payment_type_id: 'credit_card', status: rejected ? 'rejected' : 'approved',
            status_detail: rejected ? 'cc_rejected_insufficient_amount' : 'accredited',
            date_approved: rejected ? null : now.toISOString(),
        });
    }
    payments.set(String(id), payment);
    return [201, payment];
}

const server = http.createServer(async (request, response) => {
    const body = await readBody(request);
    recordRequest(recordFile, request, body);
    if (body.includes('"email":"slow@')) await new Promise((resolve) => setTimeout(resolve, 3000));
    if (request.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) {
        return sendJson(response, 401, error(401, 'invalid access token', 2002));
    }
    const url = new URL(request.url, 'http://127.0.0.1');

    if (request.method === 'POST' && url.pathname === '/v1/payments') {
        const key = request.headers['x-idempotency-key'];
        if (!key) return sendJson(response, 400, error(400, 'header X-Idempotency-Key is required', 4292));
        const previous = idempotency.lookup(key, body);
        if (previous.kind === 'replay') return sendJson(response, previous.status, previous.body);
        // NOTE: Mercado Pago documents the header but not the status of a key reused with
        // another body, so this 409 is a guess.
        if (previous.kind === 'conflict') {
            return sendJson(response, 409, error(409, 'X-Idempotency-Key was already used with a different request'));
        }
        if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
            return sendJson(response, 400, error(400, 'Content-Type must be application/json'));
        }
        let parsed;
        try {
            parsed = JSON.parse(body);
        } catch {
            return sendJson(response, 400, error(400, 'body is not valid JSON'));
        }
        const [status, payment] = createPayment(parsed);
        const text = JSON.stringify(payment);
        if (status < 500) idempotency.store(key, body, status, text);
        return sendJson(response, status, text);
    }

    const match = /^\/v1\/payments\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && match && match[1] === 'oversize') {
        return sendJson(response, 200, { id: 1, status: 'approved', padding: 'x'.repeat(2 * 1024 * 1024) });
    }
    if (request.method === 'GET' && match) {
        const payment = payments.get(decodeURIComponent(match[1]));
        if (!payment) return sendJson(response, 404, error(404, 'Payment not found', 2000));
        return sendJson(response, 200, payment);
    }
    sendJson(response, 404, error(404, `no route for ${request.method} ${url.pathname}`));
});
server.listen(Number(port), '127.0.0.1', () => console.log(`mock-mercadopago listening on 127.0.0.1:${port}`));
