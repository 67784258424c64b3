#include "delivery/callback_policy.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace tmfd::delivery {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::optional<std::uint32_t> parse_ipv4(std::string_view s) {
  in_addr a{};
  std::string text(s);
  if (inet_pton(AF_INET, text.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

bool valid_port(std::string_view p) {
  if (p.empty() || p.size() > 5) return false;
  if (!std::all_of(p.begin(), p.end(), [](unsigned char c) { return std::isdigit(c); })) return false;
  int v = std::stoi(std::string(p));
  return v > 0 && v <= 65535;
}

} // namespace

std::optional<CallbackUrl> parse_callback_url(std::string_view url, std::string& problem) {
  CallbackUrl out;
  out.text = std::string(url);
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7f) {
      problem = "must not contain spaces or control characters";
      return std::nullopt;
    }
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    problem = "must be an absolute http:// or https:// URL";
    return std::nullopt;
  }
  const auto scheme = lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    problem = "scheme '" + scheme + "' is not supported (http or https)";
    return std::nullopt;
  }
  out.tls = scheme == "https";
  auto rest = url.substr(scheme_end + 3);
  if (rest.find('#') != std::string_view::npos) {
    problem = "must not contain a fragment";
    return std::nullopt;
  }
  const auto path_start = rest.find_first_of("/?");
  auto authority = rest.substr(0, path_start);
  out.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (out.target.front() == '?') out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    problem = "must not contain user information";
    return std::nullopt;
  }
  std::string_view host, port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      problem = "has an unterminated IPv6 address";
      return std::nullopt;
    }
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        problem = "has a malformed host";
        return std::nullopt;
      }
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (host.empty()) {
    problem = "has no host";
    return std::nullopt;
  }
  if (!port.empty() && !valid_port(port)) {
    problem = "has an invalid port";
    return std::nullopt;
  }
  out.host = lower(host);
  out.port = port.empty() ? (out.tls ? "443" : "80") : std::string(port);
  return out;
}

CallbackPolicy::CallbackPolicy(const std::vector<std::string>& entries) {
  for (const auto& raw : entries) {
    Entry e;
    const auto slash = raw.find('/');
    if (slash != std::string::npos) {
      auto net = parse_ipv4(std::string_view(raw).substr(0, slash));
      const auto bits_text = raw.substr(slash + 1);
      if (!net || bits_text.empty() || bits_text.size() > 2 ||
          !std::all_of(bits_text.begin(), bits_text.end(), [](unsigned char c) { return std::isdigit(c); }) ||
          std::stoi(bits_text) > 32)
        throw std::invalid_argument("delivery.allowed_callbacks: '" + raw + "' is not an IPv4 CIDR");
      const int bits = std::stoi(bits_text);
      e.is_network = true;
      e.mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
      e.network = *net & e.mask;
    } else if (auto ip = parse_ipv4(raw)) {
      e.is_network = true;
      e.mask = ~std::uint32_t{0};
      e.network = *ip;
    } else {
      const auto colon = raw.rfind(':');
      // "host:port", but not a bare IPv6 literal (several colons).
      if (colon != std::string::npos && raw.find(':') == colon) {
        e.host = lower(std::string_view(raw).substr(0, colon));
        e.port = raw.substr(colon + 1);
        if (!valid_port(e.port)) throw std::invalid_argument("delivery.allowed_callbacks: '" + raw + "' has a bad port");
        if (auto ip = parse_ipv4(e.host)) {
          e.is_network = true;
          e.mask = ~std::uint32_t{0};
          e.network = *ip;
        }
      } else {
        e.host = lower(raw);
      }
      if (e.host.empty() && !e.is_network)
        throw std::invalid_argument("delivery.allowed_callbacks: empty entry");
    }
    entries_.push_back(std::move(e));
  }
}

bool CallbackPolicy::allowed_by_name(const CallbackUrl& url) const {
  for (const auto& e : entries_) {
    if (e.is_network || e.host.empty()) continue;
    if (!e.port.empty() && e.port != url.port) continue;
    if (e.host == url.host) return true;
    if (e.host.starts_with("*.")) {
      const std::string_view suffix = std::string_view(e.host).substr(1);  // ".example.com"
      if (url.host.size() > suffix.size() && url.host.ends_with(suffix)) return true;
    }
  }
  return false;
}

bool CallbackPolicy::allowed_by_network(std::string_view address, std::string_view port) const {
  auto ip = parse_ipv4(address);
  if (!ip) return false;
  for (const auto& e : entries_) {
    if (!e.is_network) continue;
    if (!e.port.empty() && e.port != port) continue;
    if ((*ip & e.mask) == e.network) return true;
  }
  return false;
}

bool CallbackPolicy::allows(const CallbackUrl& url) const {
  return allowed_by_name(url) || allowed_by_network(url.host, url.port);
}

bool CallbackPolicy::allows_address(const CallbackUrl& url, std::string_view address) const {
  // A host allowed by name is trusted to resolve where its owner says; an address literal or a
  // network entry is checked against what the connection will really reach.
  if (allowed_by_name(url)) return true;
  return allowed_by_network(address, url.port);
}

} // namespace tmfd::delivery
