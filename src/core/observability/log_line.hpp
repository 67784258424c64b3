#pragma once
// Formats one log line, as text or as JSON, without writing it: logging.cpp writes it, and the
// unit tests check the shapes directly.
#include <initializer_list>
#include <string>
#include <string_view>

#include <tmfd/log.hpp>

namespace tmfd::observability {

struct LogLine {
  std::string_view time;
  log::Level level = log::Level::Info;
  std::string_view component;
  std::string_view message;
  std::string_view correlation_id;  // empty: none
  std::initializer_list<log::Field> fields;
};

const char* level_name(log::Level level);
// `TIME LEVEL [component] message corr=… key=value…`; values with spaces or quotes are quoted.
std::string format_text(const LogLine& line);
// The same, appended to `out` (no allocation once `out` has grown).
void append_text(std::string& out, const LogLine& line);
// One JSON object; numbers and booleans stay JSON numbers and booleans.
std::string format_json(const LogLine& line);

} // namespace tmfd::observability
