// The catalog query service (tmfd/catalog_query.hpp) of the real catalog plugin, loaded through
// the plugin loader into the real kernel (no HTTP) over a temporary SQLite file, and found by name
// as another module finds it.
#include <catch2/catch.hpp>

#include <future>

#include <tmfd/catalog_query.hpp>
#include <tmfd/error.hpp>

#include "app/kernel.hpp"
#include "observability/logging.hpp"
#include "plugin/loader.hpp"
#include "tmfd_process.hpp"

using namespace tmfd;

namespace {

const std::string kProductCatalog = "/tmf-api/productCatalogManagement/v4";

// The kernel with the catalog module and the demo catalog, started as tmfd starts it.
struct Kernel {
  std::string dir = test::make_temp_dir();
  // Before the kernel, so destroyed after it: the kernel stops the module, whose code is here.
  std::vector<std::unique_ptr<plugin::LoadedPlugin>> plugins = plugin::load_plugins(TMFD_PLUGIN_DIR, {"catalog"});
  std::unique_ptr<app::Kernel> kernel;
  std::shared_ptr<catalog::CatalogQuery> query;

  Kernel() {
    observability::LogOptions quiet;
    quiet.level = log::Level::Warning;
    observability::init_logging(quiet);
    app::Settings settings;
    settings.database.path = dir + "/tmfd.db";
    json::object config;
    config["demo_catalog"] = TMFD_SOURCE_DIR "/config/demo-catalog.json";
    config["import_directory"] = "";
    config["export_directory"] = "";
    kernel = std::make_unique<app::Kernel>(
        settings, std::vector<app::KernelModule>{{"catalog", "test", "modules", &plugins[0]->module(), config, {}}});
    kernel->start();
    query = kernel->services().get<catalog::CatalogQuery>(catalog::CatalogQuery::kServiceName);
  }
  ~Kernel() {
    query.reset();
    kernel.reset();
    test::remove_temp_dir(dir);
  }

  void patch(const std::string& collection, const std::string& id, const char* merge_patch) {
    std::promise<WriteResult> done;
    auto result = done.get_future();
    kernel->resources().patch(kProductCatalog + "/" + collection, id, parse_object(merge_patch), "test",
                              [&done](WriteResult r) { done.set_value(std::move(r)); });
    REQUIRE(result.get().status == 200);
  }
};

std::vector<std::string> ids(const std::vector<json::object>& list) {
  std::vector<std::string> out;
  for (const auto& o : list) out.emplace_back(o.at("id").as_string());
  return out;
}

int status_of(const std::function<void()>& f, std::string* code = nullptr) {
  try {
    f();
  } catch (const ApiError& e) {
    if (code) *code = e.code();
    return e.http_status();
  }
  return 0;
}

const char* kNow = "2026-06-01T00:00:00Z";

} // namespace

TEST_CASE("catalog query: an offering resolves to its service and resource specifications") {
  Kernel k;
  auto& q = *k.query;
  auto fibre = q.resolve_sellable_offering("po-fibre-1g", kNow);
  REQUIRE(fibre.product_specification);
  CHECK(fibre.product_specification->at("id") == "ps-fibre-broadband");
  // The customer-facing service first, then the resource-facing ones it depends on.
  CHECK(ids(fibre.service_specifications) ==
        std::vector<std::string>{"ss-internet-access", "ss-fibre-access", "ss-ip-connectivity"});
  CHECK(ids(fibre.resource_specifications) ==
        std::vector<std::string>{"rs-fibre-access-line", "rs-cpe-router", "rs-ipv4-address"});
  CHECK(fibre.bundled.empty());
}

TEST_CASE("catalog query: a bundle resolves each bundled offering") {
  Kernel k;
  auto& q = *k.query;
  auto bundle = q.resolve_sellable_offering("po-home-bundle", kNow);
  REQUIRE(bundle.bundled.size() == 2);
  CHECK(bundle.bundled[0].offering.at("id") == "po-fibre-1g");
  CHECK(bundle.bundled[1].offering.at("id") == "po-mobile-unlimited");
  CHECK(ids(bundle.bundled[1].resource_specifications) == std::vector<std::string>{"rs-msisdn", "rs-sim-card"});
}

TEST_CASE("catalog query: only launched or active offerings inside validFor are sellable") {
  Kernel k;
  auto& q = *k.query;
  std::string code;
  CHECK(status_of([&] { q.resolve_sellable_offering("po-fibre-1g", "2023-12-31T23:59:59Z"); }, &code) == 422);
  CHECK(code == "NOT_SELLABLE");
  CHECK(status_of([&] { q.resolve_sellable_offering("no-such-offering", kNow); }) == 404);

  k.patch("productOffering", "po-static-ip-addon", R"({"lifecycleStatus":"Retired"})");
  CHECK(status_of([&] { q.resolve_sellable_offering("po-static-ip-addon", kNow); }, &code) == 422);
  // A bundle is not sellable when one of its parts is not.
  k.patch("productOffering", "po-mobile-unlimited", R"({"validFor":{"startDateTime":"2024-01-01T00:00:00Z","endDateTime":"2025-01-01T00:00:00Z"}})");
  CHECK(status_of([&] { q.resolve_sellable_offering("po-home-bundle", kNow); }, &code) == 422);
  CHECK(status_of([&] { q.resolve_sellable_offering("po-fibre-1g", kNow); }) == 0);
}

TEST_CASE("catalog query: bundles that contain each other are refused, not recursed into") {
  Kernel k;
  auto& q = *k.query;
  k.patch("productOffering", "po-mobile-unlimited",
          R"({"isBundle":true,"bundledProductOffering":[{"id":"po-home-bundle"}]})");
  std::string code;
  CHECK(status_of([&] { q.resolve_sellable_offering("po-home-bundle", kNow); }, &code) == 422);
  CHECK(code == "BROKEN_CATALOG");
  CHECK(status_of([&] { q.resolve_sellable_offering("po-fibre-1g", kNow); }) == 0);
}

TEST_CASE("catalog query: validFor bounds are compared as instants") {
  Kernel k;
  auto& q = *k.query;
  // 2030-01-01T01:00:00+02:00 is 2029-12-31T23:00:00Z: before the start, whatever the text says.
  k.patch("productOffering", "po-fibre-1g", R"({"validFor":{"startDateTime":"2030-01-01T00:00:00Z"}})");
  CHECK(status_of([&] { q.resolve_sellable_offering("po-fibre-1g", "2030-01-01T01:00:00+02:00"); }) == 422);
  CHECK(status_of([&] { q.resolve_sellable_offering("po-fibre-1g", "2030-01-01T03:00:00+02:00"); }) == 0);
}

TEST_CASE("catalog query: is_sellable names the rule that failed") {
  Kernel k;
  std::string why;
  auto entity = json::parse(R"({"lifecycleStatus":"In test"})").as_object();
  CHECK_FALSE(k.query->is_sellable(entity, kNow, &why));
  CHECK(why.find("In test") != std::string::npos);
  entity["lifecycleStatus"] = "Active";
  CHECK(k.query->is_sellable(entity, kNow, nullptr));
}
