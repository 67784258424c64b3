// The `http` executor over HTTPS: the endpoint's certificate is verified against
// modules.ordering.http_ca_file (or the system's CAs), and must name the URL's host. A TLS
// endpoint runs in the test process with certificates of a CA made for the test.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "ordering_support.hpp"
#include "test_pki.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
using namespace tmfd::test::ordering;
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Catch::Matchers::Contains;

namespace {

// Accepts TLS connections one at a time; answers every request 200 with `answer`, and keeps the
// target of each request it read.
class TlsEndpoint {
public:
  TlsEndpoint(const IssuedCertificate& cert, std::string answer)
      : answer_(std::move(answer)), tls_(asio::ssl::context::tls_server),
        acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    tls_.use_certificate_chain_file(cert.certificate_file);
    tls_.use_private_key_file(cert.key_file, asio::ssl::context::pem);
    thread_ = std::thread([this] { run(); });
  }
  ~TlsEndpoint() {
    stopping_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    tcp::socket poke(io_);  // unblocks accept()
    poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ignored);
    thread_.join();
  }
  std::string url(const std::string& host, const std::string& path) const {
    return "https://" + host + ":" + std::to_string(port_) + path;
  }
  std::vector<std::string> targets() const {
    std::lock_guard lock(mutex_);
    return targets_;
  }
  int handshakes_refused() const { return refused_.load(); }

private:
  void run() {
    while (!stopping_) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      asio::ssl::stream<tcp::socket> stream(std::move(socket), tls_);
      stream.handshake(asio::ssl::stream_base::server, ec);
      if (ec) {
        ++refused_;  // the client did not trust the certificate
        continue;
      }
      boost::beast::flat_buffer buffer;
      bhttp::request<bhttp::string_body> request;
      bhttp::read(stream, buffer, request, ec);
      if (ec) continue;
      {
        std::lock_guard lock(mutex_);
        targets_.emplace_back(request.target());
      }
      bhttp::response<bhttp::string_body> response{bhttp::status::ok, 11};
      response.set(bhttp::field::content_type, "application/json");
      response.body() = answer_;
      response.prepare_payload();
      bhttp::write(stream, response, ec);
    }
  }

  std::string answer_;
  asio::io_context io_;
  asio::ssl::context tls_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = acceptor_.local_endpoint().port();
  mutable std::mutex mutex_;
  std::vector<std::string> targets_;
  std::atomic<int> refused_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

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
  TlsEndpoint endpoint(ca.issue({.name = "endpoint"}), R"({"characteristic":[{"name":"vlan","value":"2201"}]})");
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
    TlsEndpoint endpoint(stranger.issue({.name = "endpoint"}), "{}");
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
    TlsEndpoint endpoint(ca.issue({.name = "elsewhere", .subject_alt_names = "DNS:provisioning.example"}), "{}");
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
