// The HTTP front of the real binary: routing errors, correlation ids, the access log, transport
// limits (body, header, connections, timeouts), keep-alive, health and metrics.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "http_helpers.hpp"
#include "test_configs.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// Generated ids are time-ordered UUIDs (version 7).
bool is_generated_uuid(const std::string& s) {
  static const std::regex re("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  return std::regex_match(s, re);
}

// Checks a TMF error body: {"code", "reason", "message", "status": "<status>", "@type": "Error"}.
void check_tmf_error(const std::string& body, int status, const std::string& code) {
  INFO(body);
  auto v = boost::json::parse(body);
  REQUIRE(v.is_object());
  const auto& o = v.as_object();
  CHECK(o.at("code").as_string() == code);
  CHECK(o.at("status").as_string() == std::to_string(status));
  CHECK(o.at("@type").as_string() == "Error");
  CHECK_FALSE(o.at("reason").as_string().empty());
  CHECK(o.contains("message"));
}

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers as received
  std::string body;
  bool json_ok() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    return !ec && v.is_object();
  }
  std::string header(const std::string& lower_name) const {
    std::size_t pos = 0;
    std::string lower;
    for (char c : head) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while ((pos = lower.find("\r\n" + lower_name + ":", pos)) != std::string::npos) {
      auto start = pos + 2 + lower_name.size() + 1;
      auto end = head.find("\r\n", start);
      std::string v = head.substr(start, end - start);
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      return v;
    }
    return {};
  }
};

// One TCP connection driven byte by byte: for what the blocking client hides (which connection a
// request used, whether the server closed it, requests sent in pieces).
class RawConnection {
public:
  explicit RawConnection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False if the peer has closed (EPIPE/ECONNRESET).
  bool send(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      auto n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Reads one response (the server always sends Content-Length). nullopt if the connection closed
  // or nothing complete arrived in time.
  std::optional<RawResponse> read_response(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                                           bool head_request = false) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        RawResponse r;
        r.head = buffer_.substr(0, end + 2);
        if (r.head.rfind("HTTP/1.", 0) != 0 || r.head.size() < 12) return std::nullopt;
        r.status = std::stoi(r.head.substr(9, 3));
        std::size_t length = 0;
        if (!head_request) {
          auto cl = r.header("content-length");
          length = cl.empty() ? 0 : std::stoul(cl);
        }
        if (buffer_.size() >= end + 4 + length) {
          r.body = buffer_.substr(end + 4, length);
          buffer_.erase(0, end + 4 + length);
          return r;
        }
      }
      if (!fill(deadline)) return std::nullopt;
    }
  }

  // True when the server closes the connection (EOF or reset) within `timeout` and sent nothing.
  // Any bytes received are kept in `received`.
  bool closed_by_server(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (fill(deadline)) {
    }
    return eof_;
  }

  const std::string& received() const { return buffer_; }
  bool eof() const { return eof_; }

private:
  // Reads what is available; false on EOF, error or deadline.
  bool fill(std::chrono::steady_clock::time_point deadline) {
    if (eof_) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc <= 0) return false;
    char buf[16384];
    auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      eof_ = true;  // 0: orderly close; <0: reset
      return false;
    }
    buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

std::string get_request(const std::string& target, const std::string& extra_headers = {}) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + "\r\n";
}

