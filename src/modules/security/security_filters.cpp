#include "security_filters.hpp"

#include <cctype>
#include <chrono>

#include <tmfd/error.hpp>

namespace tmfd::security {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// RFC 6750 section 3: no error code when the request carried no token at all.
http::Response unauthorized(const std::string& realm, std::string_view description) {
  auto r = http::Response::json(
      401, error_body(401, "UNAUTHORIZED", "Unauthorized",
                      description.empty() ? "a bearer token is required" : std::string(description)));
  std::string challenge = "Bearer realm=\"" + realm + "\"";
  if (!description.empty()) challenge += ", error=\"invalid_token\", error_description=\"" + std::string(description) + "\"";
  r.headers.emplace_back("WWW-Authenticate", std::move(challenge));
  return r;
}

ApiError forbidden(std::string message) { return {403, "FORBIDDEN", "Forbidden", std::move(message)}; }

// The token of an `Authorization: Bearer <token>` header; nullopt without one.
std::optional<std::string_view> bearer_token(const http::Request& request) {
  auto h = request.header("Authorization");
  if (!h) return std::nullopt;
  std::string_view v = *h;
  if (v.size() < 7 || !iequals(v.substr(0, 6), "Bearer") || v[6] != ' ') return std::nullopt;
  v.remove_prefix(7);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}

std::string percent_encoded(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

bool engine_operation(std::string_view op) {
  return op == "list" || op == "get" || op == "create" || op == "patch" || op == "delete";
}

} // namespace

std::string api_of(const http::RouteInfo& route, std::string_view path) {
  if (!route.api.empty()) return route.api;
  constexpr std::string_view kTmfApi = "/tmf-api/";
  if (path.rfind(kTmfApi, 0) == 0) path.remove_prefix(kTmfApi.size());
  else if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return std::string(path.substr(0, path.find('/')));
}

std::string_view verb_of(std::string_view operation, http::Method method) {
  if (operation == "list" || operation == "get") return "read";
  if (operation == "create") return "create";
  if (operation == "patch" || operation == "replace" || operation == "update") return "update";
  if (operation == "delete") return "delete";
  // A named action: GET ones are reads too (e.g. listDeadLetters); others only by name.
  if (method == http::Method::Get || method == http::Method::Head) return "read";
  if (operation.empty()) {
    if (method == http::Method::Post) return "create";
    if (method == http::Method::Patch || method == http::Method::Put) return "update";
    if (method == http::Method::Delete) return "delete";
  }
  return {};
}

bool SecurityFilters::open(const http::RouteInfo& route) const {
  if (!route.is_public) return false;
  if (route.operation.rfind("health", 0) == 0) return !settings_.protect_health;
  if (route.operation == "metrics") return !settings_.protect_metrics;
  return true;  // a public route of some module: public as declared
}

std::optional<http::Response> SecurityFilters::authenticate(http::Request& request, const http::RouteInfo& route) const {
  if (open(route)) return std::nullopt;
  auto token = bearer_token(request);
  if (!token) return unauthorized(settings_.realm, {});
  auto verdict = validator_.validate(*token, now_seconds());
  if (auto* refusal = std::get_if<Refusal>(&verdict)) return unauthorized(settings_.realm, refusal->description);
  request.context.principal = std::get<std::shared_ptr<const Caller>>(verdict)->principal;
  return std::nullopt;
}

std::optional<http::Response> SecurityFilters::authorize(http::Request& request, const http::RouteInfo& route) const {
  if (open(route)) return std::nullopt;
  const std::string api = api_of(route, request.path);
  const auto verb = verb_of(route.operation, request.method);
  const Action action{api, route.kind, route.operation, verb};
  const auto decision = settings_.rules.decide(request.context.principal.roles, action);
  const std::string what = std::string(verb.empty() ? std::string_view(route.operation) : verb) + " on " + api +
                           "/" + route.kind;
  if (decision == Decision::Deny) throw forbidden("no role of the caller grants " + what);
  if (decision == Decision::Allow) return std::nullopt;
  // Only grants confined to the caller's own resources: the engine's routes apply the confinement;
  // other routes (hubs, module actions) cannot, so they are refused.
  if (!engine_operation(route.operation)) throw forbidden("the caller's grant for " + what + " is limited to its own resources");
  auto token = bearer_token(request);
  auto verdict = validator_.validate(token ? *token : std::string_view(), now_seconds());
  const auto* caller = std::get_if<std::shared_ptr<const Caller>>(&verdict);
  if (!caller || (*caller)->party_id.empty())
    throw forbidden("the caller's grant for " + what + " is limited to its own resources, and its token names no party");
  request.context.resource_filter = "relatedParty.id=" + percent_encoded((*caller)->party_id);
  return std::nullopt;
}

} // namespace tmfd::security
