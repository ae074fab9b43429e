#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bijou {

// Every failure a client can see. Each value maps to one HTTP status in http_status()
// and to localized texts under the same name in messages/*.json.
enum class ErrorCode {
    // A query or path parameter has a wrong type, format or range; `errors[]` names it.
    invalid_parameter,
    // The request line, headers or body cannot be parsed at all.
    malformed_request,
    // The body is JSON but fields are missing, of the wrong type, out of range or unknown;
    // `errors[]` lists each one.
    validation_failed,
    // Login with an unknown e-mail or a wrong password. The response is the same for both.
    invalid_credentials,
    // The request needs a valid access token and has none, or an expired, revoked or
    // forged one. The response carries WWW-Authenticate.
    unauthorized,
    // A refresh token that is unknown, expired, revoked or already used.
    invalid_refresh_token,
    // An e-mail verification or password-reset token that is unknown, expired or already
    // used, or was sent to an address the account no longer has.
    invalid_email_token,
    // Registration with an e-mail address or CPF that another account has.
    account_exists,
    // Too many requests for one budget (login attempts per IP or per account, sign-ups per
    // IP). The response carries Retry-After with the seconds to wait.
    rate_limited,
    // An admin whose role lacks the permission an endpoint requires.
    permission_denied,
    // A cookie-authenticated request without an allowlisted Origin or without the matching
    // X-CSRF-Token header.
    csrf_rejected,
    // A cart change or checkout needs more units than are free. `available` is the number
    // of units the requester can still have.
    insufficient_stock,
    // The X-Cart-Token is malformed, unknown, or belongs to a cart that was merged or
    // checked out.
    cart_not_found,
    // No line with that id in the requester's cart.
    cart_item_not_found,
    // Social login with a provider name that the configuration does not define.
    oauth_provider_not_found,
    // A social-login callback whose `state` is unknown, already used or expired, belongs
    // to another provider, or comes without the browser cookie set when the login started.
    oauth_invalid_state,
    // The provider returned error=access_denied to the authorization request because the
    // customer declined, or the account to sign in to is locked.
    oauth_access_denied,
    // The provider returned another error to the authorization request, or a callback
    // `iss` parameter that is not its issuer.
    oauth_authorization_failed,
    // The provider's token endpoint rejected the authorization code: expired, already
    // used, or not issued for this PKCE verifier and redirect URI.
    oauth_code_rejected,
    // The ID token failed verification: signature, algorithm, key, issuer, audience,
    // expiry, issue time or nonce.
    oauth_invalid_id_token,
    // The provider did not report a verified e-mail address, so no account is linked or
    // created.
    oauth_email_unverified,
    // The provider's discovery document, JWKS or token endpoint is unreachable, too slow,
    // or returned something unusable.
    oauth_provider_unavailable,
    // A shipping quote or checkout for a cart that has no items.
    cart_empty,
    // No address with that id in the customer's address book.
    address_not_found,
    // A cart line whose product, variant or pendant was withdrawn from sale since it was
    // added; the customer must remove it before checking out.
    cart_item_unavailable,
    // POST /v1/checkout without an Idempotency-Key header (1 to 255 visible ASCII characters).
    idempotency_key_required,
    // An Idempotency-Key already used with another request body.
    idempotency_key_reused,
    // An Idempotency-Key whose first request is still running.
    idempotency_in_progress,
    // The payment provider is unreachable or failed; the order was cancelled and the cart
    // kept, so the checkout can be retried.
    payment_provider_unavailable,
    // No order with that id for the requester (another customer's order included).
    order_not_found,
    // No payment with that id.
    payment_not_found,
    // The order status cannot move to the requested one; `from` and `to` name both.
    invalid_status_transition,
    // A change that needs If-Match was sent without it.
    precondition_required,
    // If-Match names an older version of the resource than the current one.
    version_mismatch,
    // A payment webhook whose signature is missing, forged or too old. Nothing changed.
    webhook_signature_invalid,
    // No admin with that id.
    admin_not_found,
    // An admin with that e-mail address exists already.
    admin_exists,
    // An admin change that would lock the shop out: an owner changing their own role or
    // status, or the last active owner losing the role or being disabled. `errors[]` names
    // the field with the code own_access or last_owner.
    admin_change_refused,
    // No route matches the path.
    route_not_found,
    // The path exists but not for this method; the response carries `Allow`.
    method_not_allowed,
    // No active product has the requested slug.
    product_not_found,
    // No active collection has the requested slug.
    collection_not_found,
    // A body was sent with a Content-Type other than JSON.
    unsupported_media_type,
    // The body exceeds the route's limit.
    payload_too_large,
    // The request headers exceed the header limit.
    headers_too_large,
    // The client did not send the whole request within the read timeout.
    request_timeout,
    // A dependency (PostgreSQL, Redis) is unreachable or the server is shutting down.
    // Clients may retry.
    service_unavailable,
    // A bug or an unexpected failure; details go only to the log. Stays the last value,
    // so tests can walk every code.
    internal_error,
};

int http_status(ErrorCode code);
std::string_view code_name(ErrorCode code);

// One problem with one input field or parameter, rendered into `errors[]`.
struct FieldError {
    std::string field;
    // Machine-readable reason, also the key of the localized message under "fields".
    std::string code;
    // Values substituted into the localized message, such as {"min", "1"}.
    std::map<std::string, std::string> args;
};

// The exception that handlers and services throw for an expected failure. The client
// sees the localized texts for `code`; `log_detail` goes only to the log.
class ApiError : public std::runtime_error {
public:
    explicit ApiError(ErrorCode code, std::string log_detail = {},
                      std::map<std::string, std::string> args = {},
                      std::vector<FieldError> errors = {})
        : std::runtime_error(log_detail.empty() ? std::string(code_name(code)) : log_detail),
          code_(code), args_(std::move(args)), errors_(std::move(errors)) {}

    ErrorCode code() const noexcept { return code_; }
    const std::map<std::string, std::string>& args() const noexcept { return args_; }
    const std::vector<FieldError>& errors() const noexcept { return errors_; }

private:
    ErrorCode code_;
    std::map<std::string, std::string> args_;
    std::vector<FieldError> errors_;
};

// Builds the error for one bad query or path parameter.
ApiError invalid_parameter(std::string name, std::string reason,
                           std::map<std::string, std::string> args = {});

}  // namespace bijou
