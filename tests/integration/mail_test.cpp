// The job queue and the e-mailed account flows, end to end: `bijou serve` queues jobs in
// the outbox, `bijou worker` relays and runs them and sends mail over SMTP to a sink that
// stores each message. Covers e-mail verification, password reset, the lockout notice,
// retries, the dead-letter stream and a worker killed in the middle of a job.

#include <gtest/gtest.h>

#include <signal.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include "core/base64.hpp"
#include "support/http_client.hpp"
#include "support/stack.hpp"

namespace json = boost::json;
namespace http = boost::beast::http;
namespace fs = std::filesystem;
using bijou::testing::json_body;

namespace {

constexpr std::uint16_t kPort = 18091;
constexpr std::uint16_t kSmtpPort = 18191;
constexpr const char* kRedisDatabase = "4";

std::map<std::string, std::string> environment;
std::string database_url;
fs::path sink_dir;
std::unique_ptr<bijou::testing::ChildProcess> sink;
std::unique_ptr<bijou::testing::ServerProcess> server;
std::unique_ptr<bijou::testing::ChildProcess> worker;

void start_sink() {
    auto script = bijou::testing::required_env("BIJOU_SOURCE_DIR") + "/tests/tools/smtp-sink.mjs";
    sink = std::make_unique<bijou::testing::ChildProcess>(
        std::vector<std::string>{bijou::testing::required_env("BIJOU_TEST_NODE"), script, std::to_string(kSmtpPort),
                                 sink_dir.string()},
        std::map<std::string, std::string>{}, "smtp-sink");
    bijou::testing::wait_for_port(kSmtpPort, std::chrono::seconds(15));
}

void start_worker() {
    worker = std::make_unique<bijou::testing::ChildProcess>(
        std::vector<std::string>{bijou::testing::required_env("BIJOU_BINARY"), "worker"}, environment, "worker");
}

std::string redis(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"/usr/bin/redis-cli", "-p", bijou::testing::required_env("BIJOU_TEST_REDIS_PORT"), "-n",
                                  kRedisDatabase};
    argv.insert(argv.end(), args.begin(), args.end());
    std::string output;
    EXPECT_EQ(bijou::testing::run_command(argv, {}, &output), 0) << output;
    return output;
}

class MailEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        sink_dir = fs::path(bijou::testing::required_env("BIJOU_TEST_STATE")) / "mail-sink";
        fs::remove_all(sink_dir);
        fs::create_directories(sink_dir);
        start_sink();

        environment = bijou::testing::stack_env();
        database_url = bijou::testing::fresh_database("it_mail");
        environment["DATABASE_URL"] = database_url;
        environment["REDIS_URL"] = "redis://127.0.0.1:" + bijou::testing::required_env("BIJOU_TEST_REDIS_PORT") + "/" +
                                   kRedisDatabase;
        environment["BIJOU_AUTH_REGISTER_LIMIT_PER_IP"] = "100000";
        environment["BIJOU_AUTH_LOGIN_LIMIT_PER_IP"] = "100000";
        environment["BIJOU_AUTH_RESET_LIMIT_PER_IP"] = "100000";
        environment["BIJOU_AUTH_LOCKOUT_THRESHOLD"] = "3";
        environment["BIJOU_MAIL_TRANSPORT"] = "smtp";
        environment["BIJOU_MAIL_SMTP_URL"] = "smtp://127.0.0.1:" + std::to_string(kSmtpPort);
        environment["BIJOU_MAIL_LINK_BASE_URL"] = "https://loja.example";
        environment["BIJOU_MAIL_TIMEOUT_MS"] = "1000";
        environment["BIJOU_JOBS_POLL_INTERVAL_MS"] = "50";
        environment["BIJOU_JOBS_CLAIM_IDLE_MS"] = "1500";
        environment["BIJOU_PAYMENTS_TIMEOUT_MS"] = "1000";
        environment["BIJOU_JOBS_RETRY_BASE_MS"] = "1000";
        environment["BIJOU_JOBS_RETRY_MAX_MS"] = "4000";
        environment["BIJOU_JOBS_MAX_ATTEMPTS"] = "5";
        redis({"FLUSHDB"});
        server = std::make_unique<bijou::testing::ServerProcess>(kPort, environment);
        start_worker();
    }
    void TearDown() override {
        worker.reset();
        server.reset();
        sink.reset();
    }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new MailEnvironment);

