#pragma once
// The core's own settings, read from the validated root of tmfd.yaml.
#include <cstdint>
#include <string>
#include <vector>

#include <tmfd/json.hpp>

#include "delivery/delivery_settings.hpp"
#include "http/server.hpp"
#include "observability/logging.hpp"
#include "resource/engine.hpp"
#include "store/database.hpp"

namespace tmfd::app {

struct EnabledPlugin {
  std::string name;
  std::string section;  // "modules" or "plugins": where its block lives in tmfd.yaml
};

struct Settings {
  std::string host;
  std::uint16_t port = 0;
  int threads = 2;
  bool allow_unauthenticated_remote = false;
  std::int64_t shutdown_grace_ms = 10000;
  http::ServerLimits limits;
  store::DatabaseOptions database;
  observability::LogOptions logging;
  bool access_log = true;
  resource::EngineOptions engine;
  delivery::DeliverySettings delivery;
  std::string plugin_directory;
  std::vector<EnabledPlugin> enabled;  // in the order of the file
};

Settings read_settings(const json::object& root);

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& host);

} // namespace tmfd::app
