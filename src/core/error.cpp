#include "core/error.hpp"

namespace bijou {

int http_status(ErrorCode code) {
    switch (code) {
        case ErrorCode::invalid_parameter: return 400;
        case ErrorCode::malformed_request: return 400;
        case ErrorCode::validation_failed: return 422;
        case ErrorCode::invalid_credentials: return 401;
        case ErrorCode::unauthorized: return 401;
        case ErrorCode::invalid_refresh_token: return 401;
        case ErrorCode::invalid_email_token: return 400;
        case ErrorCode::insufficient_stock: return 409;
        case ErrorCode::cart_not_found: return 404;
        case ErrorCode::cart_item_not_found: return 404;
        case ErrorCode::cart_empty: return 422;
        case ErrorCode::address_not_found: return 404;
        case ErrorCode::cart_item_unavailable: return 409;
        case ErrorCode::idempotency_key_required: return 400;
        case ErrorCode::idempotency_key_reused: return 422;
        case ErrorCode::idempotency_in_progress: return 409;
        case ErrorCode::payment_provider_unavailable: return 502;
        case ErrorCode::order_not_found: return 404;
        case ErrorCode::payment_not_found: return 404;
        case ErrorCode::invalid_status_transition: return 409;
        case ErrorCode::precondition_required: return 428;
        case ErrorCode::version_mismatch: return 412;
        case ErrorCode::webhook_signature_invalid: return 401;
        case ErrorCode::admin_not_found: return 404;
        case ErrorCode::admin_exists: return 409;
        case ErrorCode::admin_change_refused: return 409;
        case ErrorCode::account_exists: return 409;
        case ErrorCode::csrf_rejected: return 403;
        case ErrorCode::rate_limited: return 429;
        case ErrorCode::permission_denied: return 403;
        case ErrorCode::oauth_provider_not_found: return 404;
        case ErrorCode::oauth_invalid_state: return 400;
        case ErrorCode::oauth_access_denied: return 403;
        case ErrorCode::oauth_authorization_failed: return 400;
        case ErrorCode::oauth_code_rejected: return 400;
        case ErrorCode::oauth_invalid_id_token: return 401;
        case ErrorCode::oauth_email_unverified: return 403;
        case ErrorCode::oauth_provider_unavailable: return 502;
        case ErrorCode::route_not_found: return 404;
        case ErrorCode::method_not_allowed: return 405;
        case ErrorCode::product_not_found: return 404;
        case ErrorCode::collection_not_found: return 404;
        case ErrorCode::unsupported_media_type: return 415;
        case ErrorCode::payload_too_large: return 413;
        case ErrorCode::headers_too_large: return 431;
        case ErrorCode::request_timeout: return 408;
        case ErrorCode::service_unavailable: return 503;
        case ErrorCode::internal_error: return 500;
    }
    return 500;
}

std::string_view code_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::invalid_parameter: return "invalid_parameter";
        case ErrorCode::malformed_request: return "malformed_request";
        case ErrorCode::validation_failed: return "validation_failed";
        case ErrorCode::invalid_credentials: return "invalid_credentials";
        case ErrorCode::unauthorized: return "unauthorized";
        case ErrorCode::invalid_refresh_token: return "invalid_refresh_token";
        case ErrorCode::invalid_email_token: return "invalid_email_token";
        case ErrorCode::insufficient_stock: return "insufficient_stock";
        case ErrorCode::cart_not_found: return "cart_not_found";
        case ErrorCode::cart_item_not_found: return "cart_item_not_found";
        case ErrorCode::cart_empty: return "cart_empty";
        case ErrorCode::address_not_found: return "address_not_found";
        case ErrorCode::cart_item_unavailable: return "cart_item_unavailable";
        case ErrorCode::idempotency_key_required: return "idempotency_key_required";
        case ErrorCode::idempotency_key_reused: return "idempotency_key_reused";
        case ErrorCode::idempotency_in_progress: return "idempotency_in_progress";
        case ErrorCode::payment_provider_unavailable: return "payment_provider_unavailable";
        case ErrorCode::order_not_found: return "order_not_found";
        case ErrorCode::payment_not_found: return "payment_not_found";
        case ErrorCode::invalid_status_transition: return "invalid_status_transition";
        case ErrorCode::precondition_required: return "precondition_required";
        case ErrorCode::version_mismatch: return "version_mismatch";
        case ErrorCode::webhook_signature_invalid: return "webhook_signature_invalid";
        case ErrorCode::admin_not_found: return "admin_not_found";
        case ErrorCode::admin_exists: return "admin_exists";
        case ErrorCode::admin_change_refused: return "admin_change_refused";
        case ErrorCode::account_exists: return "account_exists";
        case ErrorCode::csrf_rejected: return "csrf_rejected";
        case ErrorCode::rate_limited: return "rate_limited";
        case ErrorCode::permission_denied: return "permission_denied";
        case ErrorCode::oauth_provider_not_found: return "oauth_provider_not_found";
        case ErrorCode::oauth_invalid_state: return "oauth_invalid_state";
        case ErrorCode::oauth_access_denied: return "oauth_access_denied";
        case ErrorCode::oauth_authorization_failed: return "oauth_authorization_failed";
        case ErrorCode::oauth_code_rejected: return "oauth_code_rejected";
        case ErrorCode::oauth_invalid_id_token: return "oauth_invalid_id_token";
        case ErrorCode::oauth_email_unverified: return "oauth_email_unverified";
        case ErrorCode::oauth_provider_unavailable: return "oauth_provider_unavailable";
        case ErrorCode::route_not_found: return "route_not_found";
        case ErrorCode::method_not_allowed: return "method_not_allowed";
        case ErrorCode::product_not_found: return "product_not_found";
        case ErrorCode::collection_not_found: return "collection_not_found";
        case ErrorCode::unsupported_media_type: return "unsupported_media_type";
        case ErrorCode::payload_too_large: return "payload_too_large";
        case ErrorCode::headers_too_large: return "headers_too_large";
        case ErrorCode::request_timeout: return "request_timeout";
        case ErrorCode::service_unavailable: return "service_unavailable";
        case ErrorCode::internal_error: return "internal_error";
    }
    return "internal_error";
}

ApiError invalid_parameter(std::string name, std::string reason,
                           std::map<std::string, std::string> args) {
    std::string log_detail = "invalid parameter " + name + ": " + reason;
    std::map<std::string, std::string> detail_args{{"parameter", name}};
    return ApiError(ErrorCode::invalid_parameter, std::move(log_detail), std::move(detail_args),
                    {FieldError{std::move(name), std::move(reason), std::move(args)}});
}

}  // namespace bijou
