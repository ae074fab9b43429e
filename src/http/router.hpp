#pragma once

#include <boost/beast/http/verb.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bijou::http {

using Verb = boost::beast::http::verb;

// Values captured by {name} segments of a path template.
class PathParams {
public:
    void add(std::string_view name, std::string value) { values_.emplace_back(name, std::move(value)); }
    // Returns the captured value, or an empty view when the template has no such segment.
    std::string_view get(std::string_view name) const;

private:
    std::vector<std::pair<std::string_view, std::string>> values_;
};

// Matches a method and a path against templates such as /v1/products/{slug}.
// A {name} segment captures one non-empty, percent-decoded path segment; a final
// {name...} segment captures the rest of the path.
template <typename Target>
class Router {
public:
    struct Match {
        const Target* target = nullptr;
        PathParams params;
        // Set when the path matched but the method did not: the methods for `Allow`.
        std::vector<Verb> allowed;
    };

    void add(Verb method, std::string_view path_template, Target target) {
        routes_.push_back(Route{method, split(path_template), std::move(target)});
    }

    // Finds the route for `path` (without the query string). A HEAD request matches a GET
    // route. With no path match, `target` is null and `allowed` empty.
    Match match(Verb method, std::string_view path) const {
        Match result;
        auto segments = split(path);
        for (const auto& route : routes_) {
            PathParams params;
            if (!matches(route, segments, params)) continue;
            bool method_ok = route.method == method || (method == Verb::head && route.method == Verb::get);
            if (method_ok && result.target == nullptr) {
                result.target = &route.target;
                result.params = std::move(params);
            }
            result.allowed.push_back(route.method);
            if (route.method == Verb::get) result.allowed.push_back(Verb::head);
        }
        if (result.target != nullptr) result.allowed.clear();
        return result;
    }

private:
    struct Route {
        Verb method;
        std::vector<std::string> segments;
        Target target;
    };

    static std::vector<std::string> split(std::string_view path) {
        std::vector<std::string> segments;
        std::size_t start = path.starts_with('/') ? 1 : 0;
        while (start <= path.size()) {
            auto slash = path.find('/', start);
            auto end = slash == std::string_view::npos ? path.size() : slash;
            segments.emplace_back(path.substr(start, end - start));
            if (slash == std::string_view::npos) break;
            start = slash + 1;
        }
        return segments;
    }

    static bool matches(const Route& route, const std::vector<std::string>& segments, PathParams& params);

    std::vector<Route> routes_;
};

// Decodes %XX escapes in one path segment. Returns nullopt for a malformed escape, an
// encoded slash or a NUL byte.
std::optional<std::string> percent_decode_segment(std::string_view segment);

template <typename Target>
bool Router<Target>::matches(const Route& route, const std::vector<std::string>& segments, PathParams& params) {
    const auto& patterns = route.segments;
    bool rest = !patterns.empty() && patterns.back().ends_with("...}");
    if (rest ? segments.size() < patterns.size() : segments.size() != patterns.size()) return false;
    for (std::size_t i = 0; i < patterns.size(); ++i) {
        const auto& pattern = patterns[i];
        if (rest && i + 1 == patterns.size()) {
            // {name...} captures the remaining segments, each decoded, joined by '/'.
            std::string joined;
            for (std::size_t j = i; j < segments.size(); ++j) {
                auto decoded = percent_decode_segment(segments[j]);
                if (!decoded || decoded->empty()) return false;
                joined += (j == i ? "" : "/") + *decoded;
            }
            params.add(std::string_view(pattern).substr(1, pattern.size() - 5), std::move(joined));
            return true;
        }
        if (pattern.size() > 2 && pattern.front() == '{' && pattern.back() == '}') {
            auto decoded = percent_decode_segment(segments[i]);
            if (!decoded || decoded->empty()) return false;
            params.add(std::string_view(pattern).substr(1, pattern.size() - 2), std::move(*decoded));
        } else if (pattern != segments[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace bijou::http
