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

// For writers that format lines themselves (the access log): whether lines are JSON, and one
// record of preformatted text (several lines joined by '\n'; the sink adds the last newline).
bool json_log_format() noexcept;
void write_log_text(std::string_view text);
// Creates the sink's source now, so that an atexit hook registered after this call runs before
// it is destroyed.
void prepare_log_output();

} // namespace tmfd::observability
