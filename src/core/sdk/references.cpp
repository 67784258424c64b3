#include <tmfd/resources.hpp>

#include <algorithm>
#include <cctype>

namespace tmfd {

namespace {

bool iequal_prefix(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

// RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then "://" for a server.
bool absolute_url(std::string_view href) {
  const auto colon = href.find("://");
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(href[0]))) return false;
  return std::all_of(href.begin(), href.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

} // namespace

bool is_external_reference(const json::object& reference, std::string_view own_base_url) {
  const auto* href = reference.if_contains("href");
  if (!href || !href->is_string()) return false;
  const std::string_view h = href->get_string();
  if (!absolute_url(h)) return false;
  while (!own_base_url.empty() && own_base_url.back() == '/') own_base_url.remove_suffix(1);
  if (own_base_url.empty()) return true;
  // Own when it continues the base URL at a path boundary: http://tmfd:8080/... but not
  // http://tmfd:80801/...
  const bool own = iequal_prefix(h, own_base_url) && (h.size() == own_base_url.size() || h[own_base_url.size()] == '/');
  return !own;
}

} // namespace tmfd
