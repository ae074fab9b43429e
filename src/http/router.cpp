#include "http/router.hpp"

namespace bijou::http {

std::string_view PathParams::get(std::string_view name) const {
    for (const auto& [key, value] : values_) {
        if (key == name) return value;
    }
    return {};
}

std::optional<std::string> percent_decode_segment(std::string_view segment) {
    std::string out;
    out.reserve(segment.size());
    for (std::size_t i = 0; i < segment.size(); ++i) {
        char c = segment[i];
        if (c != '%') {
            out.push_back(c);
            continue;
        }
        if (i + 2 >= segment.size()) return std::nullopt;
        auto hex = [](char h) -> int {
            if (h >= '0' && h <= '9') return h - '0';
            if (h >= 'a' && h <= 'f') return h - 'a' + 10;
            if (h >= 'A' && h <= 'F') return h - 'A' + 10;
            return -1;
        };
        int high = hex(segment[i + 1]);
        int low = hex(segment[i + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        char decoded = static_cast<char>(high << 4 | low);
        if (decoded == '/' || decoded == '\0') return std::nullopt;
        out.push_back(decoded);
        i += 2;
    }
    return out;
}

}  // namespace bijou::http