std::string post_request(const std::string& target, const std::string& body, const std::string& extra_headers = {}) {
  return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Routing errors

TEST_CASE("an unknown path answers 404 with a TMF error body", "[http]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto r = c.get("/no/such/thing");
  CHECK(r.status == 404);
  CHECK_THAT(r.header("content-type"), StartsWith("application/json"));
  check_tmf_error(r.body, 404, "NOT_FOUND");
  CHECK_THAT(r.body, Contains("/no/such/thing"));

  // Below a known prefix is unknown too; the root is the index (api_description_test), and only GET.
  CHECK(c.get("/tmf-api/party/v4/nothing").status == 404);
  CHECK(c.request("POST", "/", "{}", {{"Content-Type", "application/json"}}).status == 405);
}

TEST_CASE("a known path with a method it does not serve answers 405 with Allow", "[http]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto r = c.request("DELETE", kIndividuals);
  CHECK(r.status == 405);
  check_tmf_error(r.body, 405, "METHOD_NOT_ALLOWED");
  const std::string allow = r.header("allow");
  INFO("Allow: " << allow);
  CHECK_THAT(allow, Contains("GET"));
  CHECK_THAT(allow, Contains("POST"));
  CHECK_THAT(allow, !Contains("DELETE"));

  auto put = c.request("PUT", "/health/live", "{}", {{"Content-Type", "application/json"}});
  CHECK(put.status == 405);
  CHECK(put.header("allow") == "GET");
}

// ---------------------------------------------------------------------------------------------
// Correlation id

TEST_CASE("a sent X-Correlation-ID is echoed", "[http][correlation]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto r = c.request("GET", "/health/live", {}, {{"X-Correlation-ID", "abc-123_XYZ.test"}});
  CHECK(r.status == 200);
  CHECK(r.header("x-correlation-id") == "abc-123_XYZ.test");
  // Error answers carry it too.
  auto e = c.request("GET", "/nowhere", {}, {{"X-Correlation-ID", "err-corr-1"}});
  CHECK(e.status == 404);
  CHECK(e.header("x-correlation-id") == "err-corr-1");
}

TEST_CASE("an absent X-Correlation-ID is generated as a UUID, one per request", "[http][correlation]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto a = c.get("/health/live");
  auto b = c.get("/health/live");
  INFO(a.header("x-correlation-id") << " / " << b.header("x-correlation-id"));
  CHECK(is_generated_uuid(a.header("x-correlation-id")));
  CHECK(is_generated_uuid(b.header("x-correlation-id")));
  CHECK(a.header("x-correlation-id") != b.header("x-correlation-id"));
}

TEST_CASE("an absurd X-Correlation-ID is replaced by a generated one", "[http][correlation]") {
  TmfdProcess p;
  HttpClient c(p.port());
  const std::string long_id(500, 'a');
  auto r = c.request("GET", "/health/live", {}, {{"X-Correlation-ID", long_id}});
  CHECK(r.status == 200);
  CHECK(is_generated_uuid(r.header("x-correlation-id")));

  // Spaces or control characters would let a client forge log lines.
  auto spaced = c.request("GET", "/health/live", {}, {{"X-Correlation-ID", "two words"}});
  CHECK(is_generated_uuid(spaced.header("x-correlation-id")));

  // A tab (which HTTP allows inside a header value) and bytes outside ASCII.
  for (const std::string& value : {std::string("a\tb"), std::string("caf\xc3\xa9")}) {
    RawConnection raw(p.port());
    REQUIRE(raw.send(get_request("/health/live", "X-Correlation-ID: " + value + "\r\n")));
    auto r = raw.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(is_generated_uuid(r->header("x-correlation-id")));
    CHECK_THAT(p.log_text(), !Contains(value));
  }
}

TEST_CASE("X-Correlation-ID length limit: 128 characters are kept, 129 are not", "[http][correlation]") {
  TmfdProcess p;
  HttpClient c(p.port());
  const std::string ok(128, 'k');
  CHECK(c.request("GET", "/health/live", {}, {{"X-Correlation-ID", ok}}).header("x-correlation-id") == ok);
  const std::string too_long(129, 'k');
  CHECK(is_generated_uuid(c.request("GET", "/health/live", {}, {{"X-Correlation-ID", too_long}}).header("x-correlation-id")));
}

TEST_CASE("the access log line carries the correlation id, method, path and status", "[http][correlation][log]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto r = c.request("GET", "/health/live", {}, {{"X-Correlation-ID", "log-corr-4242"}});
  REQUIRE(r.status == 200);
  auto generated = c.get("/no/such/route");
  REQUIRE(generated.status == 404);

  // The line is written before the answer is sent, but give a slow disk a moment.
  const std::string gen_id = generated.header("x-correlation-id");
  REQUIRE(eventually([&] { return p.log_text().find(gen_id) != std::string::npos; }, std::chrono::seconds(2)));
  const std::string log = p.log_text();
  auto line_with = [&](const std::string& needle) {
    auto pos = log.find(needle);
    if (pos == std::string::npos) return std::string();
    auto start = log.rfind('\n', pos);
    start = start == std::string::npos ? 0 : start + 1;
    return log.substr(start, log.find('\n', pos) - start);
  };
  const std::string line = line_with("corr=log-corr-4242");
  INFO(log);
  REQUIRE_FALSE(line.empty());
  CHECK_THAT(line, Contains("[access]"));
  CHECK_THAT(line, Contains("method=GET"));
  CHECK_THAT(line, Contains("path=/health/live"));
  CHECK_THAT(line, Contains("status=200"));

  const std::string line404 = line_with("corr=" + gen_id);
  REQUIRE_FALSE(line404.empty());
  CHECK_THAT(line404, Contains("path=/no/such/route"));
  CHECK_THAT(line404, Contains("status=404"));
}

TEST_CASE("a write's correlation id reaches the access log and the response", "[http][correlation][log]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto r = c.request("POST", kIndividuals, R"({"givenName":"C","familyName":"Corr"})",
                     {{"Content-Type", "application/json"}, {"X-Correlation-ID", "write-corr-77"}});
  REQUIRE(r.status == 201);
  CHECK(r.header("x-correlation-id") == "write-corr-77");
  REQUIRE(eventually([&] { return p.log_text().find("corr=write-corr-77") != std::string::npos; },
                     std::chrono::seconds(2)));
  CHECK_THAT(p.log_text(), Contains("status=201"));
}

