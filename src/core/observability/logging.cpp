// The only translation unit that includes Boost.Log. Lines are formatted by log_line.cpp (not by
// Boost.Log formatters) so the text and JSON shapes stay simple and identical across components.
#include "observability/logging.hpp"

#include <boost/log/core.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/text_ostream_backend.hpp>
#include <boost/log/sources/logger.hpp>
#include <boost/log/sources/record_ostream.hpp>
#include <boost/shared_ptr.hpp>
#include <boost/smart_ptr/make_shared_object.hpp>

#include <atomic>
#include <fstream>
#include <iostream>

#include "observability/access_log.hpp"
#include "observability/log_line.hpp"
#include "resource/ids_and_time.hpp"

namespace tmfd {
namespace log {

namespace {
std::atomic<int> min_level{static_cast<int>(Level::Info)};
std::atomic<bool> json_format{false};
thread_local std::string_view current_id;

boost::log::sources::logger& source() {
  static boost::log::sources::logger lg;
  return lg;
}
} // namespace

bool enabled(Level level) noexcept { return static_cast<int>(level) >= min_level.load(std::memory_order_relaxed); }

void write(Level level, std::string_view component, std::string_view message, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  const auto time = resource::now_iso8601();
  const observability::LogLine l{time, level, component, message, current_id, fields};
  BOOST_LOG(source()) << (json_format.load(std::memory_order_relaxed) ? observability::format_json(l)
                                                                       : observability::format_text(l));
}

CorrelationScope::CorrelationScope(std::string_view id) noexcept : previous_(current_id) { current_id = id; }
CorrelationScope::~CorrelationScope() { current_id = previous_; }
std::string_view current_correlation_id() noexcept { return current_id; }

} // namespace log

namespace observability {

log::Level parse_level(const std::string& name) {
  if (name == "trace") return log::Level::Trace;
  if (name == "debug") return log::Level::Debug;
  if (name == "warning") return log::Level::Warning;
  if (name == "error") return log::Level::Error;
  return log::Level::Info;
}

bool json_log_format() noexcept { return log::json_format.load(std::memory_order_relaxed); }

void write_log_text(std::string_view text) { BOOST_LOG(log::source()) << text; }

void prepare_log_output() { log::source(); }

void init_logging(const LogOptions& options) {
  flush_access_log();  // pending lines go where they were meant to
  namespace sinks = boost::log::sinks;
  using backend_t = sinks::text_ostream_backend;
  auto backend = boost::make_shared<backend_t>();
  if (options.file.empty()) {
    backend->add_stream(boost::shared_ptr<std::ostream>(&std::clog, [](std::ostream*) {}));
  } else {
    auto file = boost::make_shared<std::ofstream>(options.file, std::ios::app);
    if (!*file) throw std::runtime_error("cannot open log file '" + options.file + "'");
    backend->add_stream(file);
  }
  backend->auto_flush(true);
  auto sink = boost::make_shared<sinks::synchronous_sink<backend_t>>(backend);
  auto core = boost::log::core::get();
  core->remove_all_sinks();
  core->add_sink(sink);
  log::min_level = static_cast<int>(options.level);
  log::json_format = options.json;
}

} // namespace observability
} // namespace tmfd
