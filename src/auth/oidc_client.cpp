#include "auth/oidc_client.hpp"

#include <sodium.h>

#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "core/error.hpp"
#include "core/log.hpp"

namespace bijou::auth {

namespace json = boost::json;

namespace {

constexpr std::chrono::hours kMetadataTtl{1};
constexpr std::chrono::hours kKeysTtl{1};
// Minimum time between two JWKS fetches caused by an unknown `kid`.
constexpr std::chrono::seconds kKeysRefetchFloor{60};
// Discovery documents and JWK Sets of the large providers are a few kilobytes.
constexpr std::size_t kMaxDocumentBytes = 256 * 1024;

std::string form_encode(std::string_view text) {
    return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string base64_standard(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);
    return out;
}

std::optional<std::string> string_member(const json::value& document, std::string_view name) {
    const auto* object = document.if_object();
    const auto* value = object == nullptr ? nullptr : object->if_contains(name);
    if (value == nullptr || !value->is_string()) return std::nullopt;
    return std::string(value->as_string());
}

bool lists(const json::value& document, std::string_view name, std::string_view entry) {
    const auto* object = document.if_object();
    const auto* value = object == nullptr ? nullptr : object->if_contains(name);
    if (value == nullptr || !value->is_array()) return false;
    for (const auto& item : value->as_array()) {
        if (item.is_string() && item.as_string() == entry) return true;
    }
    return false;
}

std::string without_trailing_slash(std::string url) {
    while (url.ends_with('/')) url.pop_back();
    return url;
}

}  // namespace

OidcClient::OidcClient(const OAuthProviderConfig& provider, net::HttpFetcher& fetcher, const Config& config)
    : provider_(provider), fetcher_(fetcher), config_(config) {}

boost::asio::awaitable<json::value> OidcClient::fetch_json(const net::FetchRequest& request, std::string_view document_name) {
    net::FetchResponse response;
    try {
        response = co_await fetcher_.fetch(request);
    } catch (const net::FetchError& error) {
        throw ApiError(ErrorCode::oauth_provider_unavailable,
                       provider_.name + " " + std::string(document_name) + " fetch failed: " + error.what(), {{"provider", provider_.name}});
    }
    if (response.status != 200) {
        throw ApiError(ErrorCode::oauth_provider_unavailable,
                       provider_.name + " " + std::string(document_name) + " returned HTTP " + std::to_string(response.status),
                       {{"provider", provider_.name}});
    }
    boost::system::error_code ec;
    auto document = json::parse(response.body, ec);
    if (ec || !document.is_object()) {
        throw ApiError(ErrorCode::oauth_provider_unavailable, provider_.name + " " + std::string(document_name) + " is not a JSON object",
                       {{"provider", provider_.name}});
    }
    co_return document;
}

boost::asio::awaitable<std::shared_ptr<const ProviderMetadata>> OidcClient::metadata() {
    if (metadata_ && Clock::now() - metadata_fetched_at_ < kMetadataTtl) co_return metadata_;

    net::FetchRequest request;
    request.url = without_trailing_slash(provider_.issuer) + "/.well-known/openid-configuration";
    request.timeout = config_.oauth.http_timeout;
    request.max_response_bytes = kMaxDocumentBytes;
    auto document = co_await fetch_json(request, "discovery");

    auto unusable = [&](const std::string& reason) {
        return ApiError(ErrorCode::oauth_provider_unavailable, provider_.name + " discovery: " + reason,
                        {{"provider", provider_.name}});
    };
    // OpenID Connect Discovery 1.0 section 4.3: the document must name the issuer it was
    // fetched for, or a provider could speak for another.
    if (string_member(document, "issuer") != provider_.issuer) throw unusable("issuer differs from " + provider_.issuer);
    auto metadata = std::make_shared<ProviderMetadata>();
    std::pair<const char*, std::string*> endpoints[] = {
        {"authorization_endpoint", &metadata->authorization_endpoint},
        {"token_endpoint", &metadata->token_endpoint},
        {"jwks_uri", &metadata->jwks_uri},
    };
    bool https_only = config_.env == "production";
    for (auto& [name, target] : endpoints) {
        auto url = string_member(document, name);
        if (!url || !(url->starts_with("https://") || (!https_only && url->starts_with("http://")))) {
            throw unusable(std::string(name) + (https_only ? " missing or not https" : " missing or not http(s)"));
        }
        *target = *url;
    }
    metadata->secret_in_body = !lists(document, "token_endpoint_auth_methods_supported", "client_secret_basic") &&
                               lists(document, "token_endpoint_auth_methods_supported", "client_secret_post");
    metadata_ = metadata;
    metadata_fetched_at_ = Clock::now();
    co_return metadata_;
}

boost::asio::awaitable<std::shared_ptr<const std::vector<PublicJwk>>> OidcClient::signing_keys(bool after_unknown_kid) {
    auto age = Clock::now() - keys_fetched_at_;
    bool stale = !keys_ || age >= kKeysTtl || (after_unknown_kid && age >= kKeysRefetchFloor);
    if (!stale) co_return keys_;

    auto endpoints = co_await metadata();
    net::FetchRequest request;
    request.url = endpoints->jwks_uri;
    request.timeout = config_.oauth.http_timeout;
    request.max_response_bytes = kMaxDocumentBytes;
    try {
        auto document = co_await fetch_json(request, "JWKS");
        auto keys = std::make_shared<const std::vector<PublicJwk>>(parse_jwks(document));
        if (keys->empty()) throw ApiError(ErrorCode::oauth_provider_unavailable, provider_.name + " JWKS has no usable signing key");
        keys_ = keys;
        keys_fetched_at_ = Clock::now();
    } catch (const ApiError& error) {
        // Keys that verified before are better than none while the provider is down.
        if (!keys_) throw;
        log::warn("keeping cached provider keys after a failed JWKS fetch", {{"provider", provider_.name}, {"error", error.what()}});
        keys_fetched_at_ = Clock::now();
    }
    co_return keys_;
}

boost::asio::awaitable<std::string> OidcClient::exchange_code(const std::string& code, const std::string& code_verifier,
                                                              const std::string& redirect_uri) {
    auto endpoints = co_await metadata();
    net::FetchRequest request;
    request.url = endpoints->token_endpoint;
    request.timeout = config_.oauth.http_timeout;
    request.max_response_bytes = kMaxDocumentBytes;
    std::string form = "grant_type=authorization_code&code=" + form_encode(code) +
                       "&redirect_uri=" + form_encode(redirect_uri) + "&code_verifier=" + form_encode(code_verifier);
    if (endpoints->secret_in_body) {
        form += "&client_id=" + form_encode(provider_.client_id) + "&client_secret=" + form_encode(provider_.client_secret);
    } else {
        // RFC 6749 section 2.3.1: both parts are form-encoded before the Basic encoding.
        request.headers.push_back("Authorization: Basic " +
                                  base64_standard(form_encode(provider_.client_id) + ":" + form_encode(provider_.client_secret)));
    }
    request.form_body = std::move(form);

    net::FetchResponse response;
    try {
        response = co_await fetcher_.fetch(request);
    } catch (const net::FetchError& error) {
        throw ApiError(ErrorCode::oauth_provider_unavailable, provider_.name + " token request failed: " + error.what(),
                       {{"provider", provider_.name}});
    }
    boost::system::error_code ec;
    auto document = json::parse(response.body, ec);
    if (ec) document = nullptr;
    if (response.status == 400 && string_member(document, "error") == "invalid_grant") {
        throw ApiError(ErrorCode::oauth_code_rejected, provider_.name + " token endpoint: invalid_grant",
                       {{"provider", provider_.name}});
    }
    if (response.status != 200) {
        // invalid_client and the like mean our configuration is wrong, which the operator
        // must see in the error log.
        throw ApiError(ErrorCode::oauth_provider_unavailable,
                       provider_.name + " token endpoint returned HTTP " + std::to_string(response.status) + " " +
                           string_member(document, "error").value_or("without an error code"),
                       {{"provider", provider_.name}});
    }
    auto id_token = string_member(document, "id_token");
    if (!id_token) {
        throw ApiError(ErrorCode::oauth_provider_unavailable, provider_.name + " token response has no id_token",
                       {{"provider", provider_.name}});
    }
    co_return *id_token;
}

boost::asio::awaitable<VerifiedIdToken> OidcClient::verify(const std::string& id_token, const std::string& nonce) {
    IdTokenExpectations expected;
    expected.issuer = provider_.issuer;
    expected.client_id = provider_.client_id;
    expected.nonce = nonce;
    auto keys = co_await signing_keys(false);
    auto verified = verify_id_token(id_token, *keys, expected);
    if (verified.error == IdTokenError::unknown_key) {
        keys = co_await signing_keys(true);
        expected.now = std::chrono::system_clock::now();
        verified = verify_id_token(id_token, *keys, expected);
    }
    co_return verified;
}

}  // namespace bijou::auth
