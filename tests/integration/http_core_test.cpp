// HTTP core behaviour over real sockets: limits, headers, CORS, readiness and shutdown.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <csignal>
#include <thread>

#include "support/http_client.hpp"
#include "support/stack.hpp"

namespace http = boost::beast::http;
using bijou::testing::get;
using bijou::testing::json_body;
using bijou::testing::raw_exchange;

namespace {

constexpr std::uint16_t kPort = 18082;
std::unique_ptr<bijou::testing::ServerProcess> server;
std::map<std::string, std::string> server_env;

class HttpCoreEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        server_env = bijou::testing::stack_env();
        server_env["DATABASE_URL"] = bijou::testing::fresh_database("it_http");
        server_env["BIJOU_HTTP_READ_TIMEOUT_MS"] = "500";
        server_env["BIJOU_HTTP_CORS_ALLOWED_ORIGINS"] = "https://loja.example";
        server = std::make_unique<bijou::testing::ServerProcess>(kPort, server_env);
    }
    void TearDown() override { server.reset(); }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new HttpCoreEnvironment);

int status_of(const std::string& raw_response) {
    if (raw_response.size() < 12 || !(raw_response.starts_with("HTTP/1.1 ") || raw_response.starts_with("HTTP/1.0 "))) {
        return 0;
    }
    return std::stoi(raw_response.substr(9, 3));
}

}  // namespace

TEST(RequestId, EchoedWhenValid) {
    auto response = get(kPort, "/healthz", {{"X-Request-Id", "pedido-123"}});
    EXPECT_EQ(response["X-Request-Id"], "pedido-123");
}

TEST(RequestId, GeneratedWhenMissingOrUnsafe) {
    auto generated = get(kPort, "/healthz");
    EXPECT_EQ(generated["X-Request-Id"].size(), 32u);
    auto replaced = get(kPort, "/healthz", {{"X-Request-Id", "<script>"}});
    EXPECT_NE(replaced["X-Request-Id"], "<script>");
    EXPECT_EQ(replaced["X-Request-Id"].size(), 32u);
}

TEST(SecurityHeaders, OnEveryResponse) {
    for (const char* target : {"/v1/products?limit=1", "/v1/nada", "/healthz"}) {
        auto response = get(kPort, target);
        EXPECT_EQ(response["X-Content-Type-Options"], "nosniff") << target;
        EXPECT_EQ(response["X-Frame-Options"], "DENY") << target;
        EXPECT_EQ(response["Referrer-Policy"], "no-referrer") << target;
        EXPECT_FALSE(response["Content-Security-Policy"].empty()) << target;
        EXPECT_FALSE(response["Strict-Transport-Security"].empty()) << target;
    }
}

TEST(Cors, AllowlistedOriginOnly) {
    auto allowed = get(kPort, "/v1/collections", {{"Origin", "https://loja.example"}});
    EXPECT_EQ(allowed[http::field::access_control_allow_origin], "https://loja.example");
    auto foreign = get(kPort, "/v1/collections", {{"Origin", "https://intruso.example"}});
    EXPECT_TRUE(foreign[http::field::access_control_allow_origin].empty());
}

TEST(Cors, Preflight) {
    auto response = bijou::testing::request(kPort, http::verb::options, "/v1/products",
                                            {{"Origin", "https://loja.example"}, {"Access-Control-Request-Method", "GET"}});
    EXPECT_EQ(response.result_int(), 204);
    EXPECT_NE(response[http::field::access_control_allow_methods].find("GET"), std::string::npos);
    EXPECT_EQ(response[http::field::access_control_allow_origin], "https://loja.example");
}

TEST(Limits, OversizeHeadersGet431) {
    std::string request = "GET /v1/products HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(10'000, 'a') + "\r\n\r\n";
    auto response = raw_exchange(kPort, request);
    EXPECT_EQ(status_of(response), 431) << response.substr(0, 200);
    EXPECT_NE(response.find("headers_too_large"), std::string::npos);
}

