#pragma once
// The core's own settings, read from the validated root of tmfd.yaml.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tmfd/json.hpp>

#include "delivery/delivery_settings.hpp"
#include "http/rate_limit.hpp"
#include "http/server.hpp"
#include "http/tls_options.hpp"
#include "observability/logging.hpp"
#include "resource/engine.hpp"
#include "store/database.hpp"
#include "store/history_pruner.hpp"

namespace tmfd::app {

struct EnabledPlugin {
  std::string name;
  std::string section;  // "modules" or "plugins": where its block lives in tmfd.yaml
};

// server.tls: an HTTPS listener, beside the plain one or instead of it.
struct TlsListener {
  std::string host;
  std::uint16_t port = 0;
  http::TlsOptions options;
};

struct Settings {
  std::string host;
  std::uint16_t port = 0;
  bool plain_http = true;           // false: no plain listener on host:port, only tls
  std::optional<TlsListener> tls;   // set when server.tls.certificate_file is
  int threads = 2;
  bool allow_unauthenticated_remote = false;
  std::int64_t shutdown_grace_ms = 10000;
  http::ServerLimits limits;
  http::RateLimits rate_limits;
  store::DatabaseOptions database;
  observability::LogOptions logging;
  bool access_log = true;
  resource::EngineOptions engine;
  delivery::DeliverySettings delivery;
  store::HistorySettings history;  // engine.record_history follows history.enabled
  std::string plugin_directory;
  std::vector<EnabledPlugin> enabled;  // in the order of the file
};

Settings read_settings(const json::object& root);

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& host);

} // namespace tmfd::app
