// A module for the filter-chain tests (built only for tests). It serves one resource kind
// (/tmf-api/probe/v4/gadget, through the engine) and two routes of its own, and adds four filters,
// on purpose in an order other than the one they run in:
//   probe.rbac    (authorization)  create/patch/delete of any kind need the role "writer": 403
//   probe.authn   (authentication) no Authorization header: 401 with WWW-Authenticate; else
//                                  "Probe SUBJECT:ROLE,ROLE" sets the principal; malformed: 401
//   probe.first   (order 0, also public)      starts this thread's trace of filters run
//   probe.report  (order 10000, also public)  with an X-Probe-Report header, answers 200 with
//                                  what it saw: the route's metadata, the filters that ran
//                                  before it, and the principal
// Each filter adds its name to the trace, so the report shows the order they ran in.
#include <algorithm>
#include <string>
#include <vector>

#include <tmfd/error.hpp>
#include <tmfd/json.hpp>
#include <tmfd/plugin.hpp>

namespace {

using namespace tmfd;

thread_local std::vector<std::string> trace;  // filters run synchronously on one I/O thread

const std::string kBase = "/tmf-api/probe/v4";

json::object principal_json(const Principal& p) {
  json::array roles;
  for (const auto& r : p.roles) roles.emplace_back(r);
  return json::object{{"subject", p.subject}, {"roles", roles}, {"anonymous", p.anonymous()}};
}

// "Probe alice:reader,writer" -> alice with two roles.
Principal parse_credentials(std::string_view value) {
  constexpr std::string_view scheme = "Probe ";
  if (!value.starts_with(scheme)) throw ApiError(401, "UNAUTHORIZED", "Unauthorized", "the Probe scheme is expected");
  value.remove_prefix(scheme.size());
  const auto colon = value.find(':');
  Principal p;
  p.subject = std::string(value.substr(0, colon));
  if (p.subject.empty()) throw ApiError(401, "UNAUTHORIZED", "Unauthorized", "no subject");
  for (auto rest = colon == std::string_view::npos ? std::string_view() : value.substr(colon + 1); !rest.empty();) {
    const auto comma = rest.find(',');
    p.roles.emplace_back(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return p;
}

class FilterProbe final : public Module {
public:
  void start(ModuleContext& ctx) override {
    ResourceKind gadget;
    gadget.api = "probe";
    gadget.base_path = kBase;
    gadget.collection = "gadget";
    gadget.type = "Gadget";
    ctx.resources().add(std::move(gadget));

    // Whoever the filters said asked, and every header the handler sees.
    ctx.routes().add(http::Method::Get, kBase + "/whoami", [](http::Request& req, http::Reply reply) {
      json::array headers;
      for (const auto& h : req.headers) headers.push_back(json::array{json::string(h.name), json::string(h.value)});
      json::object body{{"principal", principal_json(req.context.principal)},
                        {"headers", headers},
                        {"lookup", req.header("x-MIXED-case") ? json::value(*req.header("x-MIXED-case")) : json::value()},
                        {"correlationId", req.context.correlation_id}};
      reply(http::Response::json(200, json::serialize(body)));
    }, http::RouteInfo{"probe", "", "whoami", false});
    // A module route added the old way, without metadata.
    ctx.routes().add(http::Method::Get, kBase + "/plain", [](http::Request&, http::Reply reply) {
      reply(http::Response::json(200, "{}"));
    });

    ctx.add_filter({"probe.rbac", http::filter_order::authorization, false,
                    [](http::Request& req, const http::RouteInfo& route) -> std::optional<http::Response> {
                      trace.push_back("probe.rbac");
                      const bool writes = route.operation == "create" || route.operation == "patch" ||
                                          route.operation == "delete";
                      const auto& roles = req.context.principal.roles;
                      if (writes && std::find(roles.begin(), roles.end(), "writer") == roles.end())
                        throw ApiError(403, "FORBIDDEN", "Forbidden",
                                       "'" + route.operation + "' on " + route.kind + " needs the role writer");
                      return std::nullopt;
                    }});
    ctx.add_filter({"probe.authn", http::filter_order::authentication, false,
                    [](http::Request& req, const http::RouteInfo&) -> std::optional<http::Response> {
                      trace.push_back("probe.authn");
                      auto credentials = req.header("authorization");
                      if (!credentials) {
                        auto r = http::Response::json(
                            401, error_body(401, "UNAUTHORIZED", "Unauthorized", "credentials are required"));
                        r.headers.emplace_back("WWW-Authenticate", "Probe");
                        return r;
                      }
                      req.context.principal = parse_credentials(*credentials);
                      return std::nullopt;
                    }});
    ctx.add_filter({"probe.report", 10000, true,
                    [](http::Request& req, const http::RouteInfo& route) -> std::optional<http::Response> {
                      if (!req.header("X-Probe-Report")) return std::nullopt;
                      json::array ran;
                      for (const auto& t : trace) ran.emplace_back(t);
                      json::object body{{"api", route.api},
                                        {"kind", route.kind},
                                        {"operation", route.operation},
                                        {"public", route.is_public},
                                        {"ran", ran},
                                        {"principal", principal_json(req.context.principal)}};
                      return http::Response::json(200, json::serialize(body));
                    }});
    ctx.add_filter({"probe.first", 0, true, [](http::Request&, const http::RouteInfo&) -> std::optional<http::Response> {
                      trace.clear();
                      trace.push_back("probe.first");
                      return std::nullopt;
                    }});
  }
};

} // namespace

TMFD_PLUGIN("filter_probe", "1.0.0", FilterProbe, {nullptr})
