#pragma once
// Sets up the Boost.Log sink behind tmfd::log. Lines are either text
// (`2026-11-28T02:40:00.123Z INFO [access] request corr=... method=GET`) or one JSON object per line.
#include <string>

#include <tmfd/log.hpp>

namespace tmfd::observability {

struct LogOptions {
  log::Level level = log::Level::Info;
  bool json = false;
  std::string file;  // empty: standard error
};

void init_logging(const LogOptions& options);
log::Level parse_level(const std::string& name);

} // namespace tmfd::observability
