#pragma once
// Structured logging. Every line carries the correlation id of the work the thread is doing, so
// one request can be followed from the HTTP front through the writer and the bus.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace tmfd::log {

enum class Level { Trace, Debug, Info, Warning, Error };

using Field = std::pair<std::string_view, std::string_view>;

bool enabled(Level level) noexcept;
void write(Level level, std::string_view component, std::string_view message,
           std::initializer_list<Field> fields = {});

inline void debug(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  if (enabled(Level::Debug)) write(Level::Debug, c, m, f);
}
inline void info(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::Info, c, m, f);
}
inline void warn(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::Warning, c, m, f);
}
inline void error(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::Error, c, m, f);
}

// Sets the correlation id for log lines written by this thread until the scope ends.
class CorrelationScope {
public:
  explicit CorrelationScope(std::string_view correlation_id) noexcept;
  ~CorrelationScope();
  CorrelationScope(const CorrelationScope&) = delete;
  CorrelationScope& operator=(const CorrelationScope&) = delete;

private:
  std::string_view previous_;
};

std::string_view current_correlation_id() noexcept;

} // namespace tmfd::log