// ---------------------------------------------------------------------------------------------
// Transport limits

TEST_CASE("a body over server.max_body_bytes answers 413 with a TMF error body", "[http][limits]") {
  TmfdProcess p(with_server_keys("  max_body_bytes: 256\n"));
  // Under the limit: served.
  HttpClient c(p.port());
  CHECK(c.post_json(kIndividuals, {{"givenName", "Small"}, {"familyName", "Body"}}).status == 201);

  const std::string big = R"({"givenName":"Big","familyName":")" + std::string(1000, 'x') + "\"}";
  RawConnection raw(p.port());
  REQUIRE(raw.send(post_request(kIndividuals, big)));
  auto r = raw.read_response();
  REQUIRE(r);
  CHECK(r->status == 413);
  CHECK_THAT(r->header("content-type"), StartsWith("application/json"));
  check_tmf_error(r->body, 413, "PAYLOAD_TOO_LARGE");
  CHECK_THAT(r->body, Contains("256"));
  // The connection is not reused after a refused body.
  CHECK(raw.closed_by_server(std::chrono::seconds(5)));
  // Nothing was stored.
  auto list = c.get(std::string(kIndividuals) + "?familyName=Body");
  REQUIRE(list.status == 200);
  CHECK(list.json().as_array().size() == 1);
}

TEST_CASE("a chunked body growing over server.max_body_bytes answers 413", "[http][limits]") {
  TmfdProcess p(with_server_keys("  max_body_bytes: 256\n"));
  RawConnection raw(p.port());
  std::string req = "POST " + std::string(kIndividuals) +
                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) req += "64\r\n" + std::string(100, ' ') + "\r\n";  // 400 bytes
  req += "0\r\n\r\n";
  REQUIRE(raw.send(req));
  auto r = raw.read_response();
  REQUIRE(r);
  CHECK(r->status == 413);
  check_tmf_error(r->body, 413, "PAYLOAD_TOO_LARGE");
}

