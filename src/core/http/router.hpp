#pragma once
// Routes requests by path segments: exact segments first, then one {param} segment per level.
// No regular expressions: matching is a walk down a small tree, one look-up per segment.
#include <array>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tmfd/http.hpp>

namespace tmfd::observability {
class Metrics;
struct RouteMetrics;
} // namespace tmfd::observability

namespace tmfd::http {

struct Route {
  Method method;
  std::string pattern;
  Handler handler;
  observability::RouteMetrics* metrics;
  std::vector<std::string> param_names;  // the names of this route's {param} segments, in order
  RouteInfo info;                        // declared by whoever added the route
};

class Router final : public RouteRegistry {
public:
  explicit Router(observability::Metrics& metrics);

  // Throws std::invalid_argument for an empty segment, a malformed {param} or a route added twice.
  void add(Method method, std::string pattern, Handler handler, RouteInfo info) override;
  using RouteRegistry::add;  // the overload without metadata

  struct Match {
    const Route* route = nullptr;  // null: see path_known
    bool path_known = false;       // the path exists with other methods (405), else 404
    std::string allow;             // the methods the path accepts, for the Allow header
  };
  // Fills `params` with {param} values (percent-decoded) when a route matches.
  Match match(Method method, std::string_view path,
              std::vector<std::pair<std::string, std::string>>& params) const;

  // Where requests that match no route are counted (label route="(unmatched)").
  observability::RouteMetrics* unmatched(Method method) const {
    return unmatched_[static_cast<std::size_t>(method)];
  }

private:
  static constexpr std::size_t kMethods = static_cast<std::size_t>(Method::Other) + 1;
  struct Node {
    std::map<std::string, std::unique_ptr<Node>, std::less<>> exact;
    std::unique_ptr<Node> param;
    std::array<std::unique_ptr<Route>, kMethods> routes{};
  };
  observability::Metrics& metrics_;
  std::array<observability::RouteMetrics*, kMethods> unmatched_{};
  Node root_;
};

} // namespace tmfd::http
