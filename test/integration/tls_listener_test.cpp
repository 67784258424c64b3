// The HTTPS listener (server.tls), over real sockets against the real binary, with a CA made at
// test time: handshakes that must work and those that must fail, client certificates naming the
// principal, a certificate reload on SIGHUP, and plain HTTP beside TLS.
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <string>

#include <boost/json.hpp>
#include <openssl/ssl.h>

#include "http_client.hpp"
#include "test_pki.hpp"
#include "timing.hpp"
#include "tls_client.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

// A folder with a CA and a server certificate for localhost, removed at the end.
struct Pki {
  std::string dir = make_temp_dir();
  TestCa ca{dir};
  IssuedCertificate server = ca.issue({.name = "server", .common_name = "tmfd-server"});
  ~Pki() { remove_temp_dir(dir); }
};

// A tmfd with a plain listener and a TLS one using `cert`; `tls_keys` are added to server.tls.
TmfdOptions tls_options(const IssuedCertificate& cert, const std::string& tls_keys = {}, bool probe = false) {
  TmfdOptions o;
  o.full_yaml = "server:\n  host: 127.0.0.1\n  port: 0\n  threads: 2\n"
                "  tls:\n    port: 0\n    certificate_file: " + cert.certificate_file +
                "\n    key_file: " + cert.key_file + "\n" + tls_keys +
                "storage:\n  path: $DIR/tmfd.db\n"
                "logging:\n  level: info\n  access_log: true\n";
  o.full_yaml += probe ? "plugins:\n  directory: " TMFD_TEST_PLUGIN_DIR "\nmodules:\n  filter_probe: {}\n"
                       : "plugins:\n  directory: " TMFD_PLUGIN_DIR "\nmodules:\n  party:\n    enabled: true\n";
  return o;
}

std::uint16_t tls_port(const TmfdProcess& p) {
  REQUIRE(p.ports().size() == 2);
  return p.ports()[1];
}

// A GET of /health/live over a new TLS connection: its status, or 0 when the handshake or the
// first exchange failed (with TLS 1.3 the server refuses a client certificate after the
// client's side of the handshake is done, so the refusal shows on the first read).
int health_status(std::uint16_t port, const TlsClientOptions& options, std::string* error = nullptr) {
  try {
    TlsConnection c(port, options);
    return c.get("/health/live").status;
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return 0;
  }
}

// The principal the filter probe saw on a public route (no authentication filter runs there).
boost::json::object principal_seen(TlsConnection& c) {
  auto r = c.get("/health/live", {{"X-Probe-Report", "1"}});
  INFO(r.body);
  REQUIRE(r.status == 200);
  return r.json().at("principal").as_object();
}

} // namespace

TEST_CASE("TLS: plain and HTTPS listeners side by side; a GET over a kept-alive TLS connection", "[tls]") {
  Pki pki;
  TmfdProcess p(tls_options(pki.server));
  REQUIRE(p.ports().size() == 2);
  CHECK(p.ports()[0] != p.ports()[1]);

  HttpClient plain(p.ports()[0]);
  auto created = plain.post_json("/tmf-api/party/v4/individual", {{"givenName", "Ada"}, {"familyName", "Lovelace"}});
  REQUIRE(created.status == 201);
  const std::string id(created.json().at("id").as_string());

  TlsConnection c(tls_port(p), {.ca_file = pki.ca.certificate_file()});
  CHECK(c.server_common_name() == "tmfd-server");
  CHECK(c.protocol() == "TLSv1.3");
  for (int i = 0; i < 3; ++i) {  // one connection, several requests
    auto r = c.get("/tmf-api/party/v4/individual/" + id);
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json().at("familyName").as_string() == "Lovelace");
  }
  // Plain HTTP on the TLS port gets no answer.
  CHECK(HttpClient(tls_port(p)).raw("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").status == 0);
}

TEST_CASE("TLS: TLS 1.2 with an ECDHE AEAD suite is served; TLS 1.1 is refused by the server", "[tls]") {
  Pki pki;
  TmfdProcess p(tls_options(pki.server));
  {
    TlsConnection c(tls_port(p), {.ca_file = pki.ca.certificate_file(), .min_version = TLS1_2_VERSION,
                                  .max_version = TLS1_2_VERSION});
    CHECK(c.protocol() == "TLSv1.2");
    CHECK(c.get("/health/live").status == 200);
  }
  std::string error;
  CHECK(health_status(tls_port(p), {.ca_file = pki.ca.certificate_file(), .min_version = TLS1_1_VERSION,
                                    .max_version = TLS1_1_VERSION},
                      &error) == 0);
  // The server's alert, not the client's own refusal to offer TLS 1.1.
  CHECK_THAT(error, Contains("protocol version"));
}