bijou::testing::Response post(const std::string& target, const json::object& body,
                              bijou::testing::Headers headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    return bijou::testing::request(kPort, http::verb::post, target, headers, json::serialize(body));
}

std::string unique_email(const std::string& label) {
    static int counter = 0;
    return label + "." + std::to_string(::getpid()) + "." + std::to_string(++counter) + "@exemplo.com.br";
}

json::object register_native(const std::string& email, const std::string& locale = "pt-BR") {
    auto response = post("/v1/auth/register", {{"email", email},
                                               {"password", "brinco de lua cheia"},
                                               {"name", "Ana Souza"},
                                               {"locale", locale},
                                               {"client", "native"}});
    EXPECT_EQ(response.result_int(), 201) << response.body();
    return json_body(response).as_object();
}

std::string query(const std::string& sql) {
    std::string output;
    EXPECT_EQ(bijou::testing::run_command({"/usr/bin/psql", database_url, "-qAtc", sql}, {}, &output), 0) << output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    return output;
}

// One stored message, decoded enough to check: the Subject (encoded words joined) and
// the two MIME parts.
struct Mail {
    std::string subject;
    std::string text;
    std::string html;
    std::string raw;
};

std::string decode_subject(const std::string& raw) {
    auto start = raw.find("\r\nSubject: ");
    if (start == std::string::npos) return {};
    start += 11;
    std::string header;
    // The header goes on over folded lines that begin with a space.
    auto end = start;
    while (true) {
        end = raw.find("\r\n", end);
        if (end == std::string::npos || raw[end + 2] != ' ') break;
        end += 2;
    }
    header = raw.substr(start, end - start);
    std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=)");
    if (!std::regex_search(header, word)) return header;
    std::string subject;
    for (std::sregex_iterator it(header.begin(), header.end(), word), last; it != last; ++it) {
        subject += bijou::decode_base64((*it)[1].str()).value_or("?");
    }
    return subject;
}

std::string decode_part(const std::string& raw, const std::string& type) {
    auto header = raw.find("Content-Type: " + type + "; charset=UTF-8");
    if (header == std::string::npos) return {};
    auto body = raw.find("\r\n\r\n", header) + 4;
    auto end = raw.find("\r\n--", body);
    std::string encoded;
    for (char c : raw.substr(body, end - body)) {
        if (c != '\r' && c != '\n') encoded += c;
    }
    return bijou::decode_base64(encoded).value_or("");
}

std::vector<Mail> mails_to(const std::string& address) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(sink_dir)) {
        if (entry.path().extension() == ".eml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<Mail> mails;
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        std::stringstream buffer;
        buffer << in.rdbuf();
        auto raw = buffer.str();
        if (raw.find("<" + address + ">") == std::string::npos) continue;
        mails.push_back({decode_subject(raw), decode_part(raw, "text/plain"), decode_part(raw, "text/html"), raw});
    }
    return mails;
}

// Waits until `count` messages have reached `address`; returns them all.
std::vector<Mail> wait_for_mails(const std::string& address, std::size_t count,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto mails = mails_to(address);
        if (mails.size() >= count) return mails;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return mails_to(address);
}

std::string token_in(const Mail& mail, const std::string& path) {
    std::smatch match;
    std::regex link("https://loja\\.example" + path + "\\?token=([0-9a-f]{64})");
    if (!std::regex_search(mail.text, match, link)) return {};
    return match[1].str();
}

void set_sink_control(const std::string& json_text) {
    std::ofstream(sink_dir / "control.json") << json_text;
}

int deliveries_started(const std::string& address) {
    std::ifstream in(sink_dir / "data-started.log");
    std::string line;
    int count = 0;
    while (std::getline(in, line)) count += line == address ? 1 : 0;
    return count;
}

}  // namespace

