// The front's filter chain and route metadata, through the real binary: the filter_probe test
// module (test/plugins/filter_plugin.cpp) adds an authentication filter (401 without an
// Authorization header), an RBAC filter (403 for writes without the role writer), and two
// filters that trace and report what ran and what the route said it was.
#include <catch2/catch.hpp>

#include <string>

#include "http_client.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

namespace {

const std::string kGadgets = "/tmf-api/probe/v4/gadget";
const Headers kWriter{{"Authorization", "Probe alice:reader,writer"}};
const Headers kReader{{"Authorization", "Probe bob:reader"}};

TmfdOptions probe_options() {
  TmfdOptions o;
  o.full_yaml = "server:\n  port: 0\nstorage:\n  path: $DIR/tmfd.db\n"
                "logging:\n  level: info\n  access_log: true\n"
                "plugins:\n  directory: " TMFD_TEST_PLUGIN_DIR "\n"
                "modules:\n  filter_probe: {}\n";
  return o;
}

Headers with(Headers h, const std::string& name, const std::string& value) {
  h.emplace_back(name, value);
  return h;
}

// What probe.report saw for METHOD TARGET (it answers before the handler runs).
boost::json::object report(HttpClient& c, const std::string& method, const std::string& target, Headers h = kWriter) {
  auto r = c.request(method, target, method == "POST" || method == "PATCH" ? "{}" : "", with(h, "X-Probe-Report", "1"));
  INFO(method << " " << target << ": " << r.body);
  REQUIRE(r.status == 200);
  return r.json().as_object();
}

std::string ran(const boost::json::object& report) {
  std::string out;
  for (const auto& f : report.at("ran").as_array()) out += std::string(f.as_string()) + " ";
  return out;
}

long total_gadgets(HttpClient& c) {
  auto r = c.request("GET", kGadgets + "?limit=0", "", kReader);
  REQUIRE(r.status == 200);
  return std::stol(r.header("x-total-count"));
}

void check_tmf_error(const HttpResponse& r, int status) {
  INFO(r.body);
  CHECK(r.status == status);
  auto o = r.json().as_object();
  CHECK(o.at("status").as_string() == std::to_string(status));
  CHECK(o.at("@type").as_string() == "Error");
  CHECK_FALSE(o.at("code").as_string().empty());
}

} // namespace

TEST_CASE("a filter refuses a request without credentials: 401 TMF error, and the handler never runs",
          "[http][filters]") {
  TmfdProcess p(probe_options());
  HttpClient c(p.port());
  auto refused = c.request("POST", kGadgets, R"({"name":"no credentials"})", {{"Content-Type", "application/json"}});
  check_tmf_error(refused, 401);
  CHECK(refused.header("www-authenticate") == "Probe");
  CHECK_FALSE(refused.header("x-correlation-id").empty());  // the front's own headers still apply
  CHECK(total_gadgets(c) == 0);                              // nothing was created

  // A reader is authenticated but may not create: 403 from the RBAC filter, still nothing created.
  auto forbidden = c.request("POST", kGadgets, R"({"name":"reader"})", with(kReader, "Content-Type", "application/json"));
  check_tmf_error(forbidden, 403);
  CHECK(total_gadgets(c) == 0);

  auto created = c.request("POST", kGadgets, R"({"name":"writer"})", with(kWriter, "Content-Type", "application/json"));
  CHECK(created.status == 201);
  CHECK(total_gadgets(c) == 1);

  // Malformed credentials: the filter throws ApiError, answered as its TMF body.
  check_tmf_error(c.request("GET", kGadgets, "", {{"Authorization", "Basic eHg6eHg="}}), 401);
  // Unknown paths are answered before any filter (no route, no metadata).
  CHECK(c.get("/tmf-api/probe/v4/nothing").status == 404);
}

