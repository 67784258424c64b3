#include "http/router.hpp"

#include <stdexcept>

#include "observability/metrics.hpp"
#include "resource/query.hpp"

namespace tmfd::http {

std::string_view to_string(Method m) noexcept {
  switch (m) {
  case Method::Get: return "GET";
  case Method::Post: return "POST";
  case Method::Patch: return "PATCH";
  case Method::Put: return "PUT";
  case Method::Delete: return "DELETE";
  case Method::Head: return "HEAD";
  case Method::Options: return "OPTIONS";
  case Method::Other: return "OTHER";
  }
  return "OTHER";
}

namespace {

// Calls f(segment) for each segment of "/a/b/c"; a trailing slash adds no empty segment.
template <class F> bool for_each_segment(std::string_view path, F&& f) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  while (!path.empty()) {
    auto slash = path.find('/');
    if (!f(path.substr(0, slash))) return false;
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return true;
}

} // namespace

Router::Router(observability::Metrics& metrics) : metrics_(metrics) {
  for (std::size_t i = 0; i < kMethods; ++i)
    unmatched_[i] = &metrics_.route("(unmatched)", std::string(to_string(static_cast<Method>(i))));
}

void Router::add(Method method, std::string pattern, Handler handler, RouteInfo info) {
  Node* node = &root_;
  std::vector<std::string> names;
  bool ok = for_each_segment(pattern, [&](std::string_view seg) {
    if (seg.empty()) return false;
    if (seg.front() == '{') {
      if (seg.size() < 3 || seg.back() != '}') return false;
      names.emplace_back(seg.substr(1, seg.size() - 2));
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
      return true;
    }
    auto it = node->exact.find(seg);
    if (it == node->exact.end()) it = node->exact.emplace(std::string(seg), std::make_unique<Node>()).first;
    node = it->second.get();
    return true;
  });
  if (!ok) throw std::invalid_argument("bad route pattern '" + pattern + "'");
  auto& slot = node->routes[static_cast<std::size_t>(method)];
  if (slot) throw std::invalid_argument("route added twice: " + std::string(to_string(method)) + " " + pattern);
  auto* rm = &metrics_.route(pattern, std::string(to_string(method)));
  slot = std::make_unique<Route>(Route{method, std::move(pattern), std::move(handler), rm, std::move(names), std::move(info)});
}

Router::Match Router::match(Method method, std::string_view path,
                            std::vector<std::pair<std::string, std::string>>& params) const {
  Match m;
  const Node* node = &root_;
  std::vector<std::string> values;
  bool ok = for_each_segment(path, [&](std::string_view seg) {
    if (seg.empty()) return false;
    if (auto it = node->exact.find(seg); it != node->exact.end()) {
      node = it->second.get();
      return true;
    }
    if (!node->param) return false;
    try {
      values.push_back(resource::percent_decode(seg));
    } catch (...) {
      return false;  // a malformed escape names no resource
    }
    node = node->param.get();
    return true;
  });
  if (!ok) return m;  // the root ("/") is a route like any other once one is added there
  if (const auto& r = node->routes[static_cast<std::size_t>(method)]) {
    m.route = r.get();
    for (std::size_t i = 0; i < values.size() && i < r->param_names.size(); ++i)
      params.emplace_back(r->param_names[i], std::move(values[i]));
    return m;
  }
  for (const auto& r : node->routes) {
    if (!r) continue;
    m.path_known = true;
    if (!m.allow.empty()) m.allow += ", ";
    m.allow += to_string(r->method);
  }
  return m;
}

} // namespace tmfd::http
