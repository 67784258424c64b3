// The access log is written in batches off the request path (observability/access_log.cpp): no
// line may be lost when tmfd stops right after answering.
#include <catch2/catch.hpp>

#include <string>

#include "http_client.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

TEST_CASE("every access line is written, even when tmfd stops right after the last answer", "[http][log]") {
  TmfdProcess p;
  constexpr int kRequests = 3000;
  {
    HttpClient a(p.port()), b(p.port());
    for (int i = 0; i < kRequests; ++i) {
      auto& c = i % 2 ? a : b;  // two connections, so both I/O threads write lines
      REQUIRE(c.request("GET", "/health/live", {}, {{"X-Correlation-ID", "flush-" + std::to_string(i)}}).status == 200);
    }
  }
  REQUIRE(p.stop() == 0);  // SIGTERM at once: the last lines are still in the threads' buffers
  const std::string log = p.log_text();
  int lines = 0;
  for (auto pos = log.find("[access] request corr=flush-"); pos != std::string::npos;
       pos = log.find("[access] request corr=flush-", pos + 1))
    ++lines;
  CHECK(lines == kRequests);
  CHECK(log.find("corr=flush-" + std::to_string(kRequests - 1) + " ") != std::string::npos);
}