TEST_CASE("headers over server.max_header_bytes answer 431", "[http][limits]") {
  TmfdProcess p(with_server_keys("  max_header_bytes: 1024\n"));
  HttpClient c(p.port());
  CHECK(c.request("GET", "/health/live", {}, {{"X-Small", std::string(200, 'a')}}).status == 200);

  RawConnection raw(p.port());
  REQUIRE(raw.send(get_request("/health/live", "X-Big: " + std::string(4000, 'a') + "\r\n")));
  auto r = raw.read_response();
  REQUIRE(r);
  CHECK(r->status == 431);
  check_tmf_error(r->body, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE");
  CHECK(raw.closed_by_server(std::chrono::seconds(5)));
}

TEST_CASE("headers over the default 16 KiB limit answer 431", "[http][limits]") {
  TmfdProcess p;
  RawConnection raw(p.port());
  REQUIRE(raw.send(get_request("/health/live", "X-Big: " + std::string(20000, 'a') + "\r\n")));
  auto r = raw.read_response();
  REQUIRE(r);
  CHECK(r->status == 431);
}

TEST_CASE("garbage bytes answer 400 with a TMF error body and close", "[http][limits]") {
  TmfdProcess p;
  {
    RawConnection raw(p.port());
    REQUIRE(raw.send(std::string("GARBAGE\x01\x02 nonsense\r\n\r\n")));
    auto r = raw.read_response();
    REQUIRE(r);
    CHECK(r->status == 400);
    check_tmf_error(r->body, 400, "BAD_REQUEST");
    CHECK(raw.closed_by_server(std::chrono::seconds(5)));
  }
  {
    // A well-formed request line with a broken header block.
    RawConnection raw(p.port());
    REQUIRE(raw.send("GET /health/live HTTP/1.1\r\nHost: x\r\nBroken header without colon\r\n\r\n"));
    auto r = raw.read_response();
    REQUIRE(r);
    CHECK(r->status == 400);
  }
  {
    // An invalid Content-Length.
    RawConnection raw(p.port());
    REQUIRE(raw.send("POST /tmf-api/party/v4/individual HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"));
    auto r = raw.read_response();
    REQUIRE(r);
    CHECK(r->status == 400);
  }
  // The server is still fine.
  HttpClient c(p.port());
  CHECK(c.get("/health/live").status == 200);
}

// ---------------------------------------------------------------------------------------------
// Connections

TEST_CASE("keep-alive: many requests on one connection", "[http][connections]") {
  TmfdProcess p;
  RawConnection raw(p.port());
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    const bool write = i % 10 == 0;
    REQUIRE(raw.send(write ? post_request(kIndividuals, R"({"givenName":"K","familyName":"KeepAlive"})")
                           : get_request(i % 2 ? "/health/live" : "/health/ready")));
    auto r = raw.read_response();
    REQUIRE(r);
    CHECK(r->status == (write ? 201 : 200));
    CHECK_THAT(r->header("connection"), !Contains("close"));
    ids.insert(r->header("x-correlation-id"));
  }
  CHECK(ids.size() == 100);
  CHECK_FALSE(raw.eof());
}

TEST_CASE("keep-alive: pipelined requests are answered in order", "[http][connections]") {
  TmfdProcess p;
  RawConnection raw(p.port());
  REQUIRE(raw.send(get_request("/health/live", "X-Correlation-ID: pipe-1\r\n") +
                   get_request("/no/such", "X-Correlation-ID: pipe-2\r\n") +
                   post_request(kIndividuals, R"({"givenName":"P","familyName":"Pipe"})", "X-Correlation-ID: pipe-3\r\n") +
                   get_request("/health/ready", "X-Correlation-ID: pipe-4\r\n")));
  const int expected[] = {200, 404, 201, 200};
  for (int i = 0; i < 4; ++i) {
    auto r = raw.read_response();
    REQUIRE(r);
    CHECK(r->status == expected[i]);
    CHECK(r->header("x-correlation-id") == "pipe-" + std::to_string(i + 1));
  }
}

TEST_CASE("Connection: close and HTTP/1.0 requests get one answer and a close", "[http][connections]") {
  TmfdProcess p;
  {
    RawConnection raw(p.port());
    REQUIRE(raw.send(get_request("/health/live", "Connection: close\r\n")));
    auto r = raw.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(raw.closed_by_server(std::chrono::seconds(5)));
  }
  {
    RawConnection raw(p.port());
    REQUIRE(raw.send("GET /health/live HTTP/1.0\r\n\r\n"));
    auto r = raw.read_response();
    REQUIRE(r);
    CHECK_THAT(r->head, StartsWith("HTTP/1.0 200"));
    CHECK(raw.closed_by_server(std::chrono::seconds(5)));
  }
}

