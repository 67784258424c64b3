#pragma once
// Structured logging. Every line carries the correlation id of the work the thread is doing, so
// one request can be followed from the HTTP front through the writer and the bus.
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace tmfd::log {

enum class Level { Trace, Debug, Info, Warning, Error };

// A field's value: text (anything that converts to a string_view, as before), or a number or a
// boolean. Text logs write them all alike; JSON logs write numbers and booleans unquoted, so that
// log tools can compare and sum them. Text is viewed, not copied: like the field, it only has to
// live for the log call.
class FieldValue {
public:
  enum class Kind { Text, Signed, Unsigned, Real, Boolean };

  template <class T>
    requires std::convertible_to<const T&, std::string_view>
  FieldValue(const T& text) noexcept : kind_(Kind::Text), text_(text) {}
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>)
  FieldValue(T number) noexcept {
    if constexpr (std::signed_integral<T>) {
      kind_ = Kind::Signed;
      signed_ = number;
    } else {
      kind_ = Kind::Unsigned;
      unsigned_ = number;
    }
  }
  template <std::floating_point T>
  FieldValue(T number) noexcept : kind_(Kind::Real), real_(static_cast<double>(number)) {}
  template <std::same_as<bool> T>  // a template, so that pointers do not convert to bool here
  FieldValue(T flag) noexcept : kind_(Kind::Boolean), boolean_(flag) {}

  Kind kind() const noexcept { return kind_; }
  std::string_view text() const noexcept { return text_; }
  std::int64_t signed_value() const noexcept { return signed_; }
  std::uint64_t unsigned_value() const noexcept { return unsigned_; }
  double real_value() const noexcept { return real_; }
  bool boolean_value() const noexcept { return boolean_; }
  // The value as a text log writes it (numbers in decimal, booleans as true/false).
  std::string to_string() const;

private:
  Kind kind_ = Kind::Text;
  std::string_view text_;
  std::int64_t signed_ = 0;
  std::uint64_t unsigned_ = 0;
  double real_ = 0;
  bool boolean_ = false;
};

struct Field {
  std::string_view name;
  FieldValue value;
};

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
