// The front's limits against the real binary: slow clients cut off by total deadlines, requests
// per second per address and per principal (429 with Retry-After, buckets refilling), and what
// must never reach a log or an error message (credentials, secret configuration values).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include <boost/json.hpp>

#include "http_client.hpp"
#include "http_helpers.hpp"
#include "test_configs.hpp"
#include "test_pki.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;
using std::chrono::milliseconds;

namespace {

const std::string kPartySpec = "TMF632-Party-v4.0.0.swagger.json";
const std::string kWhoami = "/tmf-api/probe/v4/whoami";

// A raw TCP connection to 127.0.0.1:port, closed on destruction.
class RawConnection {
public:
  explicit RawConnection(std::uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~RawConnection() { close(fd_); }

  bool send_text(const std::string& text) {
    return ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size());
  }

  // Waits up to `wait` for the server: false once it closed the connection (what it sent before
  // is appended to `received`).
  bool open_after(milliseconds wait) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(wait.count())) <= 0) return true;
    char buffer[4096];
    const auto n = recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) received.append(buffer, static_cast<std::size_t>(n));
    return n > 0;
  }

  std::string received;

private:
  int fd_;
};

// Sends `prefix` at once, then `dribble` one byte every `gap`, until the server closes the
// connection; returns how long after the first dribbled byte it did, or none if it did not
// within `limit`.
std::optional<milliseconds> time_to_cut_off(std::uint16_t port, const std::string& prefix, const std::string& dribble,
                                            milliseconds gap, milliseconds limit) {
  RawConnection c(port);
  REQUIRE(c.send_text(prefix));
  const auto started = std::chrono::steady_clock::now();
  for (char byte : dribble) {
    if (std::chrono::steady_clock::now() - started > limit) return std::nullopt;
    if (!c.send_text(std::string(1, byte)) || !c.open_after(gap))
      return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
  }
  return std::nullopt;
}

TmfdOptions probe_options(const std::string& server_keys) {
  TmfdOptions o;
  o.full_yaml = "server:\n  port: 0\n" + server_keys + "storage:\n  path: $DIR/tmfd.db\n"
                "logging:\n  level: info\n  access_log: true\n"
                "plugins:\n  directory: " TMFD_TEST_PLUGIN_DIR "\n"
                "modules:\n  filter_probe: {}\n";
  return o;
}

} // namespace

TEST_CASE("limits: a head dribbled a byte at a time is cut off at header_timeout_ms", "[limits][slowloris]") {
  TmfdProcess p(with_server_keys("  header_timeout_ms: 1000\n  idle_timeout_ms: 60000\n  read_timeout_ms: 60000\n"));
  auto cut = time_to_cut_off(p.port(), "", "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(500, 'a'),
                             100ms, 8s);
  REQUIRE(cut);
  CHECK(*cut >= 900ms);
  CHECK(*cut < 4s);
  HttpClient c(p.port());
  CHECK(c.get("/health/live").status == 200);
}

TEST_CASE("limits: a body trickled a byte at a time is cut off at read_timeout_ms", "[limits][slowloris]") {
  TmfdProcess p(with_server_keys("  header_timeout_ms: 60000\n  idle_timeout_ms: 60000\n  read_timeout_ms: 1000\n"));
  auto cut = time_to_cut_off(p.port(),
                             "POST /tmf-api/party/v4/individual HTTP/1.1\r\nHost: x\r\n"
                             "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n",
                             std::string(500, ' '), 100ms, 8s);
  REQUIRE(cut);
  CHECK(*cut >= 900ms);
  CHECK(*cut < 4s);
}

