// A stand-in for Stripe's PaymentIntents API (POST /v1/payment_intents,
// GET /v1/payment_intents/{id}) for the integration tests. It checks the secret key (basic
// auth or Bearer), the Idempotency-Key header and the form fields of card and Pix
// payments, and returns bodies shaped like the real API's. Every request is appended
// to RECORD_FILE as a JSON line.
//
// Behaviour a test can trigger:
//   receipt_email fail-500@...       returns 500 (not stored under the idempotency key)
//   payment_method pm_card_visa      a succeeded card payment
//   payment_method pm_card_chargeDeclined
//                                    402 card_error with the PaymentIntent, as Stripe declines
//
// Usage: node mock-stripe.mjs PORT RECORD_FILE
import crypto from 'node:crypto';
import http from 'node:http';
import { IdempotencyStore, pixCode, readBody, recordRequest, sendJson } from './mock-common.mjs';

const [port, recordFile] = process.argv.slice(2);
if (!port || !recordFile) {
    console.error('usage: node mock-stripe.mjs PORT RECORD_FILE');
    process.exit(2);
}

const SECRET_KEY = 'sk_test_mock_0000000000000000';
const idempotency = new IdempotencyStore();
const intents = new Map();

function randomId(prefix) {
    return prefix + '_' + crypto.randomBytes(12).toString('base64url');
}

function invalid(message, param, code = 'parameter_invalid_empty') {
    return [400, { error: { type: 'invalid_request_error', code, message, param } }];
}

function authorized(header) {
    if (!header) return false;
    if (header === `Bearer ${SECRET_KEY}`) return true;
    if (!header.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    return decoded === `${SECRET_KEY}:`;
}

// Returns [status, body] for a form-encoded PaymentIntent creation.
function createIntent(form) {
    const amount = form.get('amount');
    if (!/^[0-9]+$/.test(amount ?? '') || Number(amount) < 50) {
        return invalid('amount must be an integer of at least 50 centavos', 'amount', 'amount_too_small');
    }
    if (form.get('currency') !== 'brl') return invalid('currency must be brl for this account', 'currency');
    const types = form.getAll('payment_method_types[]');
    if (types.length !== 1 || !['card', 'pix'].includes(types[0])) {
        return invalid('payment_method_types[] must be card or pix', 'payment_method_types');
    }
    if (form.get('confirm') !== 'true') return invalid('the mock expects confirm=true', 'confirm');
    if ((form.get('receipt_email') ?? '').startsWith('fail-500@')) {
        return [500, { error: { type: 'api_error', message: 'An unknown error occurred' } }];
    }
    const now = Math.floor(Date.now() / 1000);
    const intent = {
        id: randomId('pi'), object: 'payment_intent', amount: Number(amount), amount_received: 0, currency: 'brl',
        created: now, description: form.get('description'), livemode: false, last_payment_error: null,
        metadata: { payment_id: form.get('metadata[payment_id]'), order_number: form.get('metadata[order_number]') },
        next_action: null, payment_method_types: types, receipt_email: form.get('receipt_email'),
    };
    intent.client_secret = `${intent.id}_secret_${crypto.randomBytes(8).toString('hex')}`;

    if (types[0] === 'pix') {
        if (form.get('payment_method_data[type]') !== 'pix') {
            return invalid('payment_method_data[type] must be pix', 'payment_method_data[type]');
        }
        const expiresAt = Number(form.get('payment_method_options[pix][expires_at]') ?? now + 86400);
        intent.payment_method = randomId('pm');
        intent.status = 'requires_action';
        intent.next_action = {
            type: 'pix_display_qr_code',
            pix_display_qr_code: {
                data: pixCode(`pix.stripe.example/qr/${intent.id}`, 'STRIPE PAYMENTS BRASIL', 'SAO PAULO'),
                expires_at: expiresAt,
                hosted_instructions_url: `https://payments.stripe.example/pix/instructions/${intent.id}`,
                image_url_png: `https://qr.stripe.example/${intent.id}.png`,
                image_url_svg: `https://qr.stripe.example/${intent.id}.svg`,
            },
        };
        intents.set(intent.id, intent);
        return [200, intent];
    }

    const paymentMethod = form.get('payment_method');
    if (!paymentMethod) return invalid('payment_method is required to confirm a card payment', 'payment_method');
    intent.payment_method = paymentMethod;
    if (paymentMethod === 'pm_card_chargeDeclined') {
        const error = { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline',
                        message: 'Your card was declined.', payment_method: { id: paymentMethod, object: 'payment_method' } };
        intent.status = 'requires_payment_method';
        intent.last_payment_error = error;
        intents.set(intent.id, intent);
        return [402, { error: { ...error, payment_intent: intent } }];
    }
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.latest_charge = randomId('ch');
    intents.set(intent.id, intent);
    return [200, intent];
}

const server = http.createServer(async (request, response) => {
    const body = await readBody(request);
    recordRequest(recordFile, request, body);
    if (!authorized(request.headers.authorization)) {
        return sendJson(response, 401, { error: { type: 'invalid_request_error',
                                                  message: 'Invalid API Key provided: the key is wrong or missing.' } });
    }
    const url = new URL(request.url, 'http://127.0.0.1');

    if (request.method === 'POST' && url.pathname === '/v1/payment_intents') {
        if (request.headers['content-type'] !== 'application/x-www-form-urlencoded') {
            return sendJson(response, 400, { error: { type: 'invalid_request_error',
                                                      message: 'Content-Type must be application/x-www-form-urlencoded' } });
        }
        const key = request.headers['idempotency-key'];
        if (key) {
            const previous = idempotency.lookup(key, body);
            if (previous.kind === 'replay') {
                return sendJson(response, previous.status, previous.body, { 'Idempotent-Replayed': 'true' });
            }
            if (previous.kind === 'conflict') {
                return sendJson(response, 400, { error: { type: 'idempotency_error', message:
                    `Keys for idempotent requests can only be used with the same parameters they were first used with. ` +
                    `Try using a key other than '${key}' if you meant to execute a different request.` } });
            }
        }
        const [status, intent] = createIntent(new URLSearchParams(body));
        const text = JSON.stringify(intent);
        if (key && status < 500) idempotency.store(key, body, status, text);
        return sendJson(response, status, text);
    }

    const match = /^\/v1\/payment_intents\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && match) {
        const intent = intents.get(decodeURIComponent(match[1]));
        if (!intent) {
            return sendJson(response, 404, { error: { type: 'invalid_request_error', code: 'resource_missing',
                                                      message: `No such payment_intent: '${match[1]}'`, param: 'intent' } });
        }
        return sendJson(response, 200, intent);
    }
    sendJson(response, 404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${url.pathname}).` } });
});
server.listen(Number(port), '127.0.0.1', () => console.log(`mock-stripe listening on 127.0.0.1:${port}`));
