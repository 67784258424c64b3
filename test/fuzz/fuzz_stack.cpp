#include "fuzz_stack.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include <tmfd/error.hpp>
#include <tmfd/json.hpp>
#include <tmfd/resource_kind.hpp>

#include "http/front.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "io/run_guarded.hpp"
#include "observability/logging.hpp"
#include "observability/metrics.hpp"
#include "resource/engine.hpp"
#include "store/database.hpp"
#include "utf8.hpp"

namespace tmfd::fuzz {

ResourceKind widget_kind() {
  ResourceKind k;
  k.api = "fuzz";
  k.base_path = kBasePath;
  k.collection = "widget";
  k.type = "Widget";
  k.mandatory = {"name"};
  k.attributes = {{"name", AttributeType::String},     {"validFor", AttributeType::Object},
                  {"count", AttributeType::Integer},   {"ratio", AttributeType::Number},
                  {"enabled", AttributeType::Boolean}, {"startDate", AttributeType::DateTime},
                  {"owner", AttributeType::Array}};
  k.immutable = {"serial"};
  k.indexed = {"name", "status", "owner.id"};
  k.lifecycle = Lifecycle{"status", "draft", {"draft", "active", "retired"},
                          {{"draft", "active"}, {"active", "retired"}, {"draft", "retired"}}, {{"Active", "active"}}};
  k.events = standard_events("Widget");
  k.last_update_field = "lastUpdate";
  return k;
}

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& body) {
  std::fprintf(stderr, "fuzz: %s\n%s\n", what.c_str(), body.substr(0, 2000).c_str());
  std::abort();
}

} // namespace

void fail_input(const std::string& what, const std::string& detail) { fail(what, detail); }

void check_response(int status, const std::string& content_type, const std::string& body) {
  if (status >= 500 && status != 501 && status != 503 && status != 507) fail("server error " + std::to_string(status), body);
  if (!utf8::is_valid(body) && !body.empty()) fail("response body is not valid UTF-8", body);
  if (status < 400 || content_type.find("json") == std::string::npos) return;
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) fail("error body is not a JSON object", body);
  const auto& o = v.get_object();
  for (const char* member : {"code", "reason", "status", "@type"})
    if (!o.contains(member)) fail(std::string("error body lacks '") + member + "'", body);
  if (o.at("status") != json::value(std::to_string(status))) fail("error body status differs from HTTP status", body);
}

struct Stack::Parts {
  std::filesystem::path folder;
  observability::Metrics metrics;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<http::Router> router;
  std::unique_ptr<resource::Engine> engine;
  std::unique_ptr<http::Front> front;
  boost::asio::io_context ioc{2};
  std::unique_ptr<http::Server> server;
  std::vector<std::thread> io_threads;
};

Stack::Stack() : parts_(std::make_unique<Parts>()) {
  auto& p = *parts_;
  // Quiet: a fuzzer runs millions of requests.
  observability::LogOptions logging;
  logging.level = log::Level::Error;
  observability::init_logging(logging);
  char tmpl[] = "/tmp/tmfd-fuzz-XXXXXX";
  p.folder = ::mkdtemp(tmpl);
  store::DatabaseOptions db_options;
  db_options.path = (p.folder / "fuzz.db").string();
  p.db = std::make_unique<store::Database>(db_options, p.metrics);
  p.router = std::make_unique<http::Router>(p.metrics);
  resource::EngineOptions engine_options;
  engine_options.max_resource_bytes = 64 * 1024;  // small, so size limits are reached
  p.engine = std::make_unique<resource::Engine>(*p.db, *p.router, engine_options);
  p.engine->add(widget_kind(), {});
  p.db->start_writer([](std::vector<Event>&&) {});
  p.front = std::make_unique<http::Front>(*p.router, false);

  // A few stored resources, so that reads, patches and filters find something.
  json::object seed{{"id", kStoredId},
                    {"name", "first"},
                    {"count", 3},
                    {"ratio", 0.5},
                    {"serial", "S-1"},
                    {"owner", json::array{json::object{{"id", "o-1"}, {"role", "admin"}}}},
                    {"validFor", json::object{{"startDateTime", "2024-01-01T00:00:00Z"}}}};
  std::promise<ImportOutcome> imported;
  p.engine->import({{kCollection, seed}}, "fuzz-seed", [&](ImportOutcome o) { imported.set_value(std::move(o)); });
  if (!imported.get_future().get().committed) fail("seeding the store failed", "");
}

Stack::~Stack() {
  auto& p = *parts_;
  if (p.server) p.server->stop_accepting();
  p.ioc.stop();
  for (auto& t : p.io_threads) t.join();
  p.db->stop_writer();
  std::error_code ec;
  std::filesystem::remove_all(p.folder, ec);
}

http::Response Stack::handle(http::Request request) {
  std::promise<http::Response> answer;
  auto future = answer.get_future();
  parts_->front->dispatch(request, [&answer](http::Response r) { answer.set_value(std::move(r)); });
  return future.get();
}

void Stack::list(const std::string& query) { parts_->engine->list(kCollection, query); }

unsigned short Stack::serve_http() {
  auto& p = *parts_;
  http::ServerLimits limits;
  limits.read_timeout = std::chrono::milliseconds(2000);
  limits.max_body_bytes = 64 * 1024;
  limits.max_header_bytes = 4096;
  p.server = std::make_unique<http::Server>(
      p.ioc, limits, [&p](http::Request& r, http::Reply reply) { p.front->dispatch(r, std::move(reply)); }, p.metrics);
  auto port = p.server->listen("127.0.0.1", 0);
  for (int i = 0; i < 2; ++i) p.io_threads.emplace_back([&p] { io::run_guarded(p.ioc, "http"); });
  return port;
}

} // namespace tmfd::fuzz