TEST_CASE("limits: a kept-alive connection idle longer than the head deadline is still served", "[limits]") {
  TmfdProcess p(with_server_keys("  header_timeout_ms: 500\n  idle_timeout_ms: 60000\n"));
  RawConnection c(p.port());
  std::this_thread::sleep_for(1200ms);  // idle, not slow: the head deadline starts with its first byte
  REQUIRE(c.send_text("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(eventually([&] { return !c.open_after(20ms) || c.received.find("\r\n\r\n") != std::string::npos; }, 5s));
  CHECK_THAT(c.received, Contains("HTTP/1.1 200"));
}

TEST_CASE("limits: requests per second per client address: 429 with Retry-After, then the bucket refills",
          "[limits][rate]") {
  TmfdProcess p(with_server_keys("  rate_limits:\n    per_address:\n      rate: 1\n      burst: 3\n"));
  HttpClient c(p.port());
  for (int i = 0; i < 2; ++i) REQUIRE(c.get("/tmf-api/party/v4/individual").status == 200);
  REQUIRE(c.get("/no/such/path").status == 404);  // unknown paths take a token as well
  auto refused = c.get("/health/live");  // public routes count too
  INFO(refused.body);
  REQUIRE(refused.status == 429);
  CHECK(refused.header("retry-after") == "1");
  auto body = check_error_response(refused, 429, kPartySpec);
  CHECK(body.at("code").as_string() == "TOO_MANY_REQUESTS");
  // A token comes back every second.
  CHECK(eventually([&] { return c.get("/health/live").status == 200; }, 3s));
  CHECK(c.get("/health/live").status == 429);
  // Probing unknown paths or methods is no way around the limit.
  CHECK(check_error_response(c.get("/no/such/path"), 429, kPartySpec).at("code").as_string() == "TOO_MANY_REQUESTS");
  CHECK(c.request("DELETE", "/health/live").status == 429);
}

TEST_CASE("limits: requests per second per principal, after authentication; each principal its own bucket",
          "[limits][rate]") {
  TmfdProcess p(probe_options("  rate_limits:\n    per_principal:\n      rate: 1\n      burst: 2\n"));
  HttpClient c(p.port());
  const Headers alice{{"Authorization", "Probe alice:reader"}}, bob{{"Authorization", "Probe bob:reader"}};
  CHECK(c.request("GET", kWhoami, "", alice).status == 200);
  CHECK(c.request("GET", kWhoami, "", alice).status == 200);
  auto refused = c.request("GET", kWhoami, "", alice);
  INFO(refused.body);
  REQUIRE(refused.status == 429);
  CHECK(!refused.header("retry-after").empty());
  CHECK(c.request("GET", kWhoami, "", bob).status == 200);
  // Not authenticated: the authentication filter answers, the principal limit has nobody to count.
  CHECK(c.request("GET", kWhoami).status == 401);
  CHECK(eventually([&] { return c.request("GET", kWhoami, "", alice).status == 200; }, 3s));
}

TEST_CASE("limits: credentials never reach the log: Authorization, Cookie, Proxy-Authorization, query tokens",
          "[limits][secrets]") {
  TmfdProcess p(probe_options(""));
  HttpClient c(p.port());
  CHECK(c.request("GET", kWhoami + "?access_token=query-secret-1111", "",
                  {{"Authorization", "Probe alice-secret-2222:reader"},
                   {"Cookie", "session=cookie-secret-3333"},
                   {"Proxy-Authorization", "Basic proxy-secret-4444"}})
            .status == 200);
  CHECK(c.request("GET", kWhoami, "", {{"Authorization", "Bearer bearer-secret-5555"}}).status == 401);
  CHECK(c.request("GET", "/no/such/path", "", {{"Authorization", "Bearer bearer-secret-6666"}}).status == 404);
  // Both requests were logged (the access log is on)...
  CHECK(eventually([&] { return p.log_text().find("/no/such/path") != std::string::npos; }, 5s));
  const auto log = p.log_text();
  CHECK_THAT(log, Contains(kWhoami));
  // ...without what they carried.
  for (const char* secret : {"query-secret-1111", "alice-secret-2222", "cookie-secret-3333", "proxy-secret-4444",
                             "bearer-secret-5555", "bearer-secret-6666"})
    CHECK_THAT(log, !Contains(secret));
}

TEST_CASE("limits: a secret configuration value is never printed, even when it is wrong", "[limits][secrets]") {
  const std::string dir = make_temp_dir();
  TestCa ca(dir);
  auto cert = ca.issue({.name = "server", .key_password = "right-password-7777"});
  int files = 0;
  auto config = [&](const std::string& password) {
    std::string y = TmfdProcess::default_yaml(dir, false);
    y.insert(y.find("server:\n") + 8, "  tls:\n    port: 0\n    certificate_file: " + cert.certificate_file +
                                          "\n    key_file: " + cert.key_file + "\n    key_password: " + password + "\n");
    const std::string file = dir + "/tmfd-" + std::to_string(++files) + ".yaml";
    std::ofstream(file) << y;
    return file;
  };
  auto [wrong_rc, wrong_out] = run_tmfd("--check-config --config " + config("wrong-password-8888"));
  INFO(wrong_out);
  CHECK(wrong_rc == 2);
  CHECK_THAT(wrong_out, Contains("server.tls.key_file"));
  CHECK_THAT(wrong_out, !Contains("wrong-password-8888"));
  // A value of the wrong type: the loader names the key, not the value.
  auto [type_rc, type_out] = run_tmfd("--check-config --config " + config("[listed-secret-9999]"));
  CHECK(type_rc == 2);
  CHECK_THAT(type_out, Contains("key_password"));
  CHECK_THAT(type_out, !Contains("listed-secret-9999"));
  // The right password passes the same check.
  auto [right_rc, right_out] = run_tmfd("--check-config --config " + config("right-password-7777"));
  INFO(right_out);
  CHECK(right_rc == 0);
  remove_temp_dir(dir);
}