TEST_CASE("TLS: the client refuses an expired server certificate and one for another host", "[tls]") {
  Pki pki;
  SECTION("expired") {
    auto expired = pki.ca.issue({.name = "expired", .valid_from_seconds = -2 * 86400, .valid_until_seconds = -86400});
    TmfdProcess p(tls_options(expired));
    std::string error;
    CHECK(health_status(tls_port(p), {.ca_file = pki.ca.certificate_file()}, &error) == 0);
    CHECK_THAT(error, Contains("certificate verify failed"));
  }
  SECTION("wrong host name") {
    auto other = pki.ca.issue({.name = "other", .subject_alt_names = "DNS:other.example"});
    TmfdProcess p(tls_options(other));
    std::string error;
    CHECK(health_status(tls_port(p), {.ca_file = pki.ca.certificate_file(), .host_name = "localhost"}, &error) == 0);
    CHECK_THAT(error, Contains("certificate verify failed"));
    // The same certificate is good for the name it names.
    CHECK(health_status(tls_port(p), {.ca_file = pki.ca.certificate_file(), .host_name = "other.example"}) == 200);
  }
}

TEST_CASE("TLS: client certificates required: none or an untrusted one is refused; a good one names the principal",
          "[tls][mtls]") {
  Pki pki;
  auto alice = pki.ca.issue({.name = "alice", .common_name = "alice-service"});
  TestCa stranger_ca(pki.dir, "stranger");
  auto mallory = stranger_ca.issue({.name = "mallory", .common_name = "mallory"});
  TmfdProcess p(tls_options(pki.server,
                            "    client_certificates: require\n    client_ca_file: " + pki.ca.certificate_file() + "\n",
                            true));
  const auto port = tls_port(p);
  const std::string ca = pki.ca.certificate_file();

  CHECK(health_status(port, {.ca_file = ca}) == 0);
  CHECK(health_status(port, {.ca_file = ca, .certificate_file = mallory.certificate_file, .key_file = mallory.key_file}) == 0);
  TlsConnection c(port, {.ca_file = ca, .certificate_file = alice.certificate_file, .key_file = alice.key_file});
  auto principal = principal_seen(c);
  CHECK(principal.at("subject").as_string() == "alice-service");
  // The plain listener serves the same route with nobody as the principal.
  HttpClient plain(p.ports()[0]);
  auto r = plain.request("GET", "/health/live", "", {{"X-Probe-Report", "1"}});
  REQUIRE(r.status == 200);
  CHECK(r.json().at("principal").at("anonymous").as_bool());
}

TEST_CASE("TLS: client certificates optional: served without one (anonymous), named with one", "[tls][mtls]") {
  Pki pki;
  auto alice = pki.ca.issue({.name = "alice", .common_name = "alice-service"});
  TmfdProcess p(tls_options(pki.server,
                            "    client_certificates: optional\n    client_ca_file: " + pki.ca.certificate_file() +
                                "\n    client_subject_field: O\n",
                            true));
  const std::string ca = pki.ca.certificate_file();
  TlsConnection anonymous(tls_port(p), {.ca_file = ca});
  CHECK(principal_seen(anonymous).at("anonymous").as_bool());
  TlsConnection named(tls_port(p), {.ca_file = ca, .certificate_file = alice.certificate_file, .key_file = alice.key_file});
  // client_subject_field: O, the organisation the test CA writes in every certificate.
  CHECK(principal_seen(named).at("subject").as_string() == "tmfd tests");
}

TEST_CASE("TLS: SIGHUP serves a new certificate to new connections; open ones keep theirs; a bad one is not taken",
          "[tls][reload]") {
  Pki pki;
  TmfdProcess p(tls_options(pki.server));
  const auto port = tls_port(p);
  const TlsClientOptions trusting{.ca_file = pki.ca.certificate_file()};
  TlsConnection before(port, trusting);
  REQUIRE(before.server_common_name() == "tmfd-server");

  pki.ca.issue({.name = "server", .common_name = "tmfd-server-renewed"});  // over the same files
  REQUIRE(kill(p.pid(), SIGHUP) == 0);
  CHECK(eventually([&] { return TlsConnection(port, trusting).server_common_name() == "tmfd-server-renewed"; }, 10s));
  // The connection opened before the reload goes on, with the certificate it started with.
  CHECK(before.get("/health/live").status == 200);
  CHECK(before.server_common_name() == "tmfd-server");

  std::ofstream(pki.server.certificate_file) << "not a certificate\n";
  REQUIRE(kill(p.pid(), SIGHUP) == 0);
  CHECK(eventually([&] { return p.log_text().find("TLS certificate reload failed") != std::string::npos; }, 10s));
  TlsConnection after(port, trusting);
  CHECK(after.server_common_name() == "tmfd-server-renewed");
  CHECK(after.get("/health/live").status == 200);
  CHECK(before.get("/health/live").status == 200);
}

TEST_CASE("TLS: plain_http false leaves only the HTTPS listener; the port file lists it alone", "[tls]") {
  Pki pki;
  auto o = tls_options(pki.server);
  o.full_yaml.insert(o.full_yaml.find("  tls:"), "  plain_http: false\n");
  TmfdProcess p(o);
  REQUIRE(p.ports().size() == 1);
  CHECK(health_status(p.port(), {.ca_file = pki.ca.certificate_file()}) == 200);
}