TEST_CASE("the principal a filter sets reaches the handler, which sees every header", "[http][filters]") {
  TmfdProcess p(probe_options());
  HttpClient c(p.port());
  // Raw bytes: the test client would fold the repeated field into one.
  auto r = c.raw("GET /tmf-api/probe/v4/whoami HTTP/1.1\r\nHost: probe\r\n"
                 "Authorization: Probe carol:reader,auditor\r\nX-Mixed-Case: first\r\nx-mixed-case: second\r\n"
                 "X-Correlation-ID: filters-1\r\nAccept-Language: fr\r\nConnection: close\r\n\r\n");
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto o = r.json().as_object();
  const auto& principal = o.at("principal").as_object();
  CHECK(principal.at("subject").as_string() == "carol");
  CHECK(boost::json::serialize(principal.at("roles")) == R"(["reader","auditor"])");
  CHECK(o.at("correlationId").as_string() == "filters-1");
  // Every field in the order sent, repeated names included; looked up case-insensitively.
  std::string headers;
  for (const auto& h : o.at("headers").as_array())
    headers += std::string(h.as_array()[0].as_string()) + "=" + std::string(h.as_array()[1].as_string()) + ";";
  CHECK(headers == "Host=probe;Authorization=Probe carol:reader,auditor;X-Mixed-Case=first;x-mixed-case=second;"
                   "X-Correlation-ID=filters-1;Accept-Language=fr;Connection=close;");
  CHECK(o.at("lookup").as_string() == "first");

  // A principal does not outlive its request on a keep-alive connection.
  REQUIRE(c.request("GET", kGadgets, "", kWriter).status == 200);
  auto anonymous = report(c, "GET", "/health/live", {});
  CHECK(anonymous.at("principal").as_object().at("anonymous").as_bool());
}

TEST_CASE("filters run by order, then order of addition; public routes skip all but also_public ones",
          "[http][filters]") {
  TmfdProcess p(probe_options());
  HttpClient c(p.port());
  // Added rbac, authn, report, first: they run first, authn, rbac, report.
  CHECK(ran(report(c, "GET", kGadgets)) == "probe.first probe.authn probe.rbac ");
  for (const char* path : {"/health/live", "/health/ready", "/metrics"}) {
    INFO(path);
    auto r = report(c, "GET", path, {});
    CHECK(ran(r) == "probe.first ");
    CHECK(r.at("public").as_bool());
    // Without the report header the route answers, although no credentials were sent.
    CHECK(c.get(path).status == 200);
  }
  // The index of APIs and the hubs are not public.
  CHECK(c.get("/").status == 401);
  CHECK(c.get("/tmf-api/probe/v4/hub").status == 401);
}

TEST_CASE("filters see the route metadata of engine, kernel and module routes", "[http][filters]") {
  TmfdProcess p(probe_options());
  HttpClient c(p.port());
  auto seen = [&](const std::string& method, const std::string& target) {
    auto r = report(c, method, target);
    return std::string(r.at("api").as_string()) + "|" + std::string(r.at("kind").as_string()) + "|" +
           std::string(r.at("operation").as_string()) + "|" + (r.at("public").as_bool() ? "public" : "protected");
  };
  // The engine's routes of a kind.
  CHECK(seen("GET", kGadgets) == "probe|gadget|list|protected");
  CHECK(seen("POST", kGadgets) == "probe|gadget|create|protected");
  CHECK(seen("GET", kGadgets + "/g-1") == "probe|gadget|get|protected");
  CHECK(seen("PATCH", kGadgets + "/g-1") == "probe|gadget|patch|protected");
  CHECK(seen("DELETE", kGadgets + "/g-1") == "probe|gadget|delete|protected");
  // Kernel routes: the API's hub, health, metrics.
  CHECK(seen("POST", "/tmf-api/probe/v4/hub") == "probe|hub|create|protected");
  CHECK(seen("DELETE", "/tmf-api/probe/v4/hub/h-1") == "probe|hub|delete|protected");
  CHECK(seen("GET", "/health/ready") == "||health.ready|public");
  CHECK(seen("GET", "/metrics") == "||metrics|public");
  // Module routes: with metadata, and added the old way without.
  CHECK(seen("GET", "/tmf-api/probe/v4/whoami") == "probe||whoami|protected");
  CHECK(seen("GET", "/tmf-api/probe/v4/plain") == "|||protected");
}
