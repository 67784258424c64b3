#pragma once
// Server-set identifiers and timestamps.
#include <string>

namespace tmfd::resource {

// A time-ordered (version 7) UUID in its canonical text form: unique and opaque to clients.
std::string new_uuid();
// The current time in UTC as ISO-8601 with milliseconds, e.g. 2026-11-28T02:40:00.123Z.
std::string now_iso8601();

} // namespace tmfd::resource
