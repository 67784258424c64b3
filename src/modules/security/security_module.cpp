// The security module: OAuth2 bearer tokens (JWTs from OIDC providers such as Keycloak) and
// role-based access rules, as two filters of the HTTP front. See docs/security.md and
// docs/modules/security.md.
#include <memory>

#include <tmfd/log.hpp>
#include <tmfd/plugin.hpp>

#include "key_cache.hpp"
#include "security_config.hpp"
#include "security_filters.hpp"
#include "token_validator.hpp"

namespace tmfd::security {

class SecurityModule final : public Module {
public:
  config::Schema config_schema() const override { return security_schema(); }

  void check_config(const json::object& config) const override { (void)read_security_settings(config); }

  // Every route that is not public needs a valid token once the module runs.
  bool authenticates_requests(const json::object& /*config*/) const override { return true; }

  void start(ModuleContext& ctx) override {
    settings_ = std::make_unique<SecuritySettings>(read_security_settings(ctx.config()));
    keys_ = std::make_unique<KeyCache>(settings_->sources, settings_->key_refresh, settings_->unknown_key_refresh_min,
                                       settings_->fetch);
    keys_->load_all();
    keys_->start();
    validator_ = std::make_unique<TokenValidator>(settings_->validation, *keys_);
    filters_ = std::make_unique<SecurityFilters>(*settings_, *validator_);
    const bool any_public = settings_->protect_health || settings_->protect_metrics;
    auto* f = filters_.get();
    ctx.add_filter({"security.bearer", http::filter_order::authentication, any_public,
                    [f](http::Request& r, const http::RouteInfo& route) { return f->authenticate(r, route); }});
    ctx.add_filter({"security.rbac", http::filter_order::authorization, any_public,
                    [f](http::Request& r, const http::RouteInfo& route) { return f->authorize(r, route); }});
    log::info("security", "bearer tokens required",
              {{"issuers", static_cast<std::int64_t>(settings_->sources.size())},
               {"protect_health", settings_->protect_health},
               {"protect_metrics", settings_->protect_metrics}});
  }

  void stop() noexcept override {
    if (keys_) keys_->stop();
  }

private:
  std::unique_ptr<SecuritySettings> settings_;
  std::unique_ptr<KeyCache> keys_;
  std::unique_ptr<TokenValidator> validator_;
  std::unique_ptr<SecurityFilters> filters_;
};

} // namespace tmfd::security

TMFD_PLUGIN("security", "0.1.0", tmfd::security::SecurityModule, {nullptr})
