// HTTPS hub callbacks: the certificate is verified against the configured CA file, and the
// certificate must name the host the callback URL names. A TLS receiver (tls_endpoint.hpp) runs in
// the test process with a certificate made for the test by the openssl command.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <string>

#include <boost/json.hpp>

#include "http_client.hpp"
#include "timing.hpp"
#include "tls_endpoint.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
using namespace std::chrono_literals;

namespace {

// A self-signed certificate (its own CA) for the given subjectAltName, written to dir.
void make_certificate(const std::string& dir, const std::string& name, const std::string& alt_names) {
  const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=tmfd-test -keyout " + dir +
                          "/" + name + ".key -out " + dir + "/" + name + ".pem -addext subjectAltName=" +
                          alt_names + " >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
}

std::string delivery_yaml(const std::string& ca_file) {
  std::string y = "delivery:\n  allowed_callbacks: [\"127.0.0.1\", \"localhost\"]\n"
                  "  connections_per_subscription: 1\n  backoff_initial_ms: 20\n  backoff_max_ms: 100\n"
                  "  request_timeout_ms: 2000\n";
  if (!ca_file.empty()) y += "  ca_file: " + ca_file + "\n";
  return y;
}

std::string register_hub(HttpClient& client, const std::string& callback) {
  auto r = client.post_json("/tmf-api/party/v4/hub", boost::json::object{{"callback", callback}});
  REQUIRE(r.status == 201);
  return std::string(r.json().at("id").as_string());
}

void create_individual(HttpClient& client) {
  auto r = client.post_json("/tmf-api/party/v4/individual",
                            boost::json::object{{"givenName", "Ada"}, {"familyName", "Lovelace"}});
  REQUIRE(r.status == 201);
}

boost::json::object delivery_status(HttpClient& client, const std::string& hub) {
  auto r = client.get("/tmf-api/party/v4/hub/" + hub);
  REQUIRE(r.status == 200);
  return r.json().at("deliveryStatus").as_object();
}

} // namespace

TEST_CASE("https callbacks are verified against the configured CA and the URL's host", "[delivery][tls]") {
  const std::string certs = make_temp_dir();
  make_certificate(certs, "ip", "IP:127.0.0.1");
  make_certificate(certs, "named", "DNS:receiver.test");

  SECTION("a certificate from the configured CA, naming the host: delivered") {
    TlsEndpoint receiver(certs + "/ip.pem", certs + "/ip.key");
    TmfdProcess tmfd(TmfdOptions{delivery_yaml(certs + "/ip.pem")});
    HttpClient client(tmfd.port());
    auto hub = register_hub(client, "https://127.0.0.1:" + std::to_string(receiver.port()) + "/listener");
    create_individual(client);
    create_individual(client);
    CHECK(eventually([&] { return receiver.received() == 2; }, 20s));
    CHECK(delivery_status(client, hub).at("consecutiveFailures").as_int64() == 0);
  }

  SECTION("a certificate the system CAs do not vouch for: refused, retried, nothing delivered") {
    TlsEndpoint receiver(certs + "/ip.pem", certs + "/ip.key");
    TmfdProcess tmfd(TmfdOptions{delivery_yaml("")});
    HttpClient client(tmfd.port());
    auto hub = register_hub(client, "https://127.0.0.1:" + std::to_string(receiver.port()) + "/listener");
    create_individual(client);
    REQUIRE(eventually([&] { return delivery_status(client, hub).at("consecutiveFailures").as_int64() >= 2; }, 20s));
    auto status = delivery_status(client, hub);
    CHECK(std::string(status.at("lastError").as_string()).find("certificate") != std::string::npos);
    CHECK(status.at("deliveredCount").as_int64() == 0);
    CHECK(receiver.received() == 0);
  }

  SECTION("a trusted certificate for another host name: refused") {
    TlsEndpoint receiver(certs + "/named.pem", certs + "/named.key");
    TmfdProcess tmfd(TmfdOptions{delivery_yaml(certs + "/named.pem")});
    HttpClient client(tmfd.port());
    auto hub = register_hub(client, "https://127.0.0.1:" + std::to_string(receiver.port()) + "/listener");
    create_individual(client);
    REQUIRE(eventually([&] { return delivery_status(client, hub).at("consecutiveFailures").as_int64() >= 2; }, 20s));
    CHECK(receiver.received() == 0);
  }
  remove_temp_dir(certs);
}

TEST_CASE("an unreadable ca_file stops start-up with a message", "[delivery][tls]") {
  const std::string dir = make_temp_dir();
  std::string yaml = TmfdProcess::default_yaml(dir, true) + delivery_yaml(dir + "/missing.pem");
  std::ofstream(dir + "/bad.yaml") << yaml;
  auto [code, output] = run_tmfd("--config " + dir + "/bad.yaml");
  CHECK(code != 0);
  CHECK(output.find("ca_file") != std::string::npos);
  remove_temp_dir(dir);
}
