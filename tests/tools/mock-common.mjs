// Helpers used by both payment-provider mocks: request recording, idempotency storage
// and Pix BR Codes with a valid CRC.
import crypto from 'node:crypto';
import fs from 'node:fs';

// Appends one JSON line per request to `file`: method, path, headers (lower-case names)
// and raw body, for the tests to assert on.
export function recordRequest(file, request, body) {
    const entry = { method: request.method, path: request.url, headers: request.headers, body };
    fs.appendFileSync(file, JSON.stringify(entry) + '\n');
}

export function readBody(request) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        request.on('data', (chunk) => chunks.push(chunk));
        request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        request.on('error', reject);
    });
}

// Stored responses by idempotency key. lookup() returns 'replay' with the stored response
// for a repeat with the same body, and 'conflict' for a repeat with another body, which
// each mock rejects with its provider's error.
export class IdempotencyStore {
    constructor() {
        this.entries = new Map();
    }

    lookup(key, body) {
        const entry = this.entries.get(key);
        if (!entry) return { kind: 'new' };
        const hash = crypto.createHash('sha256').update(body).digest('hex');
        return entry.hash === hash ? { kind: 'replay', status: entry.status, body: entry.body } : { kind: 'conflict' };
    }

    store(key, body, status, responseBody) {
        const hash = crypto.createHash('sha256').update(body).digest('hex');
        this.entries.set(key, { hash, status, body: responseBody });
    }
}

function field(id, value) {
    return id + String(value.length).padStart(2, '0') + value;
}

function crc16(text) {
    let crc = 0xffff;
    for (const byte of Buffer.from(text, 'utf8')) {
        crc ^= byte << 8;
        for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    return crc.toString(16).toUpperCase().padStart(4, '0');
}

// A dynamic Pix BR Code as a payment institution issues it: the payload sits at a URL
// (field 26, subfield 25) instead of carrying the key and amount.
export function pixCode(location, merchantName, city) {
    const account = field('00', 'br.gov.bcb.pix') + field('25', location);
    let code = field('00', '01') + field('01', '12') + field('26', account) + field('52', '0000') + field('53', '986') +
        field('58', 'BR') + field('59', merchantName) + field('60', city) + field('62', field('05', '***')) + '6304';
    return code + crc16(code);
}

export function sendJson(response, status, body, headers = {}) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    response.end(text);
}