TEST(VerifyEmail, RegistrationMailsALinkThatVerifiesOnce) {
    auto email = unique_email("verifica");
    auto body = register_native(email);
    auto token = std::string(body["access_token"].as_string());
    EXPECT_FALSE(body["user"].as_object()["email_verified"].as_bool());

    auto mails = wait_for_mails(email, 1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].subject, "Confirme seu e-mail na Bijou");
    EXPECT_NE(mails[0].text.find("Olá, Ana Souza!"), std::string::npos) << mails[0].text;
    EXPECT_NE(mails[0].html.find("<html lang=\"pt-BR\">"), std::string::npos);
    EXPECT_NE(mails[0].raw.find("multipart/alternative"), std::string::npos);
    auto link_token = token_in(mails[0], "/verificar-email");
    ASSERT_FALSE(link_token.empty()) << mails[0].text;
    // Only a hash is stored.
    EXPECT_EQ(query("SELECT count(*) FROM email_token WHERE encode(token_hash, 'hex') = '" + link_token + "'"), "0");

    auto verified = post("/v1/auth/verify-email", {{"token", link_token}});
    ASSERT_EQ(verified.result_int(), 200) << verified.body();
    EXPECT_TRUE(json_body(verified).as_object()["user"].as_object()["email_verified"].as_bool());
    auto me = bijou::testing::get(kPort, "/v1/me", {{"Authorization", "Bearer " + token}});
    EXPECT_TRUE(json_body(me).as_object()["email_verified"].as_bool());

    auto again = post("/v1/auth/verify-email", {{"token", link_token}});
    EXPECT_EQ(again.result_int(), 400);
    auto problem = json_body(again).as_object();
    EXPECT_EQ(problem["code"].as_string(), "invalid_email_token");
    EXPECT_EQ(problem["title"].as_string(), "Link inválido");
}

TEST(VerifyEmail, RejectsMalformedAndUnknownTokens) {
    EXPECT_EQ(post("/v1/auth/verify-email", {{"token", "abc"}}).result_int(), 400);
    EXPECT_EQ(post("/v1/auth/verify-email", {{"token", std::string(64, 'a')}}).result_int(), 400);
    EXPECT_EQ(post("/v1/auth/verify-email", {{"token", 42}}).result_int(), 422);
    EXPECT_EQ(post("/v1/auth/verify-email", json::object{}).result_int(), 422);
    EXPECT_EQ(post("/v1/auth/verify-email", {{"token", std::string(64, 'a')}, {"email_verified", true}}).result_int(), 422);
}

TEST(VerifyEmail, EnglishAccountsGetEnglishMail) {
    auto email = unique_email("english");
    register_native(email, "en");
    auto mails = wait_for_mails(email, 1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].subject, "Confirm your e-mail address at Bijou");
    EXPECT_NE(mails[0].text.find("Hello, Ana Souza!"), std::string::npos);
}

TEST(VerifyEmail, ResendRetiresThePreviousLink) {
    auto email = unique_email("reenvio");
    auto body = register_native(email);
    auto first = wait_for_mails(email, 1);
    ASSERT_EQ(first.size(), 1u);
    auto resend = bijou::testing::request(kPort, http::verb::post, "/v1/auth/verify-email/resend",
                                          {{"Authorization", "Bearer " + std::string(body["access_token"].as_string())}});
    EXPECT_EQ(resend.result_int(), 202) << resend.body();
    EXPECT_EQ(bijou::testing::request(kPort, http::verb::post, "/v1/auth/verify-email/resend").result_int(), 401);

    auto mails = wait_for_mails(email, 2);
    ASSERT_EQ(mails.size(), 2u);
    auto old_token = token_in(mails[0], "/verificar-email");
    auto new_token = token_in(mails[1], "/verificar-email");
    ASSERT_NE(old_token, new_token);
    EXPECT_EQ(post("/v1/auth/verify-email", {{"token", old_token}}).result_int(), 400);
    EXPECT_EQ(post("/v1/auth/verify-email", {{"token", new_token}}).result_int(), 200);
}

TEST(Lockout, AdminsGetANoticeToo) {
    auto values = environment;
    values["BIJOU_ADMIN_PASSWORD"] = "anel de prata com zircônia";
    std::string output;
    ASSERT_EQ(bijou::testing::run_command({bijou::testing::required_env("BIJOU_BINARY"), "admin", "create",
                                           "gerente.bloqueada@loja.example", "Gerente", "manager"},
                                          values, &output),
              0)
        << output;
    for (int attempt = 0; attempt < 3; ++attempt) {
        json::object body{{"email", "gerente.bloqueada@loja.example"}, {"password", "senha errada"}, {"totp", "000000"}};
        EXPECT_EQ(post("/v1/admin/auth/login", body).result_int(), 401);
    }
    auto mails = wait_for_mails("gerente.bloqueada@loja.example", 1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].subject, "Acesso administrativo bloqueado temporariamente");
}

