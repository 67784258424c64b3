#pragma once
// The `modules.security` block: its schema and its reading into the module's settings.
#include <chrono>
#include <string>
#include <vector>

#include <tmfd/config_schema.hpp>
#include <tmfd/json.hpp>

#include "access_rules.hpp"
#include "http_fetch.hpp"
#include "key_cache.hpp"
#include "token_validator.hpp"

namespace tmfd::security {

struct SecuritySettings {
  std::vector<KeySource> sources;  // one per trusted issuer, same order as validation.issuers
  ValidationSettings validation;
  AccessRules rules;
  std::string realm;
  bool protect_health = false;
  bool protect_metrics = false;
  std::chrono::seconds key_refresh{300};
  std::chrono::milliseconds unknown_key_refresh_min{30000};
  FetchOptions fetch;
};

config::Schema security_schema();

// Throws std::invalid_argument("modules.security.<key>: problem") for what the schema cannot
// check: an issuer without exactly one key source, a malformed rule, an unreadable file.
SecuritySettings read_security_settings(const json::object& config);

} // namespace tmfd::security
