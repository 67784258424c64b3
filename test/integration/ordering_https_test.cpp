// The `http` executor over HTTPS: the endpoint's certificate is verified against
// modules.ordering.http_ca_file (or the system's CAs), and must name the URL's host. A TLS
// endpoint (tls_endpoint.hpp) runs in the test process with certificates of a CA made for the test.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "ordering_support.hpp"
#include "test_pki.hpp"
#include "tls_endpoint.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
using namespace tmfd::test::ordering;
using Catch::Matchers::Contains;

namespace {

// The demo plans with ss-static-ip's one step an https call to `url`, trusting `ca_file`.
TmfdOptions https_step_options(const std::string& url, const std::string& ca_file) {
  return ordering_options(demo_ordering_yaml(
      "100.64.0.0/10", "          provision: {executor: http, url: \"" + url + "\", max_attempts: 1, timeout_seconds: 5}\n",
      "    http_ca_file: " + ca_file + "\n"));
}

std::string last_note(HttpClient& c, const std::string& order_id) {
  const auto order = get_object(c, kProductOrders + "/" + order_id);
  return str(order.at("note").as_array().back().as_object(), "text");
}

} // namespace

TEST_CASE("an http step calls an https:// endpoint whose certificate chains to http_ca_file", "[ordering][tls]") {
  const std::string dir = make_temp_dir();
  TestCa ca(dir);
  const auto cert = ca.issue({.name = "endpoint"});
  TlsEndpoint endpoint(cert.certificate_file, cert.key_file, 200, R"({"characteristic":[{"name":"vlan","value":"2201"}]})");
  TmfdProcess p(https_step_options(endpoint.url("127.0.0.1", "/provision"), ca.certificate_file()));
  HttpClient c(p.port());
  const auto customer = new_customer(c);

  const auto id = str(place(c, order_of(customer, {"po-static-ip-addon"})), "id");
  REQUIRE(wait_for_state(c, id, "completed"));
  CHECK(endpoint.targets() == std::vector<std::string>{"/provision"});
  const auto services = as_array(c.get(kServices + "?serviceSpecification.id=ss-static-ip"));
  REQUIRE(services.size() == 1);
  CHECK(characteristic(services[0].as_object(), "serviceCharacteristic", "vlan") == json::value("2201"));
  remove_temp_dir(dir);
}

TEST_CASE("an https:// endpoint with a certificate tmfd does not trust, or for another host, fails the step", "[ordering][tls]") {
  const std::string dir = make_temp_dir();
  TestCa ca(dir), stranger(dir, "stranger");

  SECTION("signed by a CA that is not in http_ca_file") {
    const auto cert = stranger.issue({.name = "endpoint"});
    TlsEndpoint endpoint(cert.certificate_file, cert.key_file, 200, "{}");
    TmfdProcess p(https_step_options(endpoint.url("127.0.0.1", "/provision"), ca.certificate_file()));
    HttpClient c(p.port());
    const auto id = str(place(c, order_of(new_customer(c), {"po-static-ip-addon"})), "id");
    REQUIRE(wait_for_state(c, id, "failed"));
    CHECK(endpoint.targets().empty());  // nothing was sent to it
    // The endpoint sees the handshake fail once tmfd has given up on it, maybe a moment later.
    CHECK(eventually([&] { return endpoint.handshakes_refused() == 1; }, std::chrono::seconds(5)));
    CHECK_THAT(last_note(c, id), Contains("TLS handshake") && Contains("certificate"));
  }
  SECTION("trusted, but naming another host than the URL's") {
    const auto cert = ca.issue({.name = "elsewhere", .subject_alt_names = "DNS:provisioning.example"});
    TlsEndpoint endpoint(cert.certificate_file, cert.key_file, 200, "{}");
    TmfdProcess p(https_step_options(endpoint.url("127.0.0.1", "/provision"), ca.certificate_file()));
    HttpClient c(p.port());
    const auto id = str(place(c, order_of(new_customer(c), {"po-static-ip-addon"})), "id");
    REQUIRE(wait_for_state(c, id, "failed"));
    CHECK(endpoint.targets().empty());
    CHECK_THAT(last_note(c, id), Contains("TLS handshake"));
  }
  remove_temp_dir(dir);
}

TEST_CASE("an http_ca_file that cannot be read stops --check-config and start-up", "[ordering][tls][config]") {
  const std::string dir = make_temp_dir();
  const std::string config = dir + "/tmfd.yaml";
  std::ofstream(config) << replace_dir_placeholder(
      https_step_options("https://127.0.0.1:1/provision", dir + "/missing-ca.pem").full_yaml, dir);
  const auto [status, out] = run_tmfd("--check-config --config '" + config + "'");
  CHECK(status != 0);
  CHECK_THAT(out, Contains("modules.ordering.http_ca_file: cannot use '" + dir + "/missing-ca.pem'"));
  remove_temp_dir(dir);
}

TEST_CASE("a plan step's url must be http:// or https://", "[ordering][config]") {
  const std::string dir = make_temp_dir();
  const std::string config = dir + "/tmfd.yaml";
  std::ofstream(config) << replace_dir_placeholder(
      ordering_options(demo_ordering_yaml("100.64.0.0/10", "          provision: {executor: http, url: \"ftp://example.net/x\"}\n"))
          .full_yaml,
      dir);
  const auto [status, out] = run_tmfd("--check-config --config '" + config + "'");
  CHECK(status != 0);
  CHECK_THAT(out, Contains("modules.ordering.plans.ss-static-ip.steps.provision.url: must be an http:// or https:// URL"));
  remove_temp_dir(dir);
}
