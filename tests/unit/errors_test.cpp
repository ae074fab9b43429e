#include <gtest/gtest.h>

#include <vector>

#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "http/message.hpp"

using bijou::ApiError;
using bijou::ErrorCode;
using bijou::Locale;

namespace {

// Every code, from the first to internal_error, which the enum keeps last.
std::vector<ErrorCode> all_codes() {
    std::vector<ErrorCode> codes;
    for (int value = 0; value <= static_cast<int>(ErrorCode::internal_error); ++value) {
        codes.push_back(static_cast<ErrorCode>(value));
    }
    return codes;
}

}  // namespace

TEST(ErrorMapping, StatusPerCode) {
    EXPECT_EQ(bijou::http_status(ErrorCode::invalid_parameter), 400);
    EXPECT_EQ(bijou::http_status(ErrorCode::malformed_request), 400);
    EXPECT_EQ(bijou::http_status(ErrorCode::route_not_found), 404);
    EXPECT_EQ(bijou::http_status(ErrorCode::method_not_allowed), 405);
    EXPECT_EQ(bijou::http_status(ErrorCode::product_not_found), 404);
    EXPECT_EQ(bijou::http_status(ErrorCode::collection_not_found), 404);
    EXPECT_EQ(bijou::http_status(ErrorCode::request_timeout), 408);
    EXPECT_EQ(bijou::http_status(ErrorCode::payload_too_large), 413);
    EXPECT_EQ(bijou::http_status(ErrorCode::unsupported_media_type), 415);
    EXPECT_EQ(bijou::http_status(ErrorCode::headers_too_large), 431);
    EXPECT_EQ(bijou::http_status(ErrorCode::internal_error), 500);
    EXPECT_EQ(bijou::http_status(ErrorCode::validation_failed), 422);
    EXPECT_EQ(bijou::http_status(ErrorCode::invalid_credentials), 401);
    EXPECT_EQ(bijou::http_status(ErrorCode::unauthorized), 401);
    EXPECT_EQ(bijou::http_status(ErrorCode::invalid_refresh_token), 401);
    EXPECT_EQ(bijou::http_status(ErrorCode::invalid_email_token), 400);
    EXPECT_EQ(bijou::http_status(ErrorCode::account_exists), 409);
    EXPECT_EQ(bijou::http_status(ErrorCode::csrf_rejected), 403);
    EXPECT_EQ(bijou::http_status(ErrorCode::rate_limited), 429);
    EXPECT_EQ(bijou::http_status(ErrorCode::permission_denied), 403);
    EXPECT_EQ(bijou::http_status(ErrorCode::service_unavailable), 503);
    EXPECT_EQ(bijou::http_status(ErrorCode::oauth_provider_not_found), 404);
    EXPECT_EQ(bijou::http_status(ErrorCode::oauth_invalid_state), 400);
    EXPECT_EQ(bijou::http_status(ErrorCode::oauth_access_denied), 403);
    EXPECT_EQ(bijou::http_status(ErrorCode::oauth_authorization_failed), 400);
    EXPECT_EQ(bijou::http_status(ErrorCode::oauth_code_rejected), 400);
    EXPECT_EQ(bijou::http_status(ErrorCode::oauth_invalid_id_token), 401);
    EXPECT_EQ(bijou::http_status(ErrorCode::oauth_email_unverified), 403);
    EXPECT_EQ(bijou::http_status(ErrorCode::oauth_provider_unavailable), 502);
}

TEST(ErrorMapping, EveryCodeHasBothTranslations) {
    const auto& messages = bijou::Messages::instance();
    for (auto code : all_codes()) {
        auto name = std::string(bijou::code_name(code));
        auto portuguese = messages.error_title(Locale::pt_BR, code);
        auto english = messages.error_title(Locale::en, code);
        EXPECT_NE(portuguese, name) << name << " has no pt-BR title";
        EXPECT_NE(english, name) << name << " has no English title";
        EXPECT_NE(portuguese, english) << name;
        EXPECT_NE(messages.error_detail(Locale::en, code, {}), name) << name << " has no English detail";
    }
}

