#include "ops/routes.hpp"

#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api_embedded.hpp"
#include "core/log.hpp"
#include "db_sql.hpp"

namespace bijou::ops {

namespace json = boost::json;

namespace {

const db::Statement kPing{"ops.ping", db::sql::k_ping};

json::value yaml_to_json(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map: {
            json::object object;
            for (const auto& entry : node) object[entry.first.as<std::string>()] = yaml_to_json(entry.second);
            return object;
        }
        case YAML::NodeType::Sequence: {
            json::array array;
            for (const auto& item : node) array.push_back(yaml_to_json(item));
            return array;
        }
        case YAML::NodeType::Scalar: {
            // Plain scalars keep YAML's types; quoted ones stay strings.
            const auto& text = node.Scalar();
            if (node.Tag() == "!") return json::string(text);
            if (text == "true") return true;
            if (text == "false") return false;
            if (text == "null" || text == "~") return nullptr;
            try {
                std::size_t used = 0;
                long long integer = std::stoll(text, &used);
                if (used == text.size()) return integer;
                double number = std::stod(text, &used);
                if (used == text.size()) return number;
            } catch (const std::exception&) {
            }
            return json::string(text);
        }
        default: return nullptr;
    }
}

std::string_view media_type(const std::filesystem::path& path) {
    auto extension = path.extension().string();
    if (extension == ".svg") return "image/svg+xml";
    if (extension == ".jpg" || extension == ".jpeg") return "image/jpeg";
    if (extension == ".png") return "image/png";
    if (extension == ".webp") return "image/webp";
    if (extension == ".avif") return "image/avif";
    return "application/octet-stream";
}

// Maps a storage key to a file under `root`, rejecting keys that could leave it.
std::optional<std::filesystem::path> media_path(const std::string& root, std::string_view key) {
    if (key.empty() || key.size() > 300 || key.front() == '/') return std::nullopt;
    std::filesystem::path relative(key);
    for (const auto& part : relative) {
        if (part == ".." || part == "." || part.empty()) return std::nullopt;
    }
    return std::filesystem::path(root) / relative;
}

}  // namespace

const std::string& openapi_json() {
    static const std::string document = [] {
        auto root = YAML::Load(std::string(api_files::k_openapi));
        return json::serialize(yaml_to_json(root));
    }();
    return document;
}

void add_routes(http::Pipeline& pipeline, Probes probes, const Config& config) {
    using http::Verb;

    pipeline.add(Verb::get, "/healthz", [](http::Request& request) -> boost::asio::awaitable<http::Response> {
        co_return http::json_response(request, R"({"status":"ok"})");
    });

    pipeline.add(Verb::get, "/readyz", [probes](http::Request& request) -> boost::asio::awaitable<http::Response> {
        std::string postgres = "ok";
        std::string redis = "ok";
        try {
            co_await probes.pool.query(kPing);
        } catch (const std::exception& error) {
            postgres = "unavailable";
            log::warn("readiness check failed", {{"dependency", "postgresql"}, {"error", error.what()}});
        }
        try {
            std::vector<std::string> ping{std::string("PING")};
            co_await probes.redis.command(std::move(ping));
        } catch (const std::exception& error) {
            redis = "unavailable";
            log::warn("readiness check failed", {{"dependency", "redis"}, {"error", error.what()}});
        }
        bool draining = probes.draining.load();
        bool ready = postgres == "ok" && redis == "ok" && !draining;
        json::object body{
            {"status", ready ? "ready" : "unavailable"},
            {"checks", json::object{{"postgresql", postgres}, {"redis", redis}}},
        };
        if (draining) body["draining"] = true;
        co_return http::json_response(request, json::serialize(body),
                                      ready ? http::Status::ok : http::Status::service_unavailable);
    });

    pipeline.add(Verb::get, "/openapi.json", [&config](http::Request& request) -> boost::asio::awaitable<http::Response> {
        auto response = http::json_response(request, openapi_json());
        http::make_cacheable(request, response, config.catalog.cache_max_age, "openapi");
        co_return response;
    });

    // Local filesystem object storage for development. Production serves media from S3
    // behind the CDN, so this route reads small files on the I/O thread.
    pipeline.add(Verb::get, "/media/{key...}", [&config](http::Request& request) -> boost::asio::awaitable<http::Response> {
        auto path = media_path(config.media_dir, request.params.get("key"));
        std::ifstream file;
        if (path && std::filesystem::is_regular_file(*path)) file.open(*path, std::ios::binary);
        if (!path || !file.is_open()) {
            throw ApiError(ErrorCode::route_not_found, "no media file", {{"path", request.path}});
        }
        std::ostringstream content;
        content << file.rdbuf();
        http::Response response{http::Status::ok, request.raw.version()};
        response.set(http::beast_http::field::content_type, media_type(*path));
        response.body() = content.str();
        http::make_cacheable(request, response, std::chrono::seconds(86'400), "media");
        co_return response;
    });
}

}  // namespace bijou::ops
