#pragma once

#include <map>
#include <string>
#include <string_view>

namespace bijou::mail {

// A message ready to be addressed: subject, plain-text body and HTML body.
struct Content {
    std::string subject;
    std::string text;
    std::string html;
};

// Renders templates/mail/<name>-<locale>.mail, falling back to pt-BR for a locale without
// its own file. `{{key}}` placeholders take the values given, HTML-escaped in the HTML
// part, which is then wrapped in templates/mail/layout.html.
// Throws std::invalid_argument for an unknown template or a placeholder without a value.
Content render(std::string_view name, std::string_view locale, const std::map<std::string, std::string>& values);

std::string escape_html(std::string_view text);

}  // namespace bijou::mail