TEST(ErrorMapping, ProblemJsonInPortugueseByDefault) {
    bijou::http::Request request;
    request.request_id = "req-1";
    auto response = bijou::http::problem_response(request, bijou::invalid_parameter("limit", "out_of_range",
                                                                                    {{"min", "1"}, {"max", "100"}}));
    EXPECT_EQ(response.result_int(), 400);
    EXPECT_EQ(response[boost::beast::http::field::content_type], "application/problem+json");
    auto body = boost::json::parse(response.body()).as_object();
    EXPECT_EQ(body["status"].as_int64(), 400);
    EXPECT_EQ(body["code"].as_string(), "invalid_parameter");
    EXPECT_EQ(body["type"].as_string(), "/problems/invalid_parameter");
    EXPECT_EQ(body["title"].as_string(), "Parâmetro inválido");
    EXPECT_EQ(body["request_id"].as_string(), "req-1");
    EXPECT_NE(std::string(body["detail"].as_string()).find("limit"), std::string::npos);
    auto error = body["errors"].as_array().at(0).as_object();
    EXPECT_EQ(error["field"].as_string(), "limit");
    EXPECT_EQ(error["code"].as_string(), "out_of_range");
    EXPECT_EQ(error["message"].as_string(), "Deve ser um número inteiro entre 1 e 100.");
}

TEST(ErrorMapping, ProblemJsonInEnglish) {
    bijou::http::Request request;
    request.locale = Locale::en;
    auto response = bijou::http::problem_response(request, ApiError(ErrorCode::product_not_found, "", {{"slug", "x"}}));
    auto body = boost::json::parse(response.body()).as_object();
    EXPECT_EQ(body["title"].as_string(), "Product not found");
    EXPECT_EQ(body["detail"].as_string(), "No available product has the identifier \"x\".");
    EXPECT_FALSE(body.contains("errors"));
}

TEST(Locale, NegotiatesAcceptLanguage) {
    EXPECT_EQ(bijou::negotiate_locale(""), Locale::pt_BR);
    EXPECT_EQ(bijou::negotiate_locale("en"), Locale::en);
    EXPECT_EQ(bijou::negotiate_locale("en-US,en;q=0.9"), Locale::en);
    EXPECT_EQ(bijou::negotiate_locale("pt-BR,pt;q=0.9,en;q=0.8"), Locale::pt_BR);
    EXPECT_EQ(bijou::negotiate_locale("fr-FR, en;q=0.5"), Locale::en);
    EXPECT_EQ(bijou::negotiate_locale("en;q=0.3, pt;q=0.7"), Locale::pt_BR);
    EXPECT_EQ(bijou::negotiate_locale("de"), Locale::pt_BR);
    EXPECT_EQ(bijou::negotiate_locale("en;q=abc"), Locale::pt_BR);
}

TEST(Locale, FormatsPlaceholders) {
    EXPECT_EQ(bijou::format_message("entre {min} e {max}", {{"min", "1"}, {"max", "100"}}), "entre 1 e 100");
    EXPECT_EQ(bijou::format_message("{unknown} fica", {}), "{unknown} fica");
    EXPECT_EQ(bijou::format_message("sem chave {", {}), "sem chave {");
}

TEST(EntityTag, IfNoneMatchComparison) {
    auto tag = bijou::http::entity_tag("body");
    EXPECT_EQ(tag.front(), '"');
    EXPECT_NE(tag, bijou::http::entity_tag("other"));
    EXPECT_TRUE(bijou::http::if_none_match_hits(tag, tag));
    EXPECT_TRUE(bijou::http::if_none_match_hits("\"a\", W/" + tag, tag));
    EXPECT_TRUE(bijou::http::if_none_match_hits("*", tag));
    EXPECT_FALSE(bijou::http::if_none_match_hits("\"a\"", tag));
}
