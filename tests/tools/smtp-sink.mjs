// An SMTP sink for the integration tests: accepts mail on 127.0.0.1 and stores each
// message as <dir>/<time>-<n>.eml. A test steers it with <dir>/control.json:
//   {"delay_ms": 5000}             wait this long before accepting a message's data
//   {"reject": ["a@exemplo.com"]}  refuse these recipients with 550
// and can see a delivery in progress in <dir>/data-started.log (one line per message).
//
// Usage: node smtp-sink.mjs PORT DIR
import { SMTPServer } from 'smtp-server';
import fs from 'node:fs';
import path from 'node:path';

const [port, dir] = process.argv.slice(2);
if (!port || !dir) {
    console.error('usage: node smtp-sink.mjs PORT DIR');
    process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });

function control() {
    try {
        return JSON.parse(fs.readFileSync(path.join(dir, 'control.json'), 'utf8'));
    } catch {
        return {};
    }
}

let count = 0;
const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: 1024 * 1024,
    logger: false,
    onRcptTo(address, session, callback) {
        const rejected = control().reject || [];
        if (rejected.includes(address.address.toLowerCase())) {
            const error = new Error('mailbox unavailable');
            error.responseCode = 550;
            return callback(error);
        }
        callback();
    },
    onData(stream, session, callback) {
        const chunks = [];
        const recipients = session.envelope.rcptTo.map((r) => r.address).join(',');
        fs.appendFileSync(path.join(dir, 'data-started.log'), `${recipients}\n`);
        stream.on('data', (chunk) => chunks.push(chunk));
        stream.on('end', () => {
            const finish = () => {
                const name = `${Date.now()}-${++count}.eml`;
                const temporary = path.join(dir, `.${name}.tmp`);
                fs.writeFileSync(temporary, Buffer.concat(chunks));
                fs.renameSync(temporary, path.join(dir, name));
                callback();
            };
            const delay = control().delay_ms || 0;
            if (delay > 0) {
                // A client that hangs up meanwhile gets nothing stored, as with a real server.
                const timer = setTimeout(finish, delay);
                session.socketClosed = () => clearTimeout(timer);
            } else {
                finish();
            }
        });
    },
    onClose(session) {
        if (session.socketClosed) session.socketClosed();
    },
});
server.on('error', (error) => console.error('smtp-sink:', error.message));
server.listen(Number(port), '127.0.0.1', () => console.log(`smtp-sink listening on 127.0.0.1:${port}`));
