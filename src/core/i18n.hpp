#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace bijou {

// Languages the API speaks. Brazilian Portuguese is the default.
enum class Locale { pt_BR, en };

std::string_view locale_tag(Locale locale);

// Picks the locale for an Accept-Language header (RFC 9110): the highest-weighted range
// that matches Portuguese or English wins, and pt-BR is used when none does.
Locale negotiate_locale(std::string_view accept_language);

// Replaces each {name} in `text` with args[name]; unknown placeholders stay as written.
std::string format_message(std::string_view text, const std::map<std::string, std::string>& args);

// Client-facing texts from messages/pt-BR.json and messages/en.json, embedded at build time.
class Messages {
public:
    static const Messages& instance();

    std::string error_title(Locale locale, ErrorCode code) const;
    std::string error_detail(Locale locale, ErrorCode code,
                             const std::map<std::string, std::string>& args) const;
    std::string field_message(Locale locale, std::string_view reason,
                              const std::map<std::string, std::string>& args) const;

private:
    Messages();
    std::string lookup(Locale locale, std::string_view section, std::string_view key,
                       std::string_view part) const;

    // locale -> "section.key.part" -> text
    std::map<Locale, std::map<std::string, std::string, std::less<>>> texts_;
};

}  // namespace bijou