TEST(PasswordReset, AnswersAlikeForUnknownAddresses) {
    auto unknown = unique_email("ninguem");
    auto known = unique_email("conhecida");
    register_native(known);
    wait_for_mails(known, 1);

    auto for_unknown = post("/v1/auth/password/forgot", {{"email", unknown}});
    auto for_known = post("/v1/auth/password/forgot", {{"email", known}});
    EXPECT_EQ(for_unknown.result_int(), 202);
    EXPECT_EQ(for_known.result_int(), 202);
    EXPECT_EQ(for_unknown.body(), for_known.body());

    auto mails = wait_for_mails(known, 2);
    ASSERT_EQ(mails.size(), 2u);
    EXPECT_EQ(mails[1].subject, "Redefinição de senha na Bijou");
    EXPECT_TRUE(mails_to(unknown).empty());
    EXPECT_EQ(post("/v1/auth/password/forgot", {{"email", "sem-arroba"}}).result_int(), 422);
}

TEST(PasswordReset, SetsTheNewPasswordAndEndsEverySession) {
    auto email = unique_email("redefine");
    auto body = register_native(email);
    auto refresh_token = std::string(body["refresh_token"].as_string());
    auto access_token = std::string(body["access_token"].as_string());
    wait_for_mails(email, 1);

    // Upper case: addresses compare without case.
    std::string shouted = email;
    for (auto& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    ASSERT_EQ(post("/v1/auth/password/forgot", {{"email", shouted}}).result_int(), 202);
    auto mails = wait_for_mails(email, 2);
    ASSERT_EQ(mails.size(), 2u);
    auto token = token_in(mails[1], "/redefinir-senha");
    ASSERT_FALSE(token.empty()) << mails[1].text;

    auto weak = post("/v1/auth/password/reset", {{"token", token}, {"password", "12345678"}});
    EXPECT_EQ(weak.result_int(), 422);
    // A refused password leaves the link usable.
    auto reset = post("/v1/auth/password/reset", {{"token", token}, {"password", "colar de contas azuis"}});
    ASSERT_EQ(reset.result_int(), 204) << reset.body();

    EXPECT_EQ(post("/v1/auth/refresh", {{"refresh_token", refresh_token}}).result_int(), 401);
    EXPECT_EQ(bijou::testing::get(kPort, "/v1/me", {{"Authorization", "Bearer " + access_token}}).result_int(), 401);
    EXPECT_EQ(post("/v1/auth/login", {{"email", email}, {"password", "brinco de lua cheia"}}).result_int(), 401);
    auto login = post("/v1/auth/login", {{"email", email}, {"password", "colar de contas azuis"}, {"client", "native"}});
    EXPECT_EQ(login.result_int(), 200);
    EXPECT_TRUE(json_body(login).as_object()["user"].as_object()["email_verified"].as_bool());

    auto replay = post("/v1/auth/password/reset", {{"token", token}, {"password", "outra senha bem longa"}});
    EXPECT_EQ(replay.result_int(), 400);
    EXPECT_EQ(json_body(replay).as_object()["code"].as_string(), "invalid_email_token");
}

TEST(Lockout, SendsOneNoticeToTheOwner) {
    auto email = unique_email("bloqueio");
    register_native(email);
    wait_for_mails(email, 1);
    for (int attempt = 0; attempt < 4; ++attempt) {
        EXPECT_EQ(post("/v1/auth/login", {{"email", email}, {"password", "senha errada demais"}}).result_int(), 401);
    }
    auto mails = wait_for_mails(email, 2);
    ASSERT_EQ(mails.size(), 2u);
    EXPECT_EQ(mails[1].subject, "Sua conta na Bijou foi bloqueada temporariamente");
    EXPECT_NE(mails[1].text.find("https://loja.example/esqueci-a-senha"), std::string::npos);
    // The attempt made during the lock sends nothing more.
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    EXPECT_EQ(mails_to(email).size(), 2u);
    EXPECT_EQ(post("/v1/auth/login", {{"email", email}, {"password", "brinco de lua cheia"}}).result_int(), 401);

    // A reset lifts the lock and restarts the account's login budget.
    ASSERT_EQ(post("/v1/auth/password/forgot", {{"email", email}}).result_int(), 202);
    auto with_reset = wait_for_mails(email, 3);
    ASSERT_EQ(with_reset.size(), 3u);
    auto token = token_in(with_reset[2], "/redefinir-senha");
    // The link works when a mail client upper-cased it.
    std::string upper = token;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    ASSERT_EQ(post("/v1/auth/password/reset", {{"token", upper}, {"password", "anel de prata lunar"}}).result_int(), 204);
    EXPECT_EQ(post("/v1/auth/login", {{"email", email}, {"password", "anel de prata lunar"}}).result_int(), 200);
}

TEST(Queue, RefusedRecipientGoesToTheDeadLetterStream) {
    auto email = unique_email("recusado");
    set_sink_control(R"({"reject": [")" + email + R"("]})");
    auto body = register_native(email);
    auto user_id = std::string(body["user"].as_object()["id"].as_string());
    auto job_id = query("SELECT id FROM outbox WHERE payload->>'user_id' = '" + user_id + "'");

    std::string dead;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        dead = redis({"XRANGE", "bijou:jobs:dead", "-", "+"});
        if (dead.find(job_id) != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    set_sink_control("{}");
    EXPECT_NE(dead.find("mail.verify_email"), std::string::npos) << dead;
    EXPECT_NE(dead.find("550"), std::string::npos) << dead;
    // A permanent refusal is not retried.
    EXPECT_EQ(redis({"ZCARD", "bijou:jobs:retry"}), "0\n");
    EXPECT_TRUE(mails_to(email).empty());
}

TEST(Queue, RetriesWhileTheMailServerIsDown) {
    sink->stop(SIGTERM);
    auto email = unique_email("fora-do-ar");
    register_native(email);
    // The first attempts fail and wait in the retry set.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (redis({"ZCARD", "bijou:jobs:retry"}) == "0\n" && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(redis({"ZCARD", "bijou:jobs:retry"}), "1\n");
    start_sink();
    auto mails = wait_for_mails(email, 1, std::chrono::seconds(20));
    EXPECT_EQ(mails.size(), 1u);
}

TEST(Queue, ARetriedMailWithARetiredLinkIsNotSent) {
    auto email = unique_email("duas-vezes");
    register_native(email);
    ASSERT_EQ(wait_for_mails(email, 1).size(), 1u);
    sink->stop(SIGTERM);
    ASSERT_EQ(post("/v1/auth/password/forgot", {{"email", email}}).result_int(), 202);
    ASSERT_EQ(post("/v1/auth/password/forgot", {{"email", email}}).result_int(), 202);
    // Both jobs fail once and wait for a retry.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (redis({"ZCARD", "bijou:jobs:retry"}) != "2\n" && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(redis({"ZCARD", "bijou:jobs:retry"}), "2\n");
    start_sink();
    // Only the newer link goes out, and it works.
    auto mails = wait_for_mails(email, 2);
    ASSERT_EQ(mails.size(), 2u);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    ASSERT_EQ(mails_to(email).size(), 2u);
    auto token = token_in(mails[1], "/redefinir-senha");
    EXPECT_EQ(post("/v1/auth/password/reset", {{"token", token}, {"password", "anel de prata lunar"}}).result_int(), 204);
}

TEST(Queue, AJobOfAKilledWorkerIsFinishedByAnother) {
    auto email = unique_email("interrompido");
    register_native(email);
    // A finished job: the verification e-mail.
    ASSERT_EQ(wait_for_mails(email, 1).size(), 1u);

    // The sink delays the next message, so the worker is killed in the middle of sending it.
    set_sink_control(R"({"delay_ms": 30000})");
    ASSERT_EQ(post("/v1/auth/password/forgot", {{"email", email}}).result_int(), 202);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (deliveries_started(email) < 2 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(deliveries_started(email), 2);
    EXPECT_EQ(worker->stop(SIGKILL), 128 + SIGKILL);
    set_sink_control("{}");
    EXPECT_EQ(mails_to(email).size(), 1u);

    // A new worker takes the job over once it has been idle for jobs.claim_idle_ms.
    start_worker();
    auto mails = wait_for_mails(email, 2);
    ASSERT_EQ(mails.size(), 2u);
    EXPECT_EQ(mails[1].subject, "Redefinição de senha na Bijou");
    EXPECT_FALSE(token_in(mails[1], "/redefinir-senha").empty());
    // The finished verification job did not run again.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    auto all = mails_to(email);
    EXPECT_EQ(all.size(), 2u);
    EXPECT_EQ(std::count_if(all.begin(), all.end(), [](const Mail& m) { return m.subject == "Confirme seu e-mail na Bijou"; }), 1);
    EXPECT_EQ(redis({"XLEN", "bijou:jobs"}), "0\n");
}
