#pragma once

#include "auth/social_login.hpp"
#include "http/pipeline.hpp"

namespace bijou::auth {

// Registers GET /v1/auth/oauth/{provider}/start and /v1/auth/oauth/{provider}/callback,
// and POST /v1/auth/oauth/NAME/callback for each provider whose response_mode is form_post.
void add_oauth_routes(http::Pipeline& pipeline, SocialLogin& social, const Config& config);

}  // namespace bijou::auth
