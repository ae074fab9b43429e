#include "mail/template.hpp"

#include <stdexcept>

#include "mail_templates.hpp"

namespace bijou::mail {

namespace {

std::string_view find_file(std::string_view file_name) {
    for (const auto& [name, text] : templates_files::entries) {
        if (name == file_name) return text;
    }
    return {};
}

// Replaces each {{key}}. With `html`, values are escaped, except the one named `raw_key`,
// which is markup already.
std::string substitute(std::string_view text, const std::map<std::string, std::string>& values, bool html,
                       std::string_view raw_key = {}) {
    std::string out;
    out.reserve(text.size() + 256);
    std::size_t position = 0;
    while (true) {
        auto open = text.find("{{", position);
        if (open == std::string_view::npos) break;
        auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) throw std::invalid_argument("unterminated placeholder in a mail template");
        out.append(text.substr(position, open - position));
        std::string key(text.substr(open + 2, close - open - 2));
        auto value = values.find(key);
        if (value == values.end()) throw std::invalid_argument("mail template placeholder without a value: " + key);
        out += html && key != raw_key ? escape_html(value->second) : value->second;
        position = close + 2;
    }
    out.append(text.substr(position));
    return out;
}

// Splits "subject: ...\n--- text\n...\n--- html\n..." into its three parts.
Content sections(std::string_view file, std::string_view name) {
    constexpr std::string_view kSubject = "subject: ";
    constexpr std::string_view kText = "\n--- text\n";
    constexpr std::string_view kHtml = "\n--- html\n";
    auto text_at = file.find(kText);
    auto html_at = file.find(kHtml);
    if (!file.starts_with(kSubject) || text_at == std::string_view::npos || html_at == std::string_view::npos ||
        html_at < text_at) {
        throw std::invalid_argument("mail template " + std::string(name) + " lacks its subject, text or html section");
    }
    Content content;
    content.subject = file.substr(kSubject.size(), text_at - kSubject.size());
    content.text = file.substr(text_at + kText.size(), html_at - text_at - kText.size());
    content.html = file.substr(html_at + kHtml.size());
    return content;
}

}  // namespace

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

Content render(std::string_view name, std::string_view locale, const std::map<std::string, std::string>& values) {
    std::string file_name = std::string(name) + "-" + std::string(locale) + ".mail";
    auto file = find_file(file_name);
    std::string_view used_locale = locale;
    if (file.empty()) {
        file = find_file(std::string(name) + "-pt-BR.mail");
        used_locale = "pt-BR";
    }
    if (file.empty()) throw std::invalid_argument("unknown mail template " + std::string(name));

    auto parts = sections(file, name);
    Content content;
    content.subject = substitute(parts.subject, values, false);
    content.text = substitute(parts.text, values, false);
    std::map<std::string, std::string> layout_values{{"lang", std::string(used_locale)},
                                                     {"subject", content.subject},
                                                     {"content", substitute(parts.html, values, true)}};
    content.html = substitute(find_file("layout.html"), layout_values, true, "content");
    return content;
}

}  // namespace bijou::mail