TEST(Limits, DeclaredOversizeBodyGets413) {
    std::string request = "POST /v1/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Content-Length: 5000000\r\n\r\n{";
    auto response = raw_exchange(kPort, request);
    EXPECT_EQ(status_of(response), 413) << response.substr(0, 200);
    EXPECT_NE(response.find("payload_too_large"), std::string::npos);
}

TEST(Limits, ChunkedOversizeBodyGets413) {
    std::string chunk(64 * 1024, 'x');
    std::string request = "POST /v1/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 20; ++i) request += "10000\r\n" + chunk + "\r\n";
    request += "0\r\n\r\n";
    auto response = raw_exchange(kPort, request);
    EXPECT_EQ(status_of(response), 413) << response.substr(0, 200);
}

TEST(Limits, NonJsonBodyGets415) {
    auto response = bijou::testing::request(kPort, http::verb::get, "/v1/products", {{"Content-Type", "text/plain"}}, "oi");
    EXPECT_EQ(response.result_int(), 415);
    EXPECT_EQ(json_body(response).as_object()["code"].as_string(), "unsupported_media_type");
}

TEST(Limits, MalformedRequestGets400) {
    auto response = raw_exchange(kPort, "GET /v1/products HTTP/1.1\r\nHost x\r\n\r\n");
    EXPECT_EQ(status_of(response), 400) << response.substr(0, 200);
    EXPECT_NE(response.find("malformed_request"), std::string::npos);
}

