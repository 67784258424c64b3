#pragma once
// RFC 3339 date-times (the TMF `format: date-time`), compared as instants, not as text: offsets,
// lower-case 'z' and fractional seconds all order correctly.
#include <cstdint>
#include <optional>
#include <string_view>

namespace tmfd {

// True for YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm).
bool is_date_time(std::string_view text) noexcept;

// Milliseconds since 1970-01-01T00:00:00Z, or nullopt when `text` is not an RFC 3339 date-time.
std::optional<std::int64_t> date_time_ms(std::string_view text) noexcept;

} // namespace tmfd
