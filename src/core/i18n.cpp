#include "core/i18n.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <stdexcept>

#include "messages_embedded.hpp"

namespace bijou {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// Parses the weight of one language range ("q=0.8"); a malformed weight counts as 0.
double parse_weight(std::string_view params) {
    while (!params.empty()) {
        auto semicolon = params.find(';');
        auto param = trim(params.substr(0, semicolon));
        params = semicolon == std::string_view::npos ? std::string_view{} : params.substr(semicolon + 1);
        if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
            try {
                double weight = std::stod(std::string(param.substr(2)));
                return weight >= 0.0 && weight <= 1.0 ? weight : 0.0;
            } catch (const std::exception&) {
                return 0.0;
            }
        }
    }
    return 1.0;
}

void flatten(const boost::json::object& object, const std::string& prefix,
             std::map<std::string, std::string, std::less<>>& out) {
    for (const auto& [key, value] : object) {
        std::string path = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
        if (value.is_object()) {
            flatten(value.as_object(), path, out);
        } else if (value.is_string()) {
            out[path] = std::string(value.as_string());
        }
    }
}

}  // namespace

std::string_view locale_tag(Locale locale) {
    return locale == Locale::en ? "en" : "pt-BR";
}

Locale negotiate_locale(std::string_view header) {
    Locale best = Locale::pt_BR;
    double best_weight = 0.0;
    while (!header.empty()) {
        auto comma = header.find(',');
        auto item = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);

        auto semicolon = item.find(';');
        std::string range = lower(trim(item.substr(0, semicolon)));
        double weight = semicolon == std::string_view::npos ? 1.0 : parse_weight(item.substr(semicolon + 1));
        if (weight <= best_weight) continue;

        if (range == "pt" || range.starts_with("pt-")) {
            best = Locale::pt_BR;
            best_weight = weight;
        } else if (range == "en" || range.starts_with("en-")) {
            best = Locale::en;
            best_weight = weight;
        }
    }
    return best;
}

std::string format_message(std::string_view text, const std::map<std::string, std::string>& args) {
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto open = text.find('{', pos);
        if (open == std::string_view::npos) break;
        auto close = text.find('}', open);
        if (close == std::string_view::npos) break;
        out.append(text.substr(pos, open - pos));
        auto name = std::string(text.substr(open + 1, close - open - 1));
        auto found = args.find(name);
        out.append(found != args.end() ? std::string_view(found->second) : text.substr(open, close - open + 1));
        pos = close + 1;
    }
    out.append(text.substr(pos));
    return out;
}

const Messages& Messages::instance() {
    static const Messages messages;
    return messages;
}

Messages::Messages() {
    for (const auto& [file, text] : messages_files::entries) {
        Locale locale = file == "en.json" ? Locale::en : Locale::pt_BR;
        auto parsed = boost::json::parse(text);
        flatten(parsed.as_object(), "", texts_[locale]);
    }
}

std::string Messages::lookup(Locale locale, std::string_view section, std::string_view key,
                             std::string_view part) const {
    std::string path = std::string(section) + "." + std::string(key);
    if (!part.empty()) path += "." + std::string(part);
    for (Locale candidate : {locale, Locale::pt_BR}) {
        auto table = texts_.find(candidate);
        if (table == texts_.end()) continue;
        auto found = table->second.find(path);
        if (found != table->second.end()) return found->second;
    }
    return std::string(key);
}

std::string Messages::error_title(Locale locale, ErrorCode code) const {
    return lookup(locale, "errors", code_name(code), "title");
}

std::string Messages::error_detail(Locale locale, ErrorCode code,
                                   const std::map<std::string, std::string>& args) const {
    return format_message(lookup(locale, "errors", code_name(code), "detail"), args);
}

std::string Messages::field_message(Locale locale, std::string_view reason,
                                    const std::map<std::string, std::string>& args) const {
    return format_message(lookup(locale, "fields", reason, ""), args);
}

}  // namespace bijou
