#include "security_config.hpp"

#include <fstream>
#include <stdexcept>

namespace tmfd::security {

namespace {

using config::Field;
using config::Type;

Field field(std::string name, Type type, std::string description, json::value default_value = nullptr) {
  Field f;
  f.name = std::move(name);
  f.type = type;
  f.description = std::move(description);
  f.default_value = std::move(default_value);
  return f;
}

Field integer(std::string name, std::string description, std::int64_t default_value, std::int64_t min,
              std::int64_t max) {
  Field f = field(std::move(name), Type::Integer, std::move(description), default_value);
  f.min = min;
  f.max = max;
  return f;
}

std::string text_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t integer_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

bool flag_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

std::vector<std::string> strings_at(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& s : v->as_array())
      if (s.is_string()) out.emplace_back(s.get_string());
  return out;
}

} // namespace

config::Schema security_schema() {
  Field issuer = field("issuer", Type::String, "the exact `iss` of its tokens, e.g. https://sso.example.com/realms/tmf");
  issuer.required = true;
  Field audience = field("audience", Type::StringList, "a token's `aud` must name one of these (e.g. the client id of tmfd)");
  audience.required = true;
  Field one_issuer = field("value", Type::Object, "one trusted issuer");
  one_issuer.children = {
      std::move(issuer), std::move(audience),
      field("jwks_file", Type::String, "its JSON Web Key Set, from a file (re-read on an unknown key id)"),
      field("jwks_url", Type::String, "its JSON Web Key Set, from this URL"),
      field("discovery", Type::Boolean, "find the key set through {issuer}/.well-known/openid-configuration", false)};
  Field issuers = field("issuers", Type::Map, "trusted token issuers, by a name of your choice");
  issuers.children = {std::move(one_issuer)};

  Field grants = field("value", Type::StringList, "grants: '<operations> on <api>/<kind> [where relatedParty = caller]'");
  Field rules = field("rules", Type::Map, "role name -> list of grants");
  rules.children = {std::move(grants)};

  return {std::move(issuers),
          field("realm", Type::String, "realm named in WWW-Authenticate", "tmfd"),
          integer("clock_skew_seconds", "tolerance on exp and nbf", 60, 0, 600),
          field("role_claims", Type::StringList, "claims (dotted paths) holding the caller's roles",
                json::array{"realm_access.roles", "resource_access.tmfd.roles"}),
          field("party_claim", Type::String, "claim (dotted path) holding the caller's party id", "party_id"),
          std::move(rules),
          field("protect_health", Type::Boolean, "/health/live and /health/ready need a token and a grant", false),
          field("protect_metrics", Type::Boolean, "/metrics needs a token and a grant", false),
          integer("key_refresh_seconds", "keys are fetched again this often", 300, 1, 86400),
          integer("unknown_key_refresh_min_seconds",
                  "a token with an unknown key id refetches the keys at most this often per issuer", 30, 0, 3600),
          field("ca_file", Type::String, "HTTPS key fetching: CA certificates (PEM) to trust; empty: the system's"),
          integer("fetch_timeout_ms", "timeout of a discovery or key set request", 5000, 100, 60000),
          integer("token_cache_entries", "verified tokens remembered until they expire (0: verify every request)",
                  10000, 0, 1000000)};
}

SecuritySettings read_security_settings(const json::object& cfg) {
  SecuritySettings s;
  const std::string at = "modules.security.";
  if (const auto* issuers = cfg.if_contains("issuers"); issuers && issuers->is_object()) {
    for (const auto& [name, value] : issuers->as_object()) {
      const auto& o = value.as_object();
      const std::string here = at + "issuers." + std::string(name) + ".";
      KeySource source{text_at(o, "issuer"), text_at(o, "jwks_file"), text_at(o, "jwks_url"), flag_at(o, "discovery")};
      const int count = !source.jwks_file.empty() + !source.jwks_url.empty() + source.discovery;
      if (count != 1) throw std::invalid_argument(here + "jwks_file: give exactly one of jwks_file, jwks_url, discovery: true");
      if (!source.jwks_file.empty() && !std::ifstream(source.jwks_file))
        throw std::invalid_argument(here + "jwks_file: cannot read '" + source.jwks_file + "'");
      for (const auto* url : {&source.jwks_url, &source.issuer})
        if ((url == &source.jwks_url || source.discovery) && !url->empty() && url->rfind("http://", 0) != 0 &&
            url->rfind("https://", 0) != 0)
          throw std::invalid_argument(here + (url == &source.jwks_url ? "jwks_url" : "issuer") +
                                      ": must be an http:// or https:// URL");
      auto audiences = strings_at(o, "audience");
      if (audiences.empty()) throw std::invalid_argument(here + "audience: name at least one audience");
      s.validation.issuers.push_back({source.issuer, std::move(audiences)});
      s.sources.push_back(std::move(source));
    }
  }
  if (s.sources.empty()) throw std::invalid_argument(at + "issuers: trust at least one issuer");
  if (const auto* rules = cfg.if_contains("rules"); rules && rules->is_object()) {
    try {
      s.rules = AccessRules::parse(rules->as_object());
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(at + "rules: " + e.what());
    }
  }
  s.realm = text_at(cfg, "realm");
  for (char c : s.realm)
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
      throw std::invalid_argument(at + "realm: no quotes, backslashes or control characters");
  s.validation.clock_skew_seconds = integer_at(cfg, "clock_skew_seconds");
  s.validation.role_claims = strings_at(cfg, "role_claims");
  s.validation.party_claim = text_at(cfg, "party_claim");
  s.validation.cache_entries = static_cast<std::size_t>(integer_at(cfg, "token_cache_entries"));
  s.protect_health = flag_at(cfg, "protect_health");
  s.protect_metrics = flag_at(cfg, "protect_metrics");
  s.key_refresh = std::chrono::seconds(integer_at(cfg, "key_refresh_seconds"));
  s.unknown_key_refresh_min = std::chrono::seconds(integer_at(cfg, "unknown_key_refresh_min_seconds"));
  s.fetch.ca_file = text_at(cfg, "ca_file");
  if (!s.fetch.ca_file.empty() && !std::ifstream(s.fetch.ca_file))
    throw std::invalid_argument(at + "ca_file: cannot read '" + s.fetch.ca_file + "'");
  s.fetch.timeout = std::chrono::milliseconds(integer_at(cfg, "fetch_timeout_ms"));
  return s;
}

} // namespace tmfd::security
