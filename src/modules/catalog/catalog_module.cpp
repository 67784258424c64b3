// The catalog module: TMF620 product, TMF633 service and TMF634 resource catalogs on the kernel's
// resource engine, with the TMF lifecycle, reference integrity across the three APIs, asynchronous
// import and export jobs, an optional demo catalog loaded at start, the catalog query service
// (tmfd/catalog_query.hpp) for other modules, and the `tmfd import` command.
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <set>
#include <sstream>

#include <tmfd/log.hpp>
#include <tmfd/plugin.hpp>

#include "catalog_document.hpp"
#include "catalog_kinds.hpp"
#include "catalog_paths.hpp"
#include "catalog_query.hpp"
#include "import_command.hpp"

namespace tmfd::catalog_module {

namespace {

config::Field text_key(const char* name, const char* description) {
  config::Field f;
  f.name = name;
  f.type = config::Type::String;
  f.description = description;
  f.default_value = "";
  return f;
}

std::string string_at(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Every reference of every kind, seen from its target: who would be left dangling by a delete.
std::map<std::string, std::vector<ReferencingKind>> referrers_by_target(const std::vector<CatalogKind>& kinds) {
  std::map<std::string, std::vector<ReferencingKind>> out;
  for (const auto& k : kinds)
    for (const auto& ref : k.references)
      out[ref.target].push_back({k.kind.base_path + "/" + k.kind.collection, ref});
  return out;
}

} // namespace

class CatalogModule final : public Module {
public:
  config::Schema config_schema() const override {
    return {text_key("import_directory", "folder that importJob file:// URLs must point inside; empty: off"),
            text_key("export_directory", "folder that exportJob file:// URLs must point inside; empty: off"),
            text_key("demo_catalog", "catalog document loaded at start while the three catalogs are empty")};
  }

  // The demo catalog is read at every start (it is loaded while the catalogs are empty).
  void check_config(const json::object& cfg) const override {
    const auto demo = string_at(cfg, "demo_catalog");
    if (!demo.empty() && !std::ifstream(demo))
      throw std::invalid_argument("modules.catalog.demo_catalog: cannot read '" + demo + "'");
  }

  void start(ModuleContext& ctx) override {
    const auto& cfg = ctx.config();
    JobOptions options{string_at(cfg, "import_directory"), string_at(cfg, "export_directory")};
    for (const auto& dir : {options.import_directory, options.export_directory})
      if (!dir.empty()) std::filesystem::create_directories(dir);
    demo_catalog_ = string_at(cfg, "demo_catalog");

    std::vector<CatalogKind> kinds;
    for (auto&& list : {product_catalog_kinds(), service_catalog_kinds(), resource_catalog_kinds()})
      for (auto& k : list) kinds.push_back(k);
    const std::vector<std::pair<std::string, std::string>> apis = {
        {"productCatalog", std::string(catalog::kProductCatalogPath)},
        {"serviceCatalog", std::string(catalog::kServiceCatalogPath)},
        {"resourceCatalog", std::string(catalog::kResourceCatalogPath)}};
    for (const auto& [api, base] : apis)
      for (auto& k : job_kinds(base, api, options)) kinds.push_back(std::move(k));

    auto referrers = referrers_by_target(kinds);
    for (auto& k : kinds) {
      auto path = k.kind.base_path + "/" + k.kind.collection;
      if (!k.references.empty())
        k.hooks.check_in_transaction = [refs = k.references](const json::object& e, const json::object*,
                                                              TransactionReader& reader) {
          check_references_exist(e, refs, reader);
        };
      if (auto it = referrers.find(path); it != referrers.end())
        k.hooks.before_delete = [who = it->second](const json::object& e, TransactionReader& reader) {
          check_not_referenced(e, who, reader);
        };
      ctx.resources().add(std::move(k.kind), std::move(k.hooks));
    }

    jobs_ = std::make_unique<JobRunner>(ctx.resources(), options);
    jobs_->start(ctx.bus(), std::map<std::string, std::string>(apis.begin(), apis.end()));

    // Other modules (ordering, say) query the catalogs through this, without linking this plugin.
    // It keeps the entities it read; every catalog event drops the one it names.
    auto query = std::make_shared<catalog::CatalogQueryService>(ctx.resources());
    const std::set<std::string> domains{"productCatalog", "serviceCatalog", "resourceCatalog"};
    bus_ = &ctx.bus();
    subscription_ = bus_->subscribe("catalog.query-cache", [query, domains](const Event& e) {
      if (domains.contains(e.domain)) query->entity_changed(e.resource_type, e.resource_id);
    });
    ctx.services().publish<catalog::CatalogQuery>(catalog::CatalogQuery::kServiceName, query);
  }

  void serving(ModuleContext& ctx) override {
    if (!demo_catalog_.empty()) load_demo_catalog(ctx.resources());
    jobs_->resume_unfinished();
  }

  void stop() noexcept override {
    if (jobs_) jobs_->stop();
    if (bus_) bus_->unsubscribe(subscription_);
  }

  std::vector<Command> commands() const override { return {import_command()}; }

private:
  void load_demo_catalog(Resources& resources) {
    // Only into an empty catalog: anything there is the operator's, or the demo loaded before.
    for (const auto& path : catalog::document_collection_paths())
      if (resources.list(path, "limit=1").total > 0) return;
    std::ifstream in(demo_catalog_);
    if (!in) throw std::runtime_error("catalog.demo_catalog: cannot read " + demo_catalog_);
    std::stringstream text;
    text << in.rdbuf();
    auto entries = catalog::document_entries(parse_object(text.str()));
    std::promise<ImportOutcome> promise;
    auto result = promise.get_future();
    resources.import(std::move(entries), "demo-catalog", [&promise](ImportOutcome o) { promise.set_value(std::move(o)); });
    auto outcome = result.get();
    if (!outcome.committed) {
      std::string why;
      for (const auto& e : outcome.errors) why += "\n  " + e;
      throw std::runtime_error("catalog.demo_catalog: " + demo_catalog_ + " was refused:" + why);
    }
    log::info("catalog", "demo catalog loaded", {{"file", demo_catalog_}, {"resources", outcome.created}});
  }

  std::string demo_catalog_;
  std::unique_ptr<JobRunner> jobs_;
  EventBus* bus_ = nullptr;
  std::uint64_t subscription_ = 0;
};

} // namespace tmfd::catalog_module

TMFD_PLUGIN("catalog", "0.1.0", tmfd::catalog_module::CatalogModule, {nullptr})
