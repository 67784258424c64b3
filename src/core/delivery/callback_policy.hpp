#pragma once
// Which callback URLs hubs may use. A hub callback makes tmfd send requests wherever a client
// says: left open, that is a server-side request forgery path into the operator's network. So
// every callback must name a host on the configured allow list, and the address it resolves to is
// checked again when tmfd connects (an allowed network entry cannot be bypassed with DNS).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tmfd::delivery {

struct CallbackUrl {
  bool tls = false;
  std::string host;    // without brackets for IPv6 literals
  std::string port;    // always set: 80/443 when the URL has none
  std::string target;  // path and query, at least "/"
  std::string text;    // the URL as registered
};

// Parses http:// and https:// URLs. Returns nullopt (with `problem` set) for anything else:
// other schemes, user info, fragments, empty hosts, bad ports, spaces or control characters.
std::optional<CallbackUrl> parse_callback_url(std::string_view url, std::string& problem);

class CallbackPolicy {
public:
  // Entries: "host", "host:port", "*.example.com" (any subdomain) or an IPv4 CIDR "10.0.0.0/8"
  // (a bare IP address is a /32). Throws std::invalid_argument naming a malformed entry.
  explicit CallbackPolicy(const std::vector<std::string>& entries);

  // At registration: does the URL's host (and port) match an entry by name or address?
  bool allows(const CallbackUrl& url) const;
  // At connection: may tmfd connect to `address` (as resolved) for this URL? True when the URL
  // was allowed by host name, or `address` lies in an allowed network.
  bool allows_address(const CallbackUrl& url, std::string_view address) const;

private:
  struct Entry {
    std::string host;          // lower case; "*.suffix" keeps the leading "*."
    std::string port;          // empty: any
    std::uint32_t network = 0; // IPv4 entries
    std::uint32_t mask = 0;
    bool is_network = false;
  };
  bool allowed_by_name(const CallbackUrl& url) const;
  bool allowed_by_network(std::string_view address, std::string_view port) const;
  std::vector<Entry> entries_;
};

} // namespace tmfd::delivery
