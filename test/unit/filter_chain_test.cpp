// The front's filter chain: order, ties, public routes, the first answer wins, sealing.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "http/filter_chain.hpp"

using namespace tmfd::http;

namespace {

FilterSpec tracing(std::string name, int order, std::string* trace, bool also_public = false) {
  return {name, order, also_public, [name, trace](Request&, const RouteInfo&) -> std::optional<Response> {
            *trace += name + " ";
            return std::nullopt;
          }};
}

} // namespace

TEST_CASE("filters run by order, equal orders in the order they were added") {
  FilterChain chain;
  std::string trace;
  chain.add(tracing("rbac", filter_order::authorization, &trace));
  chain.add(tracing("authn", filter_order::authentication, &trace));
  chain.add(tracing("limit", filter_order::rate_limit, &trace));
  chain.add(tracing("authn2", filter_order::authentication, &trace));
  Request req;
  CHECK_FALSE(chain.run(req, RouteInfo{"party", "individual", "get", false}));
  CHECK(trace == "authn authn2 rbac limit ");

  trace.clear();
  chain.add(tracing("per-address", filter_order::rate_limit_by_address, &trace, true));
  CHECK_FALSE(chain.run(req, RouteInfo{"", "", "metrics", true}));
  CHECK(trace == "per-address ");  // public routes: only the filters added with also_public
}

TEST_CASE("the first filter that answers stops the chain; the principal it sets is seen later") {
  FilterChain chain;
  std::string trace;
  chain.add({"authn", filter_order::authentication, false, [](Request& r, const RouteInfo&) -> std::optional<Response> {
               r.context.principal.subject = "alice";
               return std::nullopt;
             }});
  chain.add({"deny", filter_order::authorization, false, [](Request& r, const RouteInfo& route) -> std::optional<Response> {
               if (route.operation == "delete") return Response::json(403, r.context.principal.subject);
               return std::nullopt;
             }});
  chain.add(tracing("after", filter_order::rate_limit, &trace));
  Request req;
  auto answer = chain.run(req, RouteInfo{"party", "individual", "delete", false});
  REQUIRE(answer);
  CHECK(answer->status == 403);
  CHECK(answer->body == "alice");
  CHECK(trace.empty());
}

TEST_CASE("a chain refuses filters without a name or function, and any once sealed") {
  FilterChain chain;
  std::string trace;
  CHECK_THROWS_AS(chain.add(FilterSpec{"", 0, false, {}}), std::invalid_argument);
  CHECK_THROWS_AS(chain.add(FilterSpec{"no function", 0, false, {}}), std::invalid_argument);
  chain.seal();
  CHECK_THROWS_AS(chain.add(tracing("late", 0, &trace)), std::logic_error);
}