TEST(Limits, MissingHostOrAbsoluteTargetGets400) {
    auto no_host = raw_exchange(kPort, "GET /healthz HTTP/1.1\r\n\r\n");
    EXPECT_EQ(status_of(no_host), 400) << no_host.substr(0, 200);
    auto relative = raw_exchange(kPort, "GET healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(status_of(relative), 400) << relative.substr(0, 200);
    auto http10 = raw_exchange(kPort, "GET /healthz HTTP/1.0\r\n\r\n");
    EXPECT_EQ(status_of(http10), 200) << http10.substr(0, 200);
}

TEST(Limits, SlowRequestGets408) {
    auto response = raw_exchange(kPort, "GET /v1/products HTTP/1.1\r\nHost: x\r\n");
    EXPECT_EQ(status_of(response), 408) << response.substr(0, 200);
}

TEST(Methods, HeadHasNoBody) {
    auto response = bijou::testing::request(kPort, http::verb::head, "/v1/collections");
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_TRUE(response.body().empty());
    EXPECT_FALSE(response[http::field::content_length].empty());
    EXPECT_NE(response[http::field::content_length], "0");
}

TEST(KeepAlive, ServesSeveralRequestsOnOneConnection) {
    std::string one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    auto response = raw_exchange(kPort, one + one + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    std::size_t count = 0;
    for (auto pos = response.find("HTTP/1.1 200"); pos != std::string::npos; pos = response.find("HTTP/1.1 200", pos + 1)) ++count;
    EXPECT_EQ(count, 3u);
}

TEST(Operations, OpenApiDocument) {
    auto response = get(kPort, "/openapi.json");
    ASSERT_EQ(response.result_int(), 200);
    auto document = json_body(response).as_object();
    EXPECT_EQ(document["openapi"].as_string(), "3.1.0");
    EXPECT_TRUE(document["paths"].as_object().contains("/v1/products"));
}

// Every operation of the contract reaches a route: none returns 405 or route_not_found.
// The placeholders are ids and slugs that exist nowhere, so handlers return 4xx of their own.
TEST(Operations, EveryOperationIsRouted) {
    auto document = json_body(get(kPort, "/openapi.json")).as_object();
    int checked = 0;
    for (const auto& [path, item] : document["paths"].as_object()) {
        if (std::string_view(path).starts_with("/media/")) continue;  // Missing files return route_not_found.
        std::string target(path);
        // The webhook route returns route_not_found for a provider that is not configured.
        if (auto at = target.find("{provider}"); at != std::string::npos) target.replace(at, 10, "sandbox");
        for (auto open = target.find('{'); open != std::string::npos; open = target.find('{')) {
            target.replace(open, target.find('}', open) - open + 1, "01900000-0000-7000-8000-000000000000");
        }
        for (const auto& [method, operation] : item.as_object()) {
            // An operation that documents 405 exists only in some configurations (the
            // form_post callback of a social-login provider).
            const auto* responses = operation.is_object() ? operation.as_object().if_contains("responses") : nullptr;
            if (responses != nullptr && responses->as_object().contains("405")) continue;
            std::string upper(method);
            for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            auto verb = http::string_to_verb(upper);
            if (verb == http::verb::unknown) continue;  // parameters, summary and the like
            bijou::testing::Headers headers;
            std::string body;
            if (verb == http::verb::post || verb == http::verb::patch) {
                headers.emplace_back("Content-Type", "application/json");
                body = "{}";
            }
            auto response = bijou::testing::request(kPort, verb, target, headers, body);
            EXPECT_NE(response.result_int(), 405) << upper << " " << target;
            if (response.result_int() == 404 && !response.body().empty()) {
                EXPECT_NE(json_body(response).as_object()["code"].as_string(), "route_not_found") << upper << " " << target;
            }
            ++checked;
        }
    }
    EXPECT_GT(checked, 40);
}

TEST(Operations, MediaFilesAndTraversal) {
    auto product = json_body(get(kPort, "/v1/products?limit=1")).as_object()["items"].as_array()[0].as_object();
    std::string url(product["image"].as_object()["url"].as_string());
    auto target = url.substr(url.find("/media/"));
    auto image = get(kPort, target);
    EXPECT_EQ(image.result_int(), 200);
    EXPECT_EQ(image[http::field::content_type], "image/svg+xml");
    EXPECT_EQ(get(kPort, "/media/../messages/en.json").result_int(), 404);
    EXPECT_EQ(get(kPort, "/media/products/%2E%2E/%2E%2E/products.json").result_int(), 404);
    EXPECT_EQ(get(kPort, "/media/nao-existe.svg").result_int(), 404);
}

TEST(Readiness, TurnsUnavailableWithoutRedis) {
    auto ready = get(kPort, "/readyz");
    ASSERT_EQ(ready.result_int(), 200) << ready.body();

    bijou::testing::set_redis_running(false);
    auto down = get(kPort, "/readyz");
    EXPECT_EQ(down.result_int(), 503);
    auto body = json_body(down).as_object();
    EXPECT_EQ(body["checks"].as_object()["redis"].as_string(), "unavailable");
    EXPECT_EQ(body["checks"].as_object()["postgresql"].as_string(), "ok");
    // The catalog does not need Redis and keeps serving.
    EXPECT_EQ(get(kPort, "/v1/products?limit=1").result_int(), 200);

    bijou::testing::set_redis_running(true);
    int status = 0;
    for (int attempt = 0; attempt < 50 && status != 200; ++attempt) {
        status = get(kPort, "/readyz").result_int();
        if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(status, 200);
}

TEST(Shutdown, ReportsNotReadyDuringShutdownDelay) {
    auto env = server_env;
    env["BIJOU_HTTP_SHUTDOWN_DELAY_MS"] = "1500";
    bijou::testing::ServerProcess extra(18087, env);
    ASSERT_EQ(get(18087, "/readyz").result_int(), 200);
    kill(extra.pid(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto during = get(18087, "/readyz");
    EXPECT_EQ(during.result_int(), 503);
    EXPECT_TRUE(json_body(during).as_object()["draining"].as_bool());
    EXPECT_EQ(get(18087, "/v1/collections").result_int(), 200);
    EXPECT_EQ(extra.stop(), 0);
}

TEST(Shutdown, SigtermDrainsAndExitsCleanly) {
    bijou::testing::ServerProcess extra(18083, server_env);
    ASSERT_EQ(get(18083, "/healthz").result_int(), 200);
    auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(extra.stop(), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}
