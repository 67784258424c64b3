#include "fuzz_stack.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include <tmfd/error.hpp>
#include <tmfd/json.hpp>
#include <tmfd/module.hpp>
#include <tmfd/resource_kind.hpp>

#include "app/kernel.hpp"
#include "http/front.hpp"
#include "observability/logging.hpp"
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

namespace {

// The stack's one module: declares the widget kind, and stores a few widgets once the writer runs,
// so that reads, patches and filters find something.
class WidgetModule final : public Module {
public:
  void start(ModuleContext& ctx) override { ctx.resources().add(widget_kind(), {}); }
  void serving(ModuleContext& ctx) override {
    json::object seed{{"id", kStoredId},
                      {"name", "first"},
                      {"count", 3},
                      {"ratio", 0.5},
                      {"serial", "S-1"},
                      {"owner", json::array{json::object{{"id", "o-1"}, {"role", "admin"}}}},
                      {"validFor", json::object{{"startDateTime", "2024-01-01T00:00:00Z"}}}};
    std::promise<ImportOutcome> imported;
    ctx.resources().import({{kCollection, seed}}, "fuzz-seed", [&](ImportOutcome o) { imported.set_value(std::move(o)); });
    if (!imported.get_future().get().committed) fail("seeding the store failed", "");
  }
};

} // namespace

struct Stack::Parts {
  std::filesystem::path folder;
  WidgetModule module;  // outlives the kernel, which stops it
  std::unique_ptr<app::Kernel> kernel;
};

Stack::Stack() : parts_(std::make_unique<Parts>()) {
  auto& p = *parts_;
  // Quiet: a fuzzer runs millions of requests.
  observability::LogOptions logging;
  logging.level = log::Level::Error;
  observability::init_logging(logging);
  char tmpl[] = "/tmp/tmfd-fuzz-XXXXXX";
  p.folder = ::mkdtemp(tmpl);
  app::Settings settings;
  settings.host = "127.0.0.1";
  settings.port = 0;
  settings.threads = 2;
  settings.access_log = false;
  settings.database.path = (p.folder / "fuzz.db").string();
  settings.engine.max_resource_bytes = 64 * 1024;  // small, so size limits are reached
  settings.limits.read_timeout = std::chrono::milliseconds(2000);
  settings.limits.max_body_bytes = 64 * 1024;
  settings.limits.max_header_bytes = 4096;
  p.kernel = std::make_unique<app::Kernel>(settings, std::vector<app::KernelModule>{{"fuzz", "0", "modules", &p.module, {}, {}}});
  p.kernel->start();
}

Stack::~Stack() {
  auto& p = *parts_;
  p.kernel->stop();
  p.kernel.reset();
  std::error_code ec;
  std::filesystem::remove_all(p.folder, ec);
}

http::Response Stack::handle(http::Request request) {
  std::promise<http::Response> answer;
  auto future = answer.get_future();
  parts_->kernel->front().dispatch(request, [&answer](http::Response r) { answer.set_value(std::move(r)); });
  return future.get();
}

void Stack::list(const std::string& query) { parts_->kernel->resources().list(kCollection, query); }

unsigned short Stack::serve_http() {
  auto port = parts_->kernel->listen();
  parts_->kernel->serve_in_background();
  return port;
}

} // namespace tmfd::fuzz