TEST_CASE("max_connections: a connection over the limit is closed without an answer", "[http][connections]") {
  TmfdProcess p(with_server_keys("  max_connections: 2\n"));
  RawConnection first(p.port()), second(p.port());
  // Both are served (which also means both sessions exist on the server).
  REQUIRE(first.send(get_request("/health/live")));
  REQUIRE(first.read_response());
  REQUIRE(second.send(get_request("/health/live")));
  REQUIRE(second.read_response());

  {
    RawConnection third(p.port());
    third.send(get_request("/health/live"));  // may fail if the close came first
    CHECK(third.closed_by_server(std::chrono::seconds(5)));
    CHECK(third.received().empty());
  }

  // The first two still work, on the same connections.
  REQUIRE(first.send(get_request("/metrics")));
  auto m = first.read_response();
  REQUIRE(m);
  CHECK(m->status == 200);
  CHECK(metric_value(m->body, "tmfd_http_connections_refused_total") >= 1);
  CHECK(metric_value(m->body, "tmfd_http_connections_active") == 2);
  REQUIRE(second.send(get_request("/health/ready")));
  auto r = second.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("max_connections: a slot freed by a closed connection is reused", "[http][connections]") {
  TmfdProcess p(with_server_keys("  max_connections: 1\n"));
  {
    RawConnection only(p.port());
    REQUIRE(only.send(get_request("/health/live")));
    REQUIRE(only.read_response());
  }
  // The server notices the close asynchronously: retry for a while.
  bool served = eventually(
      [&] {
        RawConnection again(p.port());
        if (!again.send(get_request("/health/live"))) return false;
        auto r = again.read_response(std::chrono::milliseconds(500));
        return r && r->status == 200;
      },
      std::chrono::seconds(5));
  CHECK(served);
}

TEST_CASE("idle_timeout_ms: an idle connection is closed by the server", "[http][connections][timeouts]") {
  TmfdProcess p(with_server_keys("  idle_timeout_ms: 800\n"));
  {
    // After a request: the keep-alive connection is closed once idle.
    RawConnection raw(p.port());
    REQUIRE(raw.send(get_request("/health/live")));
    REQUIRE(raw.read_response());
    const auto started = std::chrono::steady_clock::now();
    CHECK(raw.closed_by_server(std::chrono::seconds(5)));
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(600));
    CHECK(raw.received().empty());
  }
  {
    // A connection that never sends anything.
    RawConnection raw(p.port());
    CHECK(raw.closed_by_server(std::chrono::seconds(5)));
  }
  {
    // Activity before the timeout keeps the connection: four requests 300 ms apart, 1.2 s in all.
    RawConnection raw(p.port());
    for (int i = 0; i < 4; ++i) {
      REQUIRE(raw.send(get_request("/health/live")));
      auto r = raw.read_response();
      REQUIRE(r);
      CHECK(r->status == 200);
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  }
}

TEST_CASE("read_timeout_ms: a body that never completes closes the connection", "[http][connections][timeouts]") {
  TmfdProcess p(with_server_keys("  read_timeout_ms: 300\n"));
  RawConnection raw(p.port());
  // Headers announce 100 bytes; only 10 come.
  REQUIRE(raw.send("POST /tmf-api/party/v4/individual HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Content-Length: 100\r\n\r\n{\"given\":1"));
  CHECK(raw.closed_by_server(std::chrono::seconds(5)));
  // The server is still fine.
  HttpClient c(p.port());
  CHECK(c.get("/health/live").status == 200);
}

// ---------------------------------------------------------------------------------------------
// Ordinary requests

TEST_CASE("a GET with a Content-Type header is served normally", "[http]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto r = c.request("GET", kIndividuals, {}, {{"Content-Type", "application/json"}});
  CHECK(r.status == 200);
  CHECK(r.json().is_array());
  auto live = c.request("GET", "/health/live", {}, {{"Content-Type", "text/plain"}});
  CHECK(live.status == 200);
}

TEST_CASE("HEAD is answered like GET without a body, so the connection stays usable", "[http][connections]") {
  // RFC 9110 9.3.2: a response to HEAD carries no content; a body sent anyway would be read by
  // the client as the start of the next response.
  TmfdProcess p;
  RawConnection raw(p.port());
  REQUIRE(raw.send(get_request("/health/live")));
  auto get = raw.read_response();
  REQUIRE(get);
  REQUIRE(get->status == 200);

  REQUIRE(raw.send("HEAD /health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto head = raw.read_response(std::chrono::seconds(5), /*head_request=*/true);
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->header("content-length") == get->header("content-length"));

  // Same for an error answer.
  REQUIRE(raw.send("HEAD /no/such/thing HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto missing = raw.read_response(std::chrono::seconds(5), /*head_request=*/true);
  REQUIRE(missing);
  CHECK(missing->status == 404);

  // The next response on the connection starts where it should.
  REQUIRE(raw.send(get_request("/health/ready")));
  auto next = raw.read_response(std::chrono::seconds(5));
  INFO("bytes after the HEAD answers: " << raw.received());
  REQUIRE(next);
  CHECK(next->status == 200);
  CHECK(next->json_ok());
}

// ---------------------------------------------------------------------------------------------
// Health and metrics

TEST_CASE("/health/live answers 200 JSON", "[http][health]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto r = c.get("/health/live");
  CHECK(r.status == 200);
  CHECK_THAT(r.header("content-type"), StartsWith("application/json"));
  CHECK(r.json().at("status").as_string() == "up");
}

TEST_CASE("/health/ready answers 200 JSON with the store up", "[http][health]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto r = c.get("/health/ready");
  CHECK(r.status == 200);
  CHECK_THAT(r.header("content-type"), StartsWith("application/json"));
  auto v = r.json();
  CHECK(v.at("status").as_string() == "ready");
  CHECK(v.at("checks").at("store").as_string() == "up");
}

TEST_CASE("/metrics exposes request counts by route, latency histograms and store gauges", "[http][metrics]") {
  TmfdProcess p;
  HttpClient c(p.port());
  REQUIRE(c.post_json(kIndividuals, {{"givenName", "M"}, {"familyName", "Metrics"}}).status == 201);
  REQUIRE(c.get(kIndividuals).status == 200);
  REQUIRE(c.get("/no/such").status == 404);
  auto r = c.get("/metrics");
  REQUIRE(r.status == 200);
  CHECK_THAT(r.header("content-type"), StartsWith("text/plain"));
  const std::string& m = r.body;
  INFO(m);
  CHECK_THAT(m, Contains("# TYPE tmfd_http_requests_total counter"));
  CHECK(metric_value(m, R"(tmfd_http_requests_total{route="/tmf-api/party/v4/individual",method="POST",status="201"})") == 1);
  CHECK(metric_value(m, R"(tmfd_http_requests_total{route="/tmf-api/party/v4/individual",method="GET",status="200"})") == 1);
  // Unmatched requests are counted under one label, not one per path (bounded cardinality).
  CHECK(metric_value(m, R"m(tmfd_http_requests_total{route="(unmatched)",method="GET",status="404"})m") == 1);
  CHECK_THAT(m, !Contains("/no/such"));
  CHECK_THAT(m, Contains("# TYPE tmfd_http_request_duration_seconds histogram"));
  CHECK_THAT(m, Contains(R"(tmfd_http_request_duration_seconds_bucket{route="/tmf-api/party/v4/individual",method="POST",le="+Inf"} 1)"));
  CHECK(metric_value(m, R"(tmfd_http_request_duration_seconds_count{route="/tmf-api/party/v4/individual",method="POST"})") == 1);
  CHECK_THAT(m, Contains("# TYPE tmfd_store_writer_queue_depth gauge"));
  CHECK(metric_value(m, "tmfd_store_writer_queue_depth") == 0);
  CHECK(metric_value(m, "tmfd_http_connections_active") >= 1);

  // The route label is the pattern, not the concrete path of a resource.
  auto created = c.post_json(kIndividuals, {{"givenName", "M2"}, {"familyName", "Metrics"}});
  REQUIRE(created.status == 201);
  const std::string id(created.json().at("id").as_string());
  REQUIRE(c.get(std::string(kIndividuals) + "/" + id).status == 200);
  auto again = c.get("/metrics").body;
  CHECK_THAT(again, !Contains(id));
  CHECK_THAT(again, Contains(R"(method="GET",status="200"})"));
  CHECK_THAT(again, Contains("route=\"/tmf-api/party/v4/individual/{id}\""));
}

TEST_CASE("/metrics histogram buckets are cumulative and end with the count", "[http][metrics]") {
  TmfdProcess p;
  HttpClient c(p.port());
  for (int i = 0; i < 5; ++i) REQUIRE(c.get("/health/live").status == 200);
  const std::string m = c.get("/metrics").body;
  const std::string prefix = R"(tmfd_http_request_duration_seconds_bucket{route="/health/live",method="GET",le=")";
  double previous = 0;
  int buckets = 0;
  for (auto pos = m.find(prefix); pos != std::string::npos; pos = m.find(prefix, pos + 1)) {
    const auto value_at = m.find("} ", pos) + 2;
    const double v = std::stod(m.substr(value_at, m.find('\n', value_at) - value_at));
    CHECK(v >= previous);
    previous = v;
    ++buckets;
  }
  CHECK(buckets > 1);
  CHECK(previous == 5);
  CHECK(metric_value(m, R"(tmfd_http_request_duration_seconds_count{route="/health/live",method="GET"})") == 5);
}
